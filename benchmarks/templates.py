"""Model attempts taken through the real attempt service, then copied for the other learners.

Going through :mod:`quizzes.taking.attempts` for hundreds of learners would make the data set take
minutes to build; instead a few "model" learners answer every instrument of the course through
the service (start, save the form a browser would post, submit, essays graded by the trainer),
and each learner of a measured run gets a copy of one model attempt, written with bulk inserts.
The copies hold real scores, choices and states, so the reports read realistic rows.
"""

from __future__ import annotations

import random
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from courses.models import CourseRun, Enrolment, EnrolmentStatus
from lms.db import db, utcnow
from lms.models import User
from quizzes.demo.answers import Deck, Persona, quiz_form, survey_form
from quizzes.models import (
    Answer,
    AnswerChoice,
    Attempt,
    Instrument,
    InstrumentKind,
    Purpose,
    Question,
)
from quizzes.taking import attempts as service
from quizzes.taking.grading import MANUAL_TYPES, grade_answer

#: How well each model learner does (1.0: every answer right).
SKILLS = (0.35, 0.6, 0.8, 1.0)
Ref = namedtuple("Ref", "id")
ATTEMPT_COLUMNS = ("instrument_id", "state", "score", "max_score", "passed", "layout", "channel")
ANSWER_COLUMNS = ("question_id", "response", "score", "value", "comment", "graded_by_id")


@dataclass
class Model:
    """One model attempt: its columns, and its answers as (columns, choice keys) pairs."""

    attempt: dict
    answers: list[tuple[dict, list[str]]] = field(default_factory=list)

    @property
    def passed(self) -> bool | None:
        """Whether the model attempt passed (None for questionnaires)."""
        return self.attempt["passed"]


def take_models(
    course_id: int, instruments: list[Instrument], trainer: User
) -> dict[int, list[Model]]:
    """Let one model learner per skill answer every instrument; return the models by instrument."""
    run = CourseRun(
        course_id=course_id,
        title="Bench — apprenants modèles",
        starts_on=utcnow().date() - timedelta(days=60),
        ends_on=utcnow().date() + timedelta(days=30),
    )
    db.session.add(run)
    db.session.flush()
    people = []
    for n, skill in enumerate(SKILLS, start=1):
        user = User(email=f"modele{n}@bench.example.org", name=f"Modèle {n}", role="learner")
        enrolment = Enrolment(run=run, user=user, status=EnrolmentStatus.ACTIVE)
        db.session.add_all([user, enrolment])
        db.session.flush()
        people.append((Ref(user.id), Ref(enrolment.id), skill))
    run_id, deck = run.id, Deck("bench", "gcu07")
    db.session.commit()
    made = []
    for instrument in instruments:
        for user, enrolment, skill in people:
            made.append(_take(instrument, user, enrolment, run_id, skill, deck))
    _grade_essays(made, trainer)
    return _load_models(made)


def _take(instrument, user, enrolment, run_id, skill, deck) -> int:
    """One attempt through the service; returns its id."""
    when = utcnow() - timedelta(days=20)
    rng = random.Random(f"{instrument.key}:{user.id}")
    attempt = service.start(instrument, user, run_id, enrolment, now=when, rng=rng)
    if instrument.kind == InstrumentKind.QUIZ:
        form = quiz_form(attempt, rng, skill, deck)
    else:
        form = survey_form(attempt, Persona(f"modele:{user.id}"), deck)
    service.save_answers(attempt, form, now=when + timedelta(minutes=12))
    service.submit(attempt, now=when + timedelta(minutes=15))
    db.session.commit()
    return attempt.id


def _grade_essays(attempt_ids: list[int], trainer: User) -> None:
    """The trainer grades every essay of the model attempts (half to full marks)."""
    pending = db.session.scalars(
        sa.select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.attempt_id.in_(attempt_ids), Question.type.in_(MANUAL_TYPES))
    ).all()
    with current_app.test_request_context():  # the e-mail to the learner links to a page
        for n, answer in enumerate(pending):
            top = answer.question.max_score or 0.0
            grade_answer(answer, top if n % 2 else top / 2, "Bonne analyse.", trainer)
    db.session.commit()


