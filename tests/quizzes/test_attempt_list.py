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
    assert f'href="{activity_url(data, quiz)}?page=3"' in page
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


def test_the_page_reads_the_same_statements_for_3_or_40_attempts(client, data, count_queries):
    few, many = add_quiz(data.course, key="peu"), add_quiz(data.course, key="beaucoup")
    add_attempts(data, few, [1, 2, 3])
    add_attempts(data, many, [1, 2, 3, 4] * 10)
    for quiz in (few, many):  # first visits record the progress
        client.get(activity_url(data, quiz))
    with count_queries() as small:
        assert client.get(activity_url(data, few)).status_code == 200
    with count_queries() as large:
        page = client.get(activity_url(data, many)).get_data(as_text=True)
    assert len(row_numbers(page)) == 10
    assert large.count == small.count
    attempt_reads = [s for s in large.statements if re.search(r"FROM attempts\b", s)]
    assert len(attempt_reads) == 2  # the summary and the page
    assert all("LIMIT" in s or "count(" in s for s in attempt_reads)


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


def test_counts_use_sql(data):
    """The summary is one aggregate: no attempt row is loaded to count them."""
    from quizzes.taking import attempts as service

    quiz = add_quiz(data.course)
    add_attempts(data, quiz, [0, 4, 2])
    for loaded in [o for o in db.session.identity_map.values() if isinstance(o, Attempt)]:
        db.session.expunge(loaded)
    summary = service.attempt_summary(quiz, data.learner.id, data.run.id)
    assert (summary.count, summary.last, summary.in_progress_id) == (3, 3, None)
    assert summary.best == 1.0
    assert not [o for o in db.session.identity_map.values() if isinstance(o, Attempt)]
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 3
