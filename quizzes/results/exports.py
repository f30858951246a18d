"""Report tables and their exports: CSV for French Excel and XLSX, from the same rows as the page.

A report is a list of :class:`Table`; the page renders each one with the ``table`` macro of
``quizzes/trainer/_table.html`` and ``?format=csv`` / ``?format=xlsx`` gives the same rows as a
file. CSV is UTF-8 with a byte-order mark, ``;`` between fields and a decimal comma, which is
what Excel expects in French.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Response
from flask_babel import gettext as _

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Cell:
    """A cell whose page rendering differs from its exported ``value``.

    ``text`` is shown instead of the value (a ✓), ``label`` is its accessible name, ``href``
    makes it a link, ``links`` adds several (text, url) links after it, ``css`` a class.
    """

    value: Any
    text: str | None = None
    label: str | None = None
    href: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    css: str | None = None


@dataclass
class Table:
    """One table of a report: ``headers`` and ``rows`` of plain values or :class:`Cell`.

    ``groups`` is an optional header row above ``headers``: (label, number of columns).
    ``numeric`` holds the indexes of right-aligned columns. The first column heads each row.
    ``footer`` rows (totals, cohort means) come after the others, in the file too.
    """

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    groups: list[tuple[str, int]] | None = None
    numeric: set[int] = field(default_factory=set)
    caption: str | None = None
    footer: list[list[Any]] = field(default_factory=list)

    def all_rows(self) -> list[list[Any]]:
        """Body rows then footer rows, as a file lists them."""
        return [*self.rows, *self.footer]

    def flat_headers(self) -> list[str]:
        """Headers for a file: each prefixed with its group label when there are groups."""
        if not self.groups:
            return list(self.headers)
        labels: list[str] = []
        for label, span in self.groups:
            labels.extend([label] * span)
        return [f"{g} — {h}" if g else h for g, h in zip(labels, self.headers, strict=False)]


def plain(value: Any) -> Any:
    """The exported value of a cell: bools as oui/non, None as empty, Cells unwrapped."""
    if isinstance(value, Cell):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, float):
        return round(value, 2)
    return value


def _csv_value(value: Any) -> str:
    value = plain(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def to_csv(tables: list[Table]) -> bytes:
    """CSV bytes (UTF-8 with BOM, ``;``); several tables follow each other under their title."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                writer.writerow([])
            writer.writerow([table.title])
        writer.writerow(table.flat_headers())
        for row in table.all_rows():
            writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Feuille"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name.lower())
    return name


def to_xlsx(tables: list[Table]) -> bytes:
    """An XLSX workbook with one sheet per table (bold header row, frozen below it)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        sheet.append(table.flat_headers())
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.all_rows():
            sheet.append([plain(v) for v in row])
        sheet.freeze_panes = "B2"
        for i, header in enumerate(table.flat_headers(), start=1):
            width = min(60, max(10, len(str(header)) + 2))
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width
    if not tables:
        book.create_sheet(_("Aucune donnée"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def slug(text: str) -> str:
    """ASCII file-name fragment: « Session d'été » -> ``session-d-ete``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "export"


def filename(run, report: str, fmt: str) -> str:
    """File name naming the run and the report: ``session-12-groupe-a-resultats.csv``."""
    return f"session-{run.id}-{slug(run.title)}-{slug(report)}.{fmt}"


def export_response(tables: list[Table], fmt: str, name: str) -> Response:
    """A download of ``tables`` as ``fmt`` (csv or xlsx) named ``name``."""
    if fmt == "xlsx":
        body, mimetype = to_xlsx(tables), XLSX_TYPE
    else:
        body, mimetype = to_csv(tables), "text/csv; charset=utf-8"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
