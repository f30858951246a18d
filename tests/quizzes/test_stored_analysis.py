"""The item analysis is stored per (run, quiz) and computed again only when the attempts change:
same figures as the direct computation, new figures after a submission or a grading, no
write and no aggregate over the answers while nothing changed."""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from lms.db import db
from quizzes.models import Answer, Attempt, StoredAnalysis
from quizzes.results import graphs, item_analysis, stored
from quizzes.taking import attempts as service
from tests.quizzes.builders import analysis_attempts, analysis_quiz, cohort
from tests.quizzes.test_item_analysis import NAMES


def _figures(stats) -> list[tuple]:
    return [
        (
            s.question.id,
            s.n,
            s.facility,
            s.sd,
            s.discrimination,
            [(o.key, o.count) for o in s.options],
        )
        for s in stats
    ]


def _setup(make_user):
    course, run, trainer, enrolments = cohort(make_user, [*NAMES, "Émile"])
    quiz = analysis_quiz(course)
    analysis_attempts(quiz, enrolments)
    return run, trainer, quiz, enrolments


def test_stored_figures_are_those_of_the_direct_computation(app, make_user):
    run, _trainer, quiz, _enrolments = _setup(make_user)
    attempts, stats, scores = stored.analysis(quiz, run.id)
    direct_attempts, direct = item_analysis.analyse(quiz, run.id)
    assert attempts == direct_attempts == 4
    assert _figures(stats) == _figures(direct)
    assert sorted(graphs.first_scores(quiz.id, run.id)) == [0, 25, 50, 100]
    assert scores == [(0, 1), (25, 1), (50, 1), (100, 1)]  # (score, people)
    again = stored.analysis(quiz, run.id)  # read back from the stored row
    assert again[0] == 4 and _figures(again[1]) == _figures(direct) and again[2] == scores


def test_page_reads_the_stored_figures_without_writing(
    app, make_user, client, login, count_queries
):
    run, trainer, quiz, _enrolments = _setup(make_user)
    login(trainer)
    url = f"/formateur/sessions/{run.id}/quiz/{quiz.id}/analyse"
    client.get(url)
    first = db.session.scalar(sa.select(StoredAnalysis.computed_at))
    with count_queries() as counter:
        html = client.get(url).get_data(as_text=True)
    assert "Calculée sur 4 tentatives" in html and "68,8" in html
    written = [s for s in counter.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert written == []
    assert not any("answer_choices" in s for s in counter.statements)  # no aggregate
    assert sum("FROM questions" in s for s in counter.statements) == 1  # read once
    assert db.session.scalar(sa.select(StoredAnalysis.computed_at)) == first


def test_one_more_submitted_attempt_changes_the_figures(app, make_user, client, login):
    run, trainer, quiz, enrolments = _setup(make_user)
    login(trainer)
    url = f"/formateur/sessions/{run.id}/quiz/{quiz.id}/analyse"
    assert "Calculée sur 4 tentatives" in client.get(url).get_data(as_text=True)
    emile = enrolments["Émile"]
    attempt = service.start(quiz, emile.user, run.id)
    q1, q2, _q3 = (q for q in quiz.questions)
    service.save_answers(attempt, MultiDict({f"q{q1.id}": "a", f"q{q2.id}": "true"}))
    service.submit(attempt)
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "Calculée sur 5 tentatives" in html
    _n, direct = item_analysis.analyse(quiz, run.id)
    assert _figures(stored.analysis(quiz, run.id)[1]) == _figures(direct)
    assert direct[0].facility == 60.0  # q1 right for 3 of 5 now


def test_a_grading_changes_the_figures(app, make_user):
    run, _trainer, quiz, _enrolments = _setup(make_user)
    before = _figures(stored.analysis(quiz, run.id)[1])
    attempt = db.session.scalar(
        sa.select(Attempt).where(Attempt.score == 0).order_by(Attempt.id).limit(1)
    )
    answer = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == attempt.id).limit(1))
    answer.score = (answer.score or 0) + 1
    attempt.score = (attempt.score or 0) + 1
    db.session.commit()
    after = _figures(stored.analysis(quiz, run.id)[1])
    assert after != before
    assert after == _figures(item_analysis.analyse(quiz, run.id)[1])
