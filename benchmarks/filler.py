"""Filler: answers in other runs of the other courses (``--filler-answers N``).

The measured runs are the same whatever the option; the filler makes the *database* big around
them (issue 10: « the same pages with 1,000,000 answers in the database take ≤ 1.3× their time
with 10,000 »). Learners of filler runs of the other shipped courses (not GCU07) each submit
one attempt at every instrument of their course, with an answer to every question. Rows carry
explicit ids and are written with :func:`lms.db.bulk_insert` (``COPY`` on PostgreSQL), a batch
of learners at a time, so that a million answers take seconds, not minutes, in bounded memory.
"""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from benchmarks.dataset import COURSE_KEY
from courses.models import Course, CourseRun, Enrolment, EnrolmentStatus
from lms.db import bulk_insert, db, is_sqlite, utcnow
from lms.models import User
from quizzes.models import Answer, Attempt, AttemptState, Instrument, Question

BATCH = 1000  # learners written per batch (one filler run each)


def _courses() -> list[tuple[int, list[tuple[int, list[int]]]]]:
    """(course id, [(instrument id, its question ids)]) of every course but the measured one."""
    rows = db.session.execute(
        sa.select(Course.id, Instrument.id, Question.id)
        .join(Instrument, Instrument.course_id == Course.id)
        .join(Question, Question.instrument_id == Instrument.id)
        .where(Course.key != COURSE_KEY, ~Question.archived)
        .order_by(Course.id, Instrument.id, Question.position)
    ).all()
    found: dict[int, dict[int, list[int]]] = {}
    for course_id, instrument_id, question_id in rows:
        found.setdefault(course_id, {}).setdefault(instrument_id, []).append(question_id)
    return [(course, list(instruments.items())) for course, instruments in found.items()]


def _next_ids() -> dict[str, int]:
    return {
        model.__tablename__: (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
        for model in (User, Enrolment, Attempt, Answer)
    }


def _batch(number: int, course_id: int, instruments, learners: int, ids: dict, budget: int):
    """One filler run of ``learners`` learners of a course; returns the answers written."""
    now, today = utcnow(), utcnow().date()
    run = CourseRun(
        course_id=course_id,
        title=f"Remplissage {number}",
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=390),
    )
    db.session.add(run)
    db.session.flush()
    rng = random.Random(number)
    users, enrolments, attempts, answers = [], [], [], []
    for _n in range(learners):
        if len(answers) >= budget:
            break
        user_id, enrolment_id = ids["users"], ids["enrolments"]
        ids["users"] += 1
        ids["enrolments"] += 1
        users.append(_user(user_id, now))
        enrolments.append(_enrolment(enrolment_id, run.id, user_id, now))
        for instrument_id, questions in instruments:
            attempt_id = ids["attempts"]
            ids["attempts"] += 1
            scores = [float(rng.random() < 0.7) for _q in questions]
            attempts.append(
                _attempt(attempt_id, instrument_id, user_id, run.id, enrolment_id, now, scores)
            )
            for question_id, score in zip(questions, scores, strict=True):
                answers.append(_answer(ids["answers"], attempt_id, question_id, score, now))
                ids["answers"] += 1
    answers = answers[:budget]
    for model, rows in ((User, users), (Enrolment, enrolments), (Attempt, attempts)):
        bulk_insert(model.__table__, rows)
    bulk_insert(Answer.__table__, answers)
    db.session.commit()
    return len(answers)


def _user(user_id, now) -> dict:
    return {
        "id": user_id,
        "email": f"remplissage{user_id}@bench.example.org",
        "name": f"Remplissage {user_id}",
        "role": "learner",
        "active": True,
        "created_at": now,
    }


def _enrolment(enrolment_id, run_id, user_id, now) -> dict:
    return {
        "id": enrolment_id,
        "run_id": run_id,
        "user_id": user_id,
        "status": EnrolmentStatus.COMPLETED,
        "invitations_sent": 1,
        "invited_at": now,
        "completed_at": now,
    }


def _attempt(attempt_id, instrument_id, user_id, run_id, enrolment_id, now, scores) -> dict:
    return {
        "id": attempt_id,
        "instrument_id": instrument_id,
        "user_id": user_id,
        "run_id": run_id,
        "enrolment_id": enrolment_id,
        "number": 1,
        "state": AttemptState.SUBMITTED,
        "started_at": now,
        "submitted_at": now,
        "score": sum(scores),
        "max_score": float(len(scores)),
        "layout": {},
        "channel": "web",
    }


def _answer(answer_id, attempt_id, question_id, score, now) -> dict:
    return {
        "id": answer_id,
        "attempt_id": attempt_id,
        "question_id": question_id,
        "response": {},
        "score": score,
        "updated_at": now,
    }


def _reset_sequences() -> None:
    """PostgreSQL: move the id sequences past the explicit ids (the app inserts after)."""
    if is_sqlite():
        return
    statement = sa.text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value)")
    for model in (User, Enrolment, Attempt, Answer, CourseRun):
        highest = db.session.scalar(sa.select(sa.func.max(model.id))) or 1
        db.session.execute(statement, {"table": model.__tablename__, "value": highest})
    db.session.commit()


def add(answers: int) -> int:
    """Write ``answers`` filler answers (and their attempts, learners, runs); how many."""
    courses = _courses()
    if answers <= 0 or not courses:
        return 0
    ids, written, number = _next_ids(), 0, 0
    while written < answers:
        course_id, instruments = courses[number % len(courses)]
        number += 1
        written += _batch(number, course_id, instruments, BATCH, ids, answers - written)
    _reset_sequences()
    return written
