"""Spreadsheet exports that are safe to open: one cell rule and the shared CSV/XLSX writers.

Every CSV or XLSX file the platform produces goes through this module, so a learner named
``=HYPERLINK("http://x","y")`` can never become a live formula in a trainer's spreadsheet:

- CSV: :func:`safe_cell` prefixes with ``'`` any text starting with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return (OWASP "CSV injection"); numbers stay numbers.
- XLSX: every text is written as a string cell (``data_type 's'``), never as a formula.

CSV defaults to what Excel opens correctly in French: UTF-8 with a byte-order mark and ``;``
between fields; ``?sep=comma`` gives ``,``. Responses are streamed: CSV rows are formatted
(and may be read from the database, a batch at a time) while the response is sent; an XLSX
workbook is written to a temporary file, then sent from it in chunks. Neither holds the whole
file in memory, so an export of 5,000 learners keeps a worker's memory flat.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from flask import Response, has_request_context, request
from flask.globals import request_ctx

#: The characters that make a spreadsheet read a cell as a formula (or hide one).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEPARATORS = {"semicolon": ";", "comma": ","}


def safe_cell(value: Any) -> Any:
    """The value neutralised for a CSV cell: text that would start a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def requested_separator() -> str:
    """The CSV separator asked for by ``?sep=comma`` (``;`` otherwise, Excel in French)."""
    return SEPARATORS.get(request.args.get("sep", ""), ";")


def csv_text(value: Any, delimiter: str = ";") -> Any:
    """A cell as CSV text: dates as dd/mm/yyyy, decimal comma with ``;``, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and not isinstance(value, bool):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if delimiter == ";" else text
    return safe_cell(value)


class _Line:
    """A file-like object keeping only the last line the csv writer wrote."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text = text


def csv_lines(
    rows: Iterable[Sequence[Any]], delimiter: str = ";", bom: bool = True
) -> Iterator[str]:
    """Yield the CSV text row by row (BOM first), every cell through :func:`safe_cell`."""
    if bom:
        yield "\ufeff"
    line = _Line()
    writer = csv.writer(line, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(v, delimiter) for v in row])
        yield line.text


def csv_bytes(rows: Iterable[Sequence[Any]], delimiter: str = ";", bom: bool = True) -> bytes:
    """The whole CSV file as UTF-8 bytes (for small files and tests)."""
    return "".join(csv_lines(rows, delimiter, bom)).encode("utf-8")


def _workbook(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "B2"
        for index, row in enumerate(rows):
            if index == 0:
                _column_widths(sheet, row)
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                if index == 0:
                    cell.font = bold
                cells.append(cell)
            sheet.append(cells)
    if not book.worksheets:
        book.create_sheet("Feuille")
    return book


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """An XLSX workbook (write-only mode) with one sheet per ``(title, rows)``.

    Text is always a string cell; numbers, dates and booleans keep their type. The first row
    of each sheet is its header, in bold and frozen.
    """
    buffer = io.BytesIO()
    _workbook(sheets).save(buffer)
    return buffer.getvalue()


def xlsx_chunks(
    sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]], size: int = 64 * 1024
) -> Iterator[bytes]:
    """The workbook of :func:`xlsx_bytes`, written to a temporary file and read back in chunks
    (openpyxl's write-only mode keeps rows on disk too): memory stays flat."""
    with tempfile.TemporaryFile() as file:
        _workbook(sheets).save(file)
        file.seek(0)
        while chunk := file.read(size):
            yield chunk


def _column_widths(sheet, header: Sequence[Any]) -> None:
    from openpyxl.utils import get_column_letter

    for i, label in enumerate(header, start=1):
        width = min(60, max(10, len(str(label)) + 2))
        sheet.column_dimensions[get_column_letter(i)].width = width


def ascii_name(text: str) -> str:
    """A file-name fragment in plain ASCII: « Session d'été » -> ``session-d-ete``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "export"


def attachment(name: str) -> str:
    """A ``Content-Disposition`` value that cannot be broken by the name it carries."""
    stem, _dot, ext = name.rpartition(".")
    safe = f"{ascii_name(stem)}.{ascii_name(ext)}" if stem else ascii_name(name)
    return f'attachment; filename="{safe}"'


def _download(body, content_type: str, name: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = attachment(name)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _streamed(body: Iterator) -> Iterator:
    """``body`` run inside a copy of the request context (locale, ``url_for``, the database)
    while it is sent. Unlike ``stream_with_context``, the context is pushed only once the
    server reads past an empty first chunk (the one a WSGI server or the test client reads to
    start the response), so a response that is never read leaves no context behind."""
    if not has_request_context():
        return body
    context = request_ctx._get_current_object().copy()

    def run() -> Iterator:
        yield b""
        with context:
            yield from body

    return run()


def csv_response(
    rows: Iterable[Sequence[Any]], name: str, delimiter: str | None = None
) -> Response:
    """A streamed CSV download of ``rows`` named ``name`` (separator from the request).

    The rows are formatted while the response is sent, with the request context kept: ``rows``
    may be a generator reading the database a batch at a time.
    """
    delimiter = delimiter or requested_separator()
    body = (line.encode("utf-8") for line in csv_lines(rows, delimiter))
    return _download(_streamed(body), CSV_TYPE, name)


def xlsx_response(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]], name: str) -> Response:
    """A streamed XLSX download with one sheet per ``(title, rows)`` (:func:`xlsx_chunks`)."""
    return _download(_streamed(xlsx_chunks(sheets)), XLSX_TYPE, name)


def text_response(text: str, name: str, content_type: str = "text/plain; charset=utf-8"):
    """A text file download (a GIFT file, for instance)."""
    return _download(text.encode("utf-8"), content_type, name)
