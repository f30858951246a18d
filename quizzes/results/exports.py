"""Report tables and their exports: CSV for French Excel and XLSX, from the same rows as the page.

A report is a list of :class:`Table`; the page renders each one with the ``table`` macro of
``quizzes/trainer/_table.html`` and ``?format=csv`` / ``?format=xlsx`` gives the same rows as a
file. CSV is UTF-8 with a byte-order mark, ``;`` between fields and a decimal comma, which is
what Excel expects in French.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Response
from flask_babel import gettext as _

from lms import exports

FORMATS = ("csv", "xlsx")
XLSX_TYPE = exports.XLSX_TYPE


@dataclass(slots=True)
class Cell:
    """A cell whose page rendering differs from its exported ``value``.

    ``text`` is shown instead of the value (a ✓), ``label`` is its accessible name, ``href``
    makes it a link, ``links`` adds several (text, url) links after it, ``css`` a class.
    (Slots: a results page of 50 learners makes a thousand of them.)
    """

    value: Any
    text: str | None = None
    label: str | None = None
    href: str | None = None
    links: Sequence[tuple[str, str]] = ()
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

    def all_rows(self) -> Iterable[list[Any]]:
        """Body rows then footer rows, as a file lists them (``rows`` may be a generator that
        reads the database a batch at a time: an export of every learner)."""
        return itertools.chain(self.rows, self.footer)

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


def _csv_rows(tables: list[Table]) -> Iterator[list[Any]]:
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                yield []
            yield [table.title]
        yield table.flat_headers()
        yield from ([plain(v) for v in row] for row in table.all_rows())


def to_csv(tables: list[Table], delimiter: str = ";") -> bytes:
    """CSV bytes (UTF-8 with BOM, ``;``); several tables follow each other under their title.

    Dates, decimal commas and the neutralisation of formulas are :mod:`lms.exports`' work.
    """
    return exports.csv_bytes(_csv_rows(tables), delimiter)


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Feuille"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name.lower())
    return name


def _sheets(tables: list[Table]):
    used: set[str] = set()
    for table in tables:
        rows = itertools.chain(
            [table.flat_headers()], ([plain(v) for v in row] for row in table.all_rows())
        )
        yield _sheet_title(table.title, used), rows
    if not tables:
        yield _("Aucune donnée"), []


def to_xlsx(tables: list[Table]) -> bytes:
    """An XLSX workbook with one sheet per table; text cells are strings, never formulas."""
    return exports.xlsx_bytes(_sheets(tables))


def slug(text: str) -> str:
    """ASCII file-name fragment: « Session d'été » -> ``session-d-ete``."""
    return exports.ascii_name(text)


def filename(run, report: str, fmt: str) -> str:
    """File name naming the run and the report: ``session-12-groupe-a-resultats.csv``."""
    return f"session-{run.id}-{slug(run.title)}-{slug(report)}.{fmt}"


def export_response(tables: list[Table], fmt: str, name: str) -> Response:
    """A download of ``tables`` as ``fmt`` (csv or xlsx) named ``name``."""
    if fmt == "xlsx":
        return exports.xlsx_response(_sheets(tables), name)
    return exports.csv_response(_csv_rows(tables), name)
