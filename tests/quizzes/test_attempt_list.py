"""The learner's table of their own attempts on a quiz page: newest first, ten a page, the
count and best grade summed up by SQL, whatever the number of attempts (a practice quiz with
unlimited attempts may collect hundreds)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import refresh

from lms.db import db, utcnow
from quizzes.models import Attempt, AttemptState
from quizzes.taking import attempts as service
from tests.conftest import csrf_token
from tests.factories import enrol
from tests.quizzes.taking_data import add_quiz, setup_course
from tests.quizzes.test_taking import activity_url


@pytest.fixture
def data(app, make_user, login):
    data = setup_course(make_user)
    login(data.learner)
    return data


def add_attempts(data, quiz, scores, user=None, enrolment=None, start=1):
    """Sent attempts with these scores out of 4 (numbers from ``start``), straight in the
    database: a page's behaviour, not the taking, is under test."""
    user, enrolment = user or data.learner, enrolment or data.enrolment
    now = utcnow()
    for offset, score in enumerate(scores):
        db.session.add(
            Attempt(
                instrument_id=quiz.id,
                user_id=user.id,
                run_id=data.run.id,
                enrolment_id=enrolment.id,
                number=start + offset,
                state=AttemptState.SUBMITTED,
                started_at=now - timedelta(hours=len(scores) - offset),
                submitted_at=now - timedelta(hours=len(scores) - offset, minutes=-5),
                score=float(score),
                max_score=4.0,
                passed=score >= 2,
            )
        )
    db.session.commit()


def row_numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<th scope="row">(\d+)</th>', html)]


def test_ten_attempts_a_page_newest_first_with_the_count_and_best_grade(client, data):
    quiz = add_quiz(data.course, review_after_attempt="score")
    add_attempts(data, quiz, [1] * 7 + [3] + [1] * 17)  # 25 attempts, the best (75 %) is n° 8
    page = client.get(activity_url(data, quiz)).get_data(as_text=True)
    assert row_numbers(page) == list(range(25, 15, -1))
    assert "Tentatives 25 à 16 sur 25, les plus récentes d'abord." in page
    assert "Meilleure note : 75\xa0%." in page
    assert 'aria-label="Pages de vos tentatives"' in page
    # each page link leads back to the table, not to the top of the page
    assert f'href="{activity_url(data, quiz)}?page=3#your-attempts"' in page
    assert '<h2 id="your-attempts">' in page
    assert "Commencer une nouvelle tentative" in page

    third = client.get(activity_url(data, quiz) + "?page=3").get_data(as_text=True)
    assert row_numbers(third) == [5, 4, 3, 2, 1]
    assert "Tentatives 5 à 1 sur 25" in third
    assert 'href="/parcours/tentatives/' in third and "Voir la tentative 1<" in third
    # a page past the end shows the last one; a page that is not a number, the first
    assert row_numbers(client.get(activity_url(data, quiz) + "?page=99").get_data(True)) == [
        5,
        4,
        3,
        2,
        1,
    ]
    for wrong in ("?page=abc", "?page=-2", "?page=0"):
        shown = client.get(activity_url(data, quiz) + wrong)
        assert shown.status_code == 200
        assert row_numbers(shown.get_data(as_text=True))[0] == 25


def test_a_few_attempts_need_no_pager_and_the_grade_follows_the_review_options(client, data):
    quiz = add_quiz(data.course, review_after_attempt="", review_after_close="")
    add_attempts(data, quiz, [4, 1])
    page = client.get(activity_url(data, quiz)).get_data(as_text=True)
    assert row_numbers(page) == [2, 1]
    assert "Pages de vos tentatives" not in page and "sur 2" not in page
    assert "Meilleure note" not in page and "100\xa0%" not in page  # the score is not shown


def test_the_count_and_best_grade_are_the_learners_own(client, data, make_user):
    quiz = add_quiz(data.course, attempts=3, review_after_attempt="score")
    other = make_user("learner", email="autre@example.org", name="Autre Personne")
    add_attempts(data, quiz, [4, 4, 4], user=other, enrolment=enrol(data.run, other))
    add_attempts(data, quiz, [1])
    page = client.get(activity_url(data, quiz)).get_data(as_text=True)
    assert row_numbers(page) == [1]
    assert "Meilleure note : 25\xa0%." in page
    assert "3 autorisées, 2 restantes" in page


