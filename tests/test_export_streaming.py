"""Staff exports of a big run are streamed and complete: the response is a generator (CSV
rows formatted while sent, XLSX sent from a temporary file in chunks), every learner is in it,
and the results export reads its learners a batch at a time while it is sent."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from courses import exports as course_exports
from quizzes.results import tables
from tests.courses.test_roster_pages import big_run  # noqa: F401 - fixture
from tests.quizzes.builders import analysis_quiz, make_attempt


@pytest.fixture
def results_run(big_run):  # noqa: F811
    """The 120 learners of ``big_run``; the first 100 took the validation quiz."""
    trainer, run = big_run
    quiz = analysis_quiz(run.course)
    for enrolment in sorted(run.enrolments, key=lambda e: e.user.name)[:100]:
        make_attempt(quiz, enrolment, {"q1": {"score": 1, "choices": ["a"]}})
    return trainer, run


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_results_csv_is_streamed_complete_and_read_in_batches(
    results_run, client, login, count_queries, monkeypatch
):
    trainer, run = results_run
    monkeypatch.setattr(tables, "EXPORT_BATCH", 50)
    login(trainer)
    response = client.get(f"/formateur/sessions/{run.id}/resultats?format=csv")
    assert response.status_code == 200 and response.is_streamed
    with count_queries() as sent:  # what runs while the body is sent
        rows = _rows(response.get_data())
    assert len(rows) == 1 + 120
    assert rows[1][0] == "Apprenant 000" and rows[1][1] == "25"  # 1 of 4 points
    assert rows[-1][0] == "Zoé Vasseur"
    batches = [s for s in sent.statements if "max(" in s.lower() and "attempts" in s]
    assert len(batches) == 3  # 120 learners, 50 a batch


def test_results_xlsx_is_streamed_and_complete(results_run, client, login):
    trainer, run = results_run
    login(trainer)
    response = client.get(f"/formateur/sessions/{run.id}/resultats?format=xlsx")
    assert response.status_code == 200 and response.is_streamed
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 120 and names[0] == "Apprenant 000"


def test_progress_and_enrolment_exports_are_streamed_complete_and_read_in_batches(
    big_run,  # noqa: F811
    client,
    login,
    count_queries,
    monkeypatch,
):
    trainer, run = big_run
    monkeypatch.setattr(course_exports, "EXPORT_BATCH", 50)
    login(trainer)
    for path in (f"/formateur/sessions/{run.id}", f"/formateur/sessions/{run.id}/inscriptions"):
        response = client.get(path + "?format=csv")
        assert response.status_code == 200 and response.is_streamed, path
        with count_queries() as sent:  # what runs while the body is sent
            rows = _rows(response.get_data())
        assert len(rows) == 1 + 120, path
        names = [row[0] for row in rows[1:]]
        assert names == sorted(names) and names[0] == "Apprenant 000", path
        assert names[-1] == "Zoé Vasseur", path
        batches = [
            s
            for s in sent.statements
            if s.startswith("SELECT users.id") and "enrolments.id IN" in s
        ]
        assert len(batches) == 3, path  # 120 learners, 50 a batch
    started = _rows(client.get(f"/formateur/sessions/{run.id}/inscriptions?format=csv").data)
    header = started[0].index("Commencé le")
    assert sum(1 for row in started[1:] if row[header]) == 90  # every 4th has not started


def test_a_response_never_read_leaves_no_context_behind(results_run, client, login):
    trainer, run = results_run
    login(trainer)
    client.get(f"/formateur/sessions/{run.id}/resultats?format=xlsx")  # body never read
    html = client.get(f"/formateur/sessions/{run.id}/resultats").get_data(as_text=True)
    assert "Apprenant 000" in html
