"""Read a list of learners (CSV or .xlsx) and report every bad row before anything is saved.

:func:`parse_learners` only reads the bytes (:mod:`courses.learner_file`): encoding, separator,
header, and the checks that need no database (missing name, invalid or repeated e-mail, a row
longer than the header). :mod:`courses.bulk_enrol` adds what the run knows (already enrolled,
over capacity, deactivated account) and imports only a file without any error.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from courses.columns import COLUMN_LABELS, LIMITS, match_header
from courses.learner_file import (
    HEADER_SEARCH,
    FileProblem,
    Sheet,
    check_binary,
    choose_delimiter,
    decode,
    looks_like_xlsx,
    read_text,
    read_xlsx,
)

#: Longest name the ``users`` table holds.
MAX_NAME = 200
#: Rows read by default when the application sets no limit.
MAX_ROWS = 20_000
DELIMITER_LABELS = {";": _l("point-virgule"), ",": _l("virgule"), "\t": _l("tabulation")}


@dataclass
class Row:
    """One learner read from the file, with the line where its record starts."""

    line: int
    name: str
    email: str
    first_name: str | None = None
    last_name: str | None = None
    civility: str | None = None
    organisation: str | None = None
    job_title: str | None = None


@dataclass
class RowError:
    """A reason why a line cannot be imported (line 0: the file as a whole)."""

    line: int
    message: str
    column: str | None = None


@dataclass
class CsvReport:
    """The rows read, how the file was read, and every error found."""

    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    kind: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    #: Recognised columns: (header as written in the file, what it means).
    columns: list[tuple[str, str]] = field(default_factory=list)
    #: Headers that mean nothing to the importer (their cells are not imported).
    unknown: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file may be imported as it is."""
        return not self.errors and bool(self.rows)

    @property
    def delimiter_label(self) -> str:
        """The separator in words."""
        return str(DELIMITER_LABELS.get(self.delimiter, self.delimiter))

    def add(self, line: int, message: str, column: str | None = None) -> None:
        """Record an error on ``line`` (and ``column``, as the file names it)."""
        self.errors.append(RowError(line, message, column))

    def sort(self) -> None:
        """Order the errors by line number (file-level ones first)."""
        self.errors.sort(key=lambda e: e.line)


