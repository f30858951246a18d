"""Every CSV and XLSX export neutralises formulas: learners named like formulas, answers too."""

from __future__ import annotations

import pytest

from lms.exports import safe_cell
from quizzes.models import AttemptState
from tests.quizzes.builders import (
    analysis_attempts,
    analysis_quiz,
    cohort,
    make_attempt,
    make_instrument,
)
from tests.support.spreadsheets import FORMULAS, assert_csv_safe, assert_xlsx_safe

ALIASES = dict(zip(["Alice", "Bruno", "Chloé", "David"], FORMULAS, strict=True))


def test_safe_cell_prefixes_formula_text_and_leaves_numbers():
    assert [safe_cell(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert safe_cell("\tx") == "'\tx" and safe_cell("\rx") == "'\rx"
    assert safe_cell(-2) == -2 and safe_cell(3.5) == 3.5
    assert safe_cell("Chloé -2") == "Chloé -2" and safe_cell("") == ""


@pytest.fixture
def formula_run(app, make_user):
    """A run whose four learners are named like formulas, with quiz attempts and a grid."""
    course, run, trainer, enrolments = cohort(make_user, FORMULAS, key="pieges")
    quiz = analysis_quiz(course)
    analysis_attempts(quiz, {name: enrolments[alias] for name, alias in ALIASES.items()})
    grid = make_instrument(
        course,
        "grille",
        [{"key": "projet", "type": "text", "title": "=1+1"}],
        kind="self_assessment",
        purpose="survey",
        title="Grille",
    )
    make_attempt(grid, enrolments[FORMULAS[1]], {"projet": {"response": {"text": "@SUM(A1)"}}})
    make_attempt(grid, enrolments[FORMULAS[0]], {}, state=AttemptState.IN_PROGRESS)
    return run, trainer, quiz, grid


def report_urls(run, quiz, grid) -> dict[str, list[str]]:
    """Every trainer export, with the formula texts it must hold (neutralised)."""
    base = f"/formateur/sessions/{run.id}"
    return {
        f"{base}/resultats": FORMULAS,
        f"{base}/a-corriger": [],
        f"{base}/besoins": [],
        f"{base}/auto-evaluations": [],
        f"{base}/satisfaction": [],
        f"{base}/questionnaires": [],
        f"{base}/questionnaires/{grid.id}": ["=1+1", "@SUM(A1)"],
        f"{base}/quiz/{quiz.id}/analyse": [],
    }


def test_every_trainer_export_neutralises_formulas(formula_run, client, login):
    run, trainer, quiz, grid = formula_run
    login(trainer)
    for url, expected in report_urls(run, quiz, grid).items():
        response = client.get(url + "?format=csv")
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", url
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        assert_csv_safe(response.data, expected)
        response = client.get(url + "?format=xlsx")
        assert response.status_code == 200, url
        assert_xlsx_safe(response.data, expected)


def test_csv_offers_commas(formula_run, client, login):
    run, trainer, quiz, grid = formula_run
    login(trainer)
    response = client.get(f"/formateur/sessions/{run.id}/resultats?format=csv&sep=comma")
    rows = assert_csv_safe(response.data, FORMULAS, delimiter=",")
    assert rows[0][0] == "Apprenant" and len(rows[0]) > 1


def test_numbers_stay_numbers_in_csv_and_xlsx():
    from lms.exports import csv_bytes, xlsx_bytes
    from tests.support.spreadsheets import csv_cells

    rows = [["Nom", "Indice"], ["-2+3", -12.5], ["x", -3]]
    assert csv_cells(csv_bytes(rows)) == [["Nom", "Indice"], ["'-2+3", "-12,5"], ["x", "-3"]]
    sheet = assert_xlsx_safe(xlsx_bytes([("Feuille", rows)]), ["-2+3"])
    assert sheet[1:] == [["-2+3", -12.5], ["x", -3]]
