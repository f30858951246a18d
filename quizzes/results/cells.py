"""The HTML of one cell of a report table (:class:`quizzes.results.exports.Cell` or a plain
value), as a Jinja filter: a results page has thousands of cells, and a macro call per cell
cost more than the rest of the page (see benchmarks/README.md)."""

from __future__ import annotations

from markupsafe import Markup

from lms.escaping import esc as _esc
from lms.formatting import decimal
from lms.i18n import gettext as _
from quizzes.results.exports import Cell

MUTED = Markup('<span class="muted">—</span>')


def value_html(value) -> Markup:
    """A plain value: « — » when empty, oui/non, a decimal in the reader's format, or text."""
    return Markup(_value(value))  # noqa: S704 - _value escapes


def _value(value) -> str:
    if value is None or value == "":
        return MUTED
    if value is True:
        return _esc(_("oui"))
    if value is False:
        return _esc(_("non"))
    if isinstance(value, float):
        return _esc(decimal(value))  # the ``decimal`` filter's own function
    return _esc(value)


def _cell(cell) -> str:
    """A cell: its text or value, as a link, a mark with an accessible label or a badge, then
    its attempt links.

    Built by concatenation of escaped parts: ``Markup.format`` (``string.Formatter`` with an
    escaping hook) cost more than half of a results page of 50 learners."""
    if not isinstance(cell, Cell):
        return _value(cell)
    shown = _esc(cell.text) if cell.text is not None else _value(cell.value)
    if cell.href:
        html = f'<a href="{_esc(cell.href)}">{shown}</a>'
    elif cell.label:
        css = f' class="mark {_esc(cell.css)}"' if cell.css else ""
        html = (
            f'<span aria-hidden="true"{css}>{shown}</span>'
            f'<span class="visually-hidden">{_esc(cell.label)}</span>'
        )
    elif cell.css:
        html = f'<span class="badge {_esc(cell.css)}">{shown}</span>'
    else:
        html = str(shown)
    if cell.links:
        links = ", ".join(f'<a href="{_esc(url)}">{_esc(text)}</a>' for text, url in cell.links)
        html += f' <span class="attempt-links">{links}</span>'
    return html


def cell_html(cell) -> Markup:
    """:func:`_cell` as safe HTML (the ``report_cell`` filter)."""
    return Markup(_cell(cell))  # noqa: S704 - every part is escaped


def row_html(row, numeric) -> Markup:
    """A row of a report table: its first value as the row's header, the others as cells
    (right-aligned when their column is in ``numeric``). One filter call per row: Jinja's loop
    over the cells of a 50-learner results page cost more than the cells themselves."""
    parts = ["<tr>"]
    for index, value in enumerate(row):
        if index == 0:
            parts.append(f'<th scope="row">{_cell(value)}</th>')
        elif index in numeric:
            parts.append(f'<td class="num">{_cell(value)}</td>')
        else:
            parts.append(f"<td>{_cell(value)}</td>")
    parts.append("</tr>")
    return Markup("".join(parts))  # noqa: S704 - _cell escapes every value