def _load_models(attempt_ids: list[int]) -> dict[int, list[Model]]:
    attempts = db.session.scalars(
        sa.select(Attempt).where(Attempt.id.in_(attempt_ids)).order_by(Attempt.id)
    ).all()
    choices: dict[int, list[str]] = {}
    for answer_id, key in db.session.execute(
        sa.select(AnswerChoice.answer_id, AnswerChoice.choice_key)
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .where(Answer.attempt_id.in_(attempt_ids))
    ):
        choices.setdefault(answer_id, []).append(key)
    models: dict[int, list[Model]] = {}
    for attempt in attempts:
        model = Model({c: getattr(attempt, c) for c in ATTEMPT_COLUMNS})
        for answer in attempt.answers:
            row = {c: getattr(answer, c) for c in ANSWER_COLUMNS}
            model.answers.append((row, choices.get(answer.id, [])))
        models.setdefault(attempt.instrument_id, []).append(model)
    return models


def plan_attempts(instrument: Instrument, models: list[Model], rng: random.Random) -> list[Model]:
    """The attempts a learner made: one model, plus a passed one after a failed validation quiz."""
    first = rng.choice(models)
    if instrument.purpose == Purpose.VALIDATION and first.passed is False:
        best = [m for m in models if m.passed]
        return [first, best[-1]] if best else [first]
    return [first]


@dataclass
class Copy:
    """A model attempt to write for one learner of a run."""

    model: Model
    user_id: int
    enrolment_id: int
    number: int
    when: datetime


def write_copies(run_id: int, copies: list[Copy]) -> int:
    """Insert the attempts, their answers and their choices in bulk; return the answers written.

    Ids are read back by natural key rather than with ``RETURNING``: SQLAlchemy's ordered
    ``RETURNING`` over tens of thousands of SQLite rows took quadratic time.
    """
    if not copies:
        return 0
    db.session.execute(sa.insert(Attempt), [_attempt_row(run_id, c) for c in copies])
    attempt_ids = {
        (user_id, instrument_id, number): attempt_id
        for attempt_id, user_id, instrument_id, number in db.session.execute(
            sa.select(Attempt.id, Attempt.user_id, Attempt.instrument_id, Attempt.number).where(
                Attempt.run_id == run_id
            )
        )
    }
    answers, choices = [], {}
    for copy in copies:
        attempt_id = attempt_ids[(copy.user_id, copy.model.attempt["instrument_id"], copy.number)]
        for row, keys in copy.model.answers:
            graded = copy.when + timedelta(days=1) if row["graded_by_id"] else None
            answers.append({**row, "attempt_id": attempt_id, "graded_at": graded})
            choices[(attempt_id, row["question_id"])] = keys
    db.session.execute(sa.insert(Answer), answers)
    _write_choices(run_id, choices)
    return len(answers)


def _write_choices(run_id: int, choices: dict[tuple[int, int], list[str]]) -> None:
    """The ticked choices of the answers, keyed by (attempt id, question id)."""
    rows = db.session.execute(
        sa.select(Answer.id, Answer.attempt_id, Answer.question_id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.run_id == run_id)
    )
    choice_rows = [
        {"answer_id": answer_id, "choice_key": key, "question_id": question_id}
        for answer_id, attempt_id, question_id in rows
        for key in choices.get((attempt_id, question_id), ())
    ]
    if choice_rows:
        db.session.execute(sa.insert(AnswerChoice), choice_rows)


def _attempt_row(run_id: int, copy: Copy) -> dict:
    return {
        **copy.model.attempt,
        "user_id": copy.user_id,
        "run_id": run_id,
        "enrolment_id": copy.enrolment_id,
        "number": copy.number,
        "started_at": copy.when,
        "submitted_at": copy.when + timedelta(minutes=15),
    }
