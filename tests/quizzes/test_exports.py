"""Exports of the trainer's tables: CSV for French Excel and XLSX, the same rows as the page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from quizzes.results.exports import Cell, Table, slug, to_csv
from tests.quizzes.builders import analysis_attempts, analysis_quiz, cohort

NAMES = ["Alice", "Bruno", "Chloé", "David"]


@pytest.fixture
def run_data(app, make_user):
    course, run, trainer, enrolments = cohort(make_user, NAMES)
    quiz = analysis_quiz(course)
    analysis_attempts(quiz, enrolments)
    return run, trainer, quiz


def test_csv_is_utf8_with_bom_semicolons_and_decimal_commas(run_data, client, login):
    run, trainer, _quiz = run_data
    login(trainer)
    response = client.get(f"/formateur/sessions/{run.id}/resultats?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="session-{run.id}-session-gcu-resultats.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == [
        "Apprenant",
        "Quiz de validation — module 1 — Meilleur score (%)",
        "Quiz de validation — module 1 — Tentatives",
        "Quiz de validation — module 1 — Réussi",
    ]
    assert rows[1:] == [
        ["Alice", "100", "1", "oui"],
        ["Bruno", "50", "1", "non"],
        ["Chloé", "100", "2", "oui"],
        ["David", "0", "1", "non"],
    ]


def test_xlsx_holds_the_same_rows_as_the_page(run_data, client, login):
    run, trainer, quiz = run_data
    login(trainer)
    url = f"/formateur/sessions/{run.id}/quiz/{quiz.id}/analyse"
    response = client.get(url + "?format=xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "analyse-quiz-m1.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Statistiques par question", "Réponses choisies"]
    stats = [[c.value for c in row] for row in book["Statistiques par question"].iter_rows()]
    assert stats[0][0] == "Question" and stats[0][-1] == "Indice de discrimination (%)"
    assert stats[1][:4] == ["1. Portail", "Choix unique", 1, 4]
    assert stats[3][4] == pytest.approx(37.5)  # facility of q3, a number in the sheet
    page = client.get(url).get_data(as_text=True)
    for row in stats[1:]:
        assert f'<th scope="row">{row[0]}</th>' in page
    choices = [[c.value for c in row] for row in book["Réponses choisies"].iter_rows()]
    assert ["1. Portail", "Guichet unique", "100 %", 2, 50] in choices


REPORTS = ["resultats", "a-corriger", "besoins", "auto-evaluations", "satisfaction"]


def test_every_report_downloads_in_both_formats(run_data, client, login):
    run, trainer, _quiz = run_data
    login(trainer)
    for page in REPORTS:
        html = client.get(f"/formateur/sessions/{run.id}/{page}").get_data(as_text=True)
        if "Exporter en CSV" in html:
            assert "« ; » comme séparateur" in html
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/formateur/sessions/{run.id}/{page}?format={fmt}")
            assert response.status_code == 200
            assert re.fullmatch(
                rf'attachment; filename="session-{run.id}-session-gcu-{page}\.{fmt}"',
                response.headers["Content-Disposition"],
            )


def test_several_tables_follow_each_other_with_their_titles(app):
    first = Table("a", "Premier", ["Nom", "Note"], rows=[["Zoé", 12.5], ["Yann", None]])
    second = Table("b", "Second", ["Nom", "Fait"], rows=[[Cell("Xavier", href="/x"), True]])
    second.footer.append(["Total", False])
    text = to_csv([first, second]).decode("utf-8-sig")
    assert text.splitlines() == [
        "Premier",
        "Nom;Note",
        "Zoé;12,5",
        "Yann;",
        "",
        "Second",
        "Nom;Fait",
        "Xavier;oui",
        "Total;non",
    ]


def test_file_names_are_plain_ascii():
    assert slug("Session d'été à Paris (groupe 2)") == "session-d-ete-a-paris-groupe-2"
    assert slug("«»") == "export"
