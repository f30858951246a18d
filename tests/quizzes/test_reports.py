"""Trainer's results table, grading queue and self-assessment report: what the trainer sees, and
query counts that do not grow with the cohort."""

from __future__ import annotations

import re

import pytest

from courses.models import Course
from lms.db import db, utcnow
from quizzes.models import AttemptState
from tests.quizzes.builders import (
    analysis_attempts,
    analysis_quiz,
    cohort,
    make_attempt,
    make_instrument,
    option_settings,
)

NAMES = ["Alice", "Bruno", "Chloé", "David"]


def _row(html: str, name: str) -> str:
    """The table row headed by ``name``."""
    match = re.search(rf"<tr><th scope=\"row\">{re.escape(name)}</th>(.*?)</tr>", html, re.S)
    assert match, f"no row for {name}"
    return match.group(1)


@pytest.fixture
def results(app, make_user):
    course, run, trainer, enrolments = cohort(make_user, NAMES + ["Emma"])
    quiz = analysis_quiz(course)
    attempts = analysis_attempts(quiz, enrolments)
    return run, trainer, quiz, attempts


def test_results_table_shows_best_score_attempts_and_passed(results, client, login):
    run, trainer, quiz, attempts = results
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}/resultats").get_data(as_text=True)
    assert "Quiz de validation — module 1" in html
    alice, bruno, chloe = _row(html, "Alice"), _row(html, "Bruno"), _row(html, "Chloé")
    assert "100,0" in alice and "réussi" in alice
    assert "50,0" in bruno and "pas encore réussi" in bruno  # pass mark 60 %
    # Chloé: 25 % then 100 %: the best counts, both attempts are links.
    assert "100,0" in chloe and ">2<" not in chloe
    for made in (attempts["Chloé"], attempts["Chloé 2"]):
        assert f"/formateur/tentatives/{made.id}" in chloe
    assert "aucune tentative terminée" in _row(html, "Emma")
    assert f"/formateur/sessions/{run.id}/quiz/{quiz.id}/analyse" in html


def test_attempt_in_progress_is_listed_but_not_counted(results, client, login):
    run, trainer, quiz, attempts = results
    enrolment_id = attempts["David"].enrolment_id
    from courses.models import Enrolment

    make_attempt(
        quiz,
        db.session.get(Enrolment, enrolment_id),
        {"q1": {"response": {"choice": "a"}}},
        number=2,
        state=AttemptState.IN_PROGRESS,
    )
    login(trainer)
    david = _row(
        client.get(f"/formateur/sessions/{run.id}/resultats").get_data(as_text=True), "David"
    )
    assert "n° 2 (en cours)" in david
    assert re.search(r'class="num">1 <span class="attempt-links">', david)


def _results_cohort(make_user, size: int):
    names = [f"Apprenant {size}-{i}" for i in range(size)]
    course, run, _trainer, enrolments = cohort(make_user, names, key=f"r{size}")
    quizzes = [analysis_quiz(course, key=f"quiz-{n}") for n in range(2)]
    for i, enrolment in enumerate(enrolments.values()):
        for quiz in quizzes:
            make_attempt(quiz, enrolment, {"q1": {"score": i % 2, "choices": ["a"]}})
    return run


@pytest.mark.parametrize("page", ["resultats", "auto-evaluations", "a-corriger"])
def test_query_count_does_not_grow_with_learners(
    app, make_user, client, login, count_queries, page
):
    login(make_user("admin"))
    counts = []
    for size in (3, 20):
        run = _results_cohort(make_user, size)
        url = f"/formateur/sessions/{run.id}/{page}"
        assert client.get(url).status_code == 200
        with count_queries() as counter:
            client.get(url)
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_grading_queue_lists_essays_waiting_for_a_grade(app, make_user, client, login):
    course, run, trainer, enrolments = cohort(make_user, ["Alice", "Bruno"])
    quiz = make_instrument(
        course, "exam", [{"key": "essai", "type": "essay", "title": "Votre projet", "max_score": 5}]
    )
    waiting = make_attempt(
        quiz, enrolments["Alice"], {"essai": {"response": {"text": "Mon projet"}}}
    )
    graded = make_attempt(quiz, enrolments["Bruno"], {"essai": {"score": 4}})
    graded.answers[0].graded_at = utcnow()
    db.session.commit()
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}/a-corriger").get_data(as_text=True)
    row = _row(html, "Alice")
    assert "Votre projet" in row
    assert f"/formateur/tentatives/{waiting.id}#question-{quiz.questions[0].id}" in row
    assert "Bruno" not in html


@pytest.fixture
def self_assessed(app, make_user):
    course, run, trainer, enrolments = cohort(make_user, ["Alice", "Bruno", "Chloé"], "auto")
    course = db.session.get(Course, course.id)
    course.objectives = [
        {"key": "relation-usagers", "text": "Relation aux usagers"},
        {"key": "open-data", "text": "Open data"},
    ]
    db.session.commit()
    scale = option_settings(*[(str(v), f"niveau {v}") for v in range(1, 6)])
    questions = [
        {"key": "r1", "type": "scale", "competency": "relation-usagers", "settings": scale},
        {"key": "r2", "type": "scale", "competency": "relation-usagers", "settings": scale},
        {"key": "o1", "type": "scale", "competency": "open-data", "settings": scale},
    ]
    pre = make_instrument(course, "pre", questions, kind="self_assessment", purpose="pre")
    post = make_instrument(course, "post", questions, kind="self_assessment", purpose="post")

    def answer(instrument, enrolment, r1, r2, o1):
        values = {"r1": r1, "r2": r2, "o1": o1}
        make_attempt(
            instrument,
            enrolment,
            {k: {"value": v, "choices": [str(v)]} for k, v in values.items() if v is not None},
        )

    answer(pre, enrolments["Alice"], 1, 2, 2)  # relation 1.5, open data 2
    answer(post, enrolments["Alice"], 4, 5, 3)  # relation 4.5 (+3), open data 3 (+1)
    answer(pre, enrolments["Bruno"], 3, 3, 4)  # relation 3, open data 4
    answer(post, enrolments["Bruno"], 4, 4, 4)  # relation 4 (+1), open data 4 (0)
    answer(pre, enrolments["Chloé"], 2, 2, 1)  # no post yet: no gain
    return run, trainer


def test_self_assessment_report_gives_gain_per_learner_and_cohort_means(
    self_assessed, client, login
):
    run, trainer = self_assessed
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}/auto-evaluations").get_data(as_text=True)
    assert "Relation aux usagers" in html and "Open data" in html
    cells = lambda row: re.findall(r'<td class="num">(.*?)</td>', row)  # noqa: E731
    assert cells(_row(html, "Alice")) == ["1,5", "4,5", "3,0", "2,0", "3,0", "1,0"]
    assert cells(_row(html, "Bruno")) == ["3,0", "4,0", "1,0", "4,0", "4,0", "0,0"]
    chloe = cells(_row(html, "Chloé"))
    assert chloe[:2] == ["2,0", '<span class="muted">—</span>']
    # Cohort: pre relation (1.5 + 3 + 2) / 3 = 2.17; post (4.5 + 4) / 2 = 4.25; gain (3 + 1) / 2.
    assert cells(_row(html, "Moyenne du groupe"))[:3] == ["2,2", "4,2", "2,0"]
