"""Turn the bytes of an uploaded list of learners into records of text cells, with line numbers.

Two formats: delimited text (CSV) and Excel workbooks (``.xlsx``). Text is read as UTF-8 (with or
without a byte-order mark) when it is valid UTF-8, as UTF-16 when it starts with a UTF-16
byte-order mark, otherwise as Windows-1252 (what French Excel writes), and as ISO-8859-1 only for
the few bytes Windows-1252 leaves undefined. The separator (``;``, ``,`` or tab) is the one whose
header line names the most known columns, ``csv.Sniffer`` deciding a tie. Bad input never raises
anything but :class:`FileProblem`, whose message says what to do.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _

from courses.columns import recognised

#: The separators a learner file may use.
DELIMITERS = ";,\t"
#: A workbook whose parts expand beyond this is refused (zip bombs).
MAX_XLSX_EXPANDED = 100 * 1024 * 1024
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class Sheet:
    """The records of a file: (physical line where the record starts, cells) and how it was read."""

    records: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    kind: str = "csv"


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name): UTF-8 if valid, else UTF-16 (BOM), Windows-1252, Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8 (BOM)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "ISO-8859-1 (Latin-1)"


def _strict(data: bytes, codec: str, label: str) -> tuple[str, str]:
    try:
        return data.decode(codec), label
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _(
                "Le fichier annonce l'encodage %(encoding)s mais contient des octets invalides "
                "(position %(position)s).",
                encoding=label,
                position=exc.start,
            )
        ) from None


#: The header is looked for among the first records (title lines may come before it).
HEADER_SEARCH = 10


def choose_delimiter(text: str) -> str:
    """The separator of ``text``: the one whose header names most known columns, then Sniffer.

    A first line ``sep=;`` (Excel's hint) decides on its own.
    """
    hint = text[:8].partition("\n")[0].strip()
    if hint.lower().startswith("sep=") and hint[4:5] in DELIMITERS:
        return hint[4]
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH])
    scores = {d: _best_header_score(sample, d) for d in DELIMITERS}
    best = max(scores.values())
    tied = [d for d in DELIMITERS if scores[d] == best]
    if len(tied) == 1:
        return tied[0]
    try:
        sniffed = csv.Sniffer().sniff(text[:65536], delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in tied:
        return sniffed
    first = next((line for line in sample.splitlines() if line.strip()), "")
    return max(tied, key=first.count)


def _best_header_score(sample: str, delimiter: str) -> int:
    try:
        records = list(csv.reader(sample.splitlines(), delimiter=delimiter))
    except csv.Error:
        return 0
    return max((len(recognised(record)) for record in records), default=0)


def read_text(text: str, delimiter: str, max_rows: int) -> list[tuple[int, list[str]]]:
    """Split ``text`` into records; each with the physical line where it starts (1-based)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            records.append((line, [cell.strip() for cell in record]))
            if len(records) > max_rows + 1:
                raise FileProblem(_too_many(max_rows))
    except csv.Error:
        raise FileProblem(
            _(
                "Ligne %(line)s : guillemets mal placés ou non refermés : "
                "le fichier ne peut pas être lu au-delà.",
                line=reader.line_num,
            )
        ) from None
    return records


def _too_many(max_rows: int) -> str:
    return _(
        "Le fichier compte plus de %(max)s apprenants : découpez-le en plusieurs fichiers.",
        max=max_rows,
    )


def looks_like_xlsx(data: bytes, filename: str) -> bool:
    """True for a zip archive (an Office Open XML workbook) or a name ending in .xlsx."""
    return data.startswith(_ZIP) or filename.lower().endswith((".xlsx", ".xlsm"))


def check_binary(data: bytes, filename: str) -> None:
    """Refuse files that are neither text nor .xlsx, with a message saying what to send."""
    name = filename.lower()
    if data.startswith(_OLE) or name.endswith((".xls", ".ods")):
        raise FileProblem(
            _(
                "Ce format de classeur n'est pas lu (ancien .xls ou .ods) : enregistrez le "
                "fichier au format .xlsx ou CSV, puis envoyez-le à nouveau."
            )
        )
    sample = data[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            _(
                "Ce fichier n'est ni un fichier CSV ni un classeur .xlsx : enregistrez la liste "
                "au format CSV ou .xlsx, puis envoyez-la à nouveau."
            )
        )


def read_xlsx(data: bytes, max_rows: int) -> Sheet:
    """Read the first sheet of a workbook: one record per row, the Excel row number as line."""
    from openpyxl import load_workbook

    workbook = None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_EXPANDED:
                raise FileProblem(_("Le classeur est trop volumineux une fois décompressé."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return Sheet(_rows(workbook.worksheets[0], max_rows), "", "", "xlsx")
    except FileProblem:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a damaged or foreign archive
        raise FileProblem(
            _(
                "Ce classeur ne peut pas être lu (fichier abîmé ou qui n'est pas un .xlsx) : "
                "ouvrez-le et enregistrez-le à nouveau au format .xlsx ou CSV."
            )
        ) from None
    finally:
        if workbook is not None:
            workbook.close()


def _rows(sheet, max_rows: int) -> list[tuple[int, list[str]]]:
    records = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [cell_text(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        records.append((number, cells))
        if len(records) > max_rows + 1:
            raise FileProblem(_too_many(max_rows))
    return records


def cell_text(value) -> str:
    """A spreadsheet value as the text a person reads: 12 not 12.0, dates as 31/12/2025."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()