def check_email(raw: str) -> tuple[str | None, str | None]:
    """Return (normalised address, None) or (None, reason); no DNS lookup.

    A plain ASCII local part (a dot-atom) is checked here and its domain once per file (most
    lists have a handful of domains); anything else goes through ``email_validator`` whole.
    """
    if not raw:
        return None, _("adresse e-mail manquante")
    local, at, domain = raw.rpartition("@")
    if at and len(raw) <= 254 and len(local) <= 64 and _DOT_ATOM.fullmatch(local):
        checked = _domain(domain)
        if checked is not None:
            return f"{local}@{checked}".lower(), None
    try:
        result = validate_email(raw, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None, _("adresse e-mail invalide (%(address)s)", address=raw)
    return result.normalized.lower(), None


_DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


@functools.lru_cache(maxsize=1024)
def _domain(domain: str) -> str | None:
    """The normalised domain when ``x@domain`` is a valid address, else None."""
    try:
        return validate_email(
            f"x@{domain}", check_deliverability=False, allow_smtputf8=False
        ).domain
    except EmailNotValidError:
        return None


def check_name(raw: str) -> str | None:
    """Return the reason why ``raw`` is not a usable name, or None."""
    if not raw:
        return _("nom manquant")
    if len(raw) > MAX_NAME:
        return _("nom trop long (%(max)s caractères au plus)", max=MAX_NAME)
    return check_text(raw)


def check_text(raw: str) -> str | None:
    """Why a cell cannot be stored as text (control characters), or None."""
    if raw.isprintable():  # the usual case, checked in C
        return None
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") for c in raw):
        return _("le texte contient des caractères non imprimables")
    return None


def _read(data: bytes, filename: str, max_rows: int, report: CsvReport) -> Sheet:
    """Read the bytes as a workbook or as text; raise FileProblem when neither works."""
    if looks_like_xlsx(data, filename):
        return read_xlsx(data, max_rows)
    check_binary(data, filename)
    text, encoding = decode(data)
    report.encoding = encoding
    if not text.strip():
        raise FileProblem(_("Le fichier est vide."))
    delimiter = choose_delimiter(text)
    return Sheet(read_text(text, delimiter, max_rows), encoding, delimiter, "csv")


def parse_learners(data: bytes, filename: str = "", max_rows: int = MAX_ROWS) -> CsvReport:
    """Read a CSV or .xlsx list of learners; never raises: every problem is in ``errors``."""
    report = CsvReport()
    try:
        sheet = _read(data, filename, max_rows, report)
    except FileProblem as problem:
        report.add(0, str(problem))
        return report
    report.kind, report.encoding, report.delimiter = sheet.kind, sheet.encoding, sheet.delimiter
    records = [(line, cells) for line, cells in sheet.records if any(cells)]
    if not records:
        report.add(0, _("Le fichier est vide."))
        return report
    _read_rows(report, records)
    if not report.rows and not report.errors:
        report.add(0, _("Le fichier ne contient aucun apprenant après la ligne d'en-tête."))
    report.sort()
    return report


def _find_header(records: list[tuple[int, list[str]]]) -> int:
    """Index of the header record: the first naming an e-mail column, else the first one."""
    for index, (_line, cells) in enumerate(records[:HEADER_SEARCH]):
        if "email" in match_header(cells)[0]:
            return index
    return 0


def _read_rows(report: CsvReport, records: list[tuple[int, list[str]]]) -> None:
    """Match the header, then check every record after it on its own and against the others."""
    start = _find_header(records)
    header = records[start][1]
    fields, report.unknown, repeated = match_header(header)
    report.columns = [(header[i], str(COLUMN_LABELS[f])) for f, i in fields.items()]
    problem = _header_problem(fields, repeated)
    if problem:
        report.add(records[start][0], problem)
        return
    names = {f: header[i] for f, i in fields.items()}
    seen: dict[str, int] = {}
    for line, cells in records[start + 1 :]:
        if len(cells) > len(header) and any(cells[len(header) :]):
            report.add(line, _too_long_row(len(cells), len(header)))
            continue
        values = {f: _one_line(cells[i]) if i < len(cells) else "" for f, i in fields.items()}
        row = _check_record(report, line, values, names)
        if row is not None:
            _keep_once(report, seen, row, names["email"])


def _one_line(cell: str) -> str:
    """A cell as one line: line breaks, tabs and repeated spaces become one space."""
    return " ".join(cell.split())


def _header_problem(fields: dict[str, int], repeated: list[str]) -> str | None:
    if repeated:
        return _(
            "la colonne « %(column)s » apparaît deux fois : gardez-en une seule.",
            column=repeated[0],
        )
    if "email" not in fields or not fields.keys() & {"full_name", "last_name"}:
        return _(
            "la ligne d'en-tête doit nommer au moins une colonne d'adresse e-mail "
            "(« E-mail », « Courriel »…) et une colonne de nom (« Nom », ou « Nom » et "
            "« Prénom », ou « Nom complet »)."
        )
    return None


def _too_long_row(count: int, expected: int) -> str:
    return _(
        "cette ligne a %(count)s champs alors que l'en-tête n'a que %(expected)s colonnes "
        "(un séparateur en trop dans une cellule ? mettez-la entre guillemets).",
        count=count,
        expected=expected,
    )


def _check_record(
    report: CsvReport, line: int, values: dict[str, str], names: dict[str, str]
) -> Row | None:
    """Check one record's cells; return the learner, or None after reporting why not."""
    before = len(report.errors)
    for field_name, value in values.items():
        if field_name == "email":
            continue
        problem = check_text(value)
        if problem is None and len(value) > LIMITS[field_name]:
            problem = _("texte trop long (%(max)s caractères au plus)", max=LIMITS[field_name])
        if problem:
            report.add(line, problem, names[field_name])
    first, last = values.get("first_name") or None, values.get("last_name") or None
    name = values.get("full_name") or " ".join(filter(None, (first, last)))
    if not name:
        column = names.get("full_name") or names["last_name"]
        report.add(line, _("nom manquant"), column)
    email, problem = check_email(values["email"])
    if problem:
        report.add(line, problem, names["email"])
    if len(report.errors) > before:
        return None
    optional = {f: values.get(f) or None for f in ("civility", "organisation", "job_title")}
    return Row(line, name[:MAX_NAME], email, first, last, **optional)


def _keep_once(report: CsvReport, seen: dict[str, int], row: Row, column: str) -> None:
    if row.email in seen:
        message = _(
            "adresse %(email)s déjà présente ligne %(line)s", email=row.email, line=seen[row.email]
        )
        report.add(row.line, message, column)
    else:
        seen[row.email] = row.line
        report.rows.append(row)
