"""The HTML of the cells of the trainers' report tables (results, item analysis): each kind of
cell as the page shows it, and every text coming from people or content escaped."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from markupsafe import Markup

from quizzes.results.cells import cell_html, row_html
from quizzes.results.exports import Cell

EVIL = '<script>alert("x")</script>&'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;"


@pytest.mark.parametrize(
    ("cell", "html"),
    [
        (None, '<span class="muted">—</span>'),
        ("", '<span class="muted">—</span>'),
        (True, "oui"),
        (False, "non"),
        (12.25, "12,2"),
        (7, "7"),
        (Cell(80.0, href="/tentatives/3"), '<a href="/tentatives/3">80,0</a>'),
        (
            Cell(True, text="✓", label="réussi", css="ok"),
            '<span aria-hidden="true" class="mark ok">✓</span>'
            '<span class="visually-hidden">réussi</span>',
        ),
        (
            Cell(None, text="—", label="aucune tentative terminée"),
            '<span aria-hidden="true">—</span>'
            '<span class="visually-hidden">aucune tentative terminée</span>',
        ),
        (Cell("à corriger", css="warn"), '<span class="badge warn">à corriger</span>'),
        (
            Cell(2, links=[("n° 1", "/t/1"), ("n° 2 (en cours)", "/t/2")]),
            '2 <span class="attempt-links"><a href="/t/1">n° 1</a>, '
            '<a href="/t/2">n° 2 (en cours)</a></span>',
        ),
        (Cell(None), '<span class="muted">—</span>'),
    ],
)
def test_each_kind_of_cell_is_written_as_the_page_shows_it(app, cell, html):
    with app.test_request_context("/"):
        written = cell_html(cell)
    assert isinstance(written, Markup)
    assert str(written) == html


def test_every_text_of_a_cell_is_escaped(app):
    """A learner's name, a quiz title or a translation never reaches the page as markup."""
    cells = [
        EVIL,
        Cell(EVIL, href=EVIL),
        Cell(1, text=EVIL, label=EVIL, css=EVIL),
        Cell(EVIL, css=EVIL),
        Cell(1, links=[(EVIL, EVIL)]),
    ]
    with app.test_request_context("/"):
        for cell in cells:
            html = str(cell_html(cell))
            assert "<script" not in html
            assert ESCAPED in html


def test_cells_follow_the_reader_language(app):
    with app.test_request_context("/"), force_locale("en"):
        assert str(cell_html(True)) == "yes"
        assert str(cell_html(1234.56)) == "1,234.6"


def test_a_row_heads_with_its_first_value_and_aligns_numeric_columns(app):
    with app.test_request_context("/"):
        html = str(row_html(["Ada <Lovelace>", 80.0, "texte", Cell(2, href="/t/2")], {1, 3}))
    assert html == (
        '<tr><th scope="row">Ada &lt;Lovelace&gt;</th><td class="num">80,0</td>'
        '<td>texte</td><td class="num"><a href="/t/2">2</a></td></tr>'
    )
