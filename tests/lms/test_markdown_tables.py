"""A two-way table in a lesson: its empty corner cell is not an empty header (axe-core's
« empty-table-header »); the headers that name something stay headers."""

from __future__ import annotations

from lms.markdown import render


def test_empty_corner_of_a_table_is_a_plain_cell():
    html = render("| | En ligne | En présentiel |\n|---|---|---|\n| Public | large | local |")
    assert "<th></th>" not in html
    assert "<td></td>" in html
    assert "<th>En ligne</th>" in html and "<th>En présentiel</th>" in html
