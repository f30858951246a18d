"""Concurrent requests against the attempt limit and submission (threads, real database)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from courses.models import Enrolment
from lms.db import db
from lms.models import User
from lms.signals import attempt_submitted
from quizzes.models import Answer, AnswerChoice, Attempt, AttemptState, Instrument
from quizzes.taking import attempts
from tests.quizzes.taking_data import add_quiz, setup_course
from tests.quizzes.test_attempts import right_answers

THREADS = 4


def run_together(app, job) -> list:
    """Run ``job()`` in THREADS threads released at once, each in its own app context."""
    barrier = threading.Barrier(THREADS)
    outcomes: list = []

    def work():
        with app.app_context():
            barrier.wait()
            try:
                outcomes.append(job())
            except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
                db.session.rollback()
                outcomes.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def data(app, make_user):
    data = setup_course(make_user)
    data.quiz = add_quiz(data.course, attempts=2)
    first = attempts.start(data.quiz, data.learner, data.run.id, data.enrolment)
    attempts.submit(first)
    db.session.commit()
    return data


def test_concurrent_starts_cannot_exceed_the_limit(app, data):
    ids = (data.quiz.id, data.learner.id, data.run.id, data.enrolment.id)

    def start_one():
        instrument = db.session.get(Instrument, ids[0])
        user = db.session.get(User, ids[1])
        enrolment = db.session.get(Enrolment, ids[3])
        attempt = attempts.start(instrument, user, ids[2], enrolment)
        db.session.commit()
        return attempt.id

    outcomes = run_together(app, start_one)
    unexpected = [o for o in outcomes if isinstance(o, Exception)]
    assert unexpected == []
    assert len(set(outcomes)) == 1  # every request got the same new attempt
    db.session.rollback()  # end the read transaction: see what the threads committed
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 2


def test_concurrent_submissions_record_one_attempt(app, data):
    second = attempts.start(data.quiz, data.learner, data.run.id, data.enrolment)
    attempts.save_answers(second, right_answers(data.quiz))
    db.session.commit()
    attempt_id = second.id
    sent = []

    def listener(sender, attempt):
        sent.append(attempt.id)

    def submit_one():
        done = attempts.submit(db.session.get(Attempt, attempt_id))
        db.session.commit()
        return done

    with attempt_submitted.connected_to(listener):
        outcomes = run_together(app, submit_one)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert outcomes.count(True) == 1 and sent == [attempt_id]
    db.session.rollback()  # end the read transaction: see what the threads committed
    assert db.session.get(Attempt, attempt_id).state == AttemptState.NEEDS_GRADING
    choices = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AnswerChoice)
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .where(Answer.attempt_id == attempt_id)
    )
    assert choices == 6