def test_an_overdue_attempt_is_sent_when_the_page_is_shown(client, data):
    quiz = add_quiz(data.course, time_limit=5, review_after_attempt="score")
    add_attempts(data, quiz, [2] * 11)
    response = client.post(
        activity_url(data, quiz) + "/commencer",
        data={"csrf_token": csrf_token(client, activity_url(data, quiz))},
    )
    attempt = db.session.get(Attempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert attempt.number == 12
    page = client.get(activity_url(data, quiz)).get_data(as_text=True)
    assert "Reprendre la tentative 12" in page and ">Reprendre</a>" in page
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(activity_url(data, quiz)).get_data(as_text=True)
    assert "Voir la tentative 12" in page and "Reprendre" not in page
    assert "Tentatives 12 à 3 sur 12" in page
    assert "Meilleure note : 50\xa0%." in page  # the sent attempt (0 %) counted, not better
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state != AttemptState.IN_PROGRESS


def test_the_page_reads_a_bounded_number_of_statements(client, data, count_queries):
    """Up to a page of attempts: one read of them (the page sums itself up); more: the SQL
    aggregate and the page, the same statements for 40 or 80."""
    quizzes = {n: add_quiz(data.course, key=f"q{n}") for n in (3, 40, 80)}
    for n, quiz in quizzes.items():
        add_attempts(data, quiz, [1, 2, 3, 4] * (n // 4) or [1, 2, 3])
        client.get(activity_url(data, quiz))  # the first visit records the progress
    counters = {}
    for n, quiz in quizzes.items():
        with count_queries() as counters[n]:
            page = client.get(activity_url(data, quiz)).get_data(as_text=True)
        assert row_numbers(page) == list(range(n, max(0, n - 10), -1))
    reads = {
        n: [s for s in c.statements if re.search(r"FROM attempts\b", s)]
        for n, c in counters.items()
    }
    assert len(reads[3]) == 1 and "LIMIT" in reads[3][0]
    assert len(reads[40]) == len(reads[80]) == 2
    assert all("LIMIT" in s or "count(" in s for s in reads[40] + reads[80])
    assert counters[40].count == counters[80].count == counters[3].count + 1


@pytest.fixture
def fresh_locale(app):
    """Pick the language anew on each request (the test's one app context would keep it)."""
    app.before_request(refresh)


def test_in_english(fresh_locale, client, data):
    quiz = add_quiz(data.course, review_after_attempt="score")
    add_attempts(data, quiz, [2] * 12)
    data.learner.locale = "en"
    db.session.commit()
    page = client.get(activity_url(data, quiz)).get_data(as_text=True)
    assert "Attempts 12 to 3 of 12, most recent first." in page
    assert "Best grade: 50" in page
    assert 'aria-label="Pages of your attempts"' in page


def test_the_sql_summary_and_the_one_of_a_short_list_agree(data):
    """SQL sums up long lists (no attempt loaded), a short first page sums itself up: both
    count the same attempts, last number, attempt in progress and best final grade."""
    quiz = add_quiz(data.course)
    add_attempts(data, quiz, [0, 1, 2])  # best 50 %
    extra = [
        Attempt(state=AttemptState.NEEDS_GRADING, score=4.0, max_score=4.0),  # not final
        Attempt(state=AttemptState.GRADED, score=3.0, max_score=4.0),
        Attempt(state=AttemptState.SUBMITTED, score=0.0, max_score=0.0),  # nothing to score
        Attempt(state=AttemptState.IN_PROGRESS),
    ]
    for number, attempt in enumerate(extra, start=4):
        attempt.instrument_id, attempt.user_id, attempt.number = quiz.id, data.learner.id, number
        attempt.run_id, attempt.enrolment_id = data.run.id, data.enrolment.id
        db.session.add(attempt)
    db.session.commit()
    every = list(db.session.scalars(sa.select(Attempt)))
    assert service.Summary.of(every) == service.Summary(7, 7, extra[-1].id, 0.75)
    for attempt in every:
        db.session.expunge(attempt)
    summary = service.attempt_summary(quiz, data.learner.id, data.run.id)
    assert summary == service.Summary(7, 7, extra[-1].id, 0.75)
    assert not [o for o in db.session.identity_map.values() if isinstance(o, Attempt)]


def test_the_quiz_page_counts_the_questions_that_take_an_answer(client, data, count_queries):
    """« Questions » on the quiz page: its questions that take an answer, not its text blocks
    nor its archived questions — counted with the quiz itself, in one statement."""
    from quizzes.models import Question

    quiz = add_quiz(data.course)  # six questions
    db.session.add(Question(instrument_id=quiz.id, key="intro", position=0, type="description"))
    archived = db.session.scalar(
        sa.select(Question).where(Question.instrument_id == quiz.id, Question.key == "calcul")
    )
    archived.archived = True
    db.session.commit()
    client.get(activity_url(data, quiz))  # the first visit records where the learner is
    with count_queries() as counter:
        page = client.get(activity_url(data, quiz)).get_data(as_text=True)
    assert re.search(r"<dt>Questions</dt>\s*<dd>5</dd>", page)
    assert not [s for s in counter.statements if s.lstrip().startswith("SELECT questions")]
    assert len([s for s in counter.statements if "FROM questions" in s]) == 1
