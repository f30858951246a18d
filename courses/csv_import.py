"""Read a CSV file of learners (name, e-mail) and report every bad row before anything is saved.

:func:`parse_learners` only reads the bytes: encoding, delimiter, header, and the checks that need
no database (missing name, invalid or repeated e-mail). :func:`courses.enrolments.check_rows` adds
what the run knows (already enrolled, over capacity, deactivated account), and
:func:`courses.enrolments.import_learners` imports only a file without any error.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

#: Accepted header names (compared without accents, case or surrounding spaces).
NAME_HEADERS = frozenset({"name", "nom", "nom complet", "nom et prenom", "prenom nom"})
EMAIL_HEADERS = frozenset(
    {"email", "e-mail", "courriel", "mail", "adresse e-mail", "adresse email", "adresse mail"}
)
#: Longest name the ``users`` table holds.
MAX_NAME = 200


@dataclass
class Row:
    """One learner read from the file, with the line where its record starts."""

    line: int
    name: str
    email: str


@dataclass
class RowError:
    """A reason why a line cannot be imported (line 0: the file as a whole)."""

    line: int
    message: str


@dataclass
class CsvReport:
    """The rows read and every error found; importable only when ``errors`` is empty."""

    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file may be imported as it is."""
        return not self.errors and bool(self.rows)

    def add(self, line: int, message: str) -> None:
        """Record an error on ``line``."""
        self.errors.append(RowError(line, message))

    def sort(self) -> None:
        """Order the errors by line number (file-level ones first)."""
        self.errors.sort(key=lambda e: e.line)


def _plain(text: str) -> str:
    """Lower case, no accents, no surrounding spaces: how header names are compared."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _columns(header: list[str]) -> tuple[int | None, int | None]:
    """Indexes of the name and e-mail columns in a header row."""
    plain = [_plain(cell) for cell in header]
    name = next((i for i, cell in enumerate(plain) if cell in NAME_HEADERS), None)
    email = next((i for i, cell in enumerate(plain) if cell in EMAIL_HEADERS), None)
    return name, email


def _decode(data: bytes) -> str | None:
    """Decode UTF-8 (with or without a byte-order mark); None for any other encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _sniff(text: str) -> tuple[str, int, int] | None:
    """Find the delimiter (``;`` or ``,``) whose header row names both required columns."""
    first = text.splitlines()[0] if text else ""
    for delimiter in (";", ","):
        try:
            header = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            continue
        name, email = _columns(header)
        if name is not None and email is not None:
            return delimiter, name, email
    return None


def check_email(raw: str) -> tuple[str | None, str | None]:
    """Return (normalised address, None) or (None, reason); no DNS lookup."""
    if not raw:
        return None, _("adresse e-mail manquante")
    try:
        result = validate_email(raw, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None, _("adresse e-mail invalide (%(address)s)", address=raw)
    return result.normalized.lower(), None


def check_name(raw: str) -> str | None:
    """Return the reason why ``raw`` is not a usable name, or None."""
    if not raw:
        return _("nom manquant")
    if len(raw) > MAX_NAME:
        return _("nom trop long (%(max)s caractères au plus)", max=MAX_NAME)
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") for c in raw):
        return _("le nom contient des caractères non imprimables")
    return None


def _read_rows(report: CsvReport, text: str, delimiter: str, name_i: int, email_i: int) -> None:
    """Read the records after the header, checking each one on its own and against the others."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    seen: dict[str, int] = {}
    try:
        next(reader)
        start = reader.line_num + 1
        for record in reader:
            line, start = start, reader.line_num + 1
            cells = [cell.strip() for cell in record]
            if any(cells):
                _check_record(report, seen, line, cells, name_i, email_i)
    except csv.Error:
        report.rows.clear()
        report.add(
            reader.line_num,
            _("guillemets mal placés ou non refermés : le fichier ne peut pas être lu au-delà"),
        )


def _check_record(
    report: CsvReport, seen: dict[str, int], line: int, cells: list[str], name_i: int, email_i: int
) -> None:
    """Check one record; keep it when it is importable, report why otherwise."""
    name = cells[name_i] if name_i < len(cells) else ""
    problem = check_name(name)
    email, email_problem = check_email(cells[email_i] if email_i < len(cells) else "")
    for reason in filter(None, (problem, email_problem)):
        report.add(line, reason)
    if email and email in seen:
        report.add(
            line,
            _("adresse %(email)s déjà présente ligne %(line)s", email=email, line=seen[email]),
        )
    elif email:
        seen[email] = line
        if problem is None:
            report.rows.append(Row(line, name, email))


def _file_problem(text: str | None) -> str | None:
    """What makes the whole file unreadable, if anything."""
    if text is None:
        return _(
            "Le fichier n'est pas encodé en UTF-8. "
            "Enregistrez-le au format « CSV UTF-8 » et recommencez."
        )
    if not text.strip():
        return _("Le fichier est vide.")
    return None


def parse_learners(data: bytes) -> CsvReport:
    """Read a CSV file of learners; never raises, every problem is an entry of ``errors``."""
    report = CsvReport()
    text = _decode(data)
    problem = _file_problem(text)
    found = None if problem else _sniff(text)
    if problem is None and found is None:
        problem = _(
            "La première ligne doit nommer les colonnes « nom » et « email » "
            "(séparées par « ; » ou « , »)."
        )
    if problem:
        report.add(0, problem)
        return report
    _read_rows(report, text, *found)
    if not report.rows and not report.errors:
        report.add(0, _("Le fichier ne contient aucun apprenant après la ligne d'en-tête."))
    report.sort()
    return report
