"""Taking instruments for the demo through the real attempt service (start, save, submit) and
grading essays through the real grading service, at plausible moments of the past."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from lms.db import db
from lms.mail.models import MailStatus, OutboxMessage
from lms.models import User
from quizzes.demo import texts as demo_texts
from quizzes.demo.answers import Deck, Persona, quiz_form, survey_form
from quizzes.models import (
    Answer,
    Attempt,
    AttemptState,
    Instrument,
    InstrumentKind,
    Purpose,
    Question,
)
from quizzes.taking import attempts as service
from quizzes.taking.grading import MANUAL_TYPES, grade_answer
from quizzes.taking.rules import Rules

HOUR = timedelta(hours=1)
#: What the attempt service needs of a person or an enrolment: its id (no reload after commits).
Ref = namedtuple("Ref", "id")


class Mode(StrEnum):
    """How a task ends: normally, left in progress, failed once, or with its essay ungraded."""

    NORMAL = "normal"
    IN_PROGRESS = "in_progress"
    FAIL = "fail"
    UNGRADED = "ungraded"


@dataclass
class Task:
    """One person answering one instrument of a run, from ``when`` on."""

    instrument: Instrument
    user_id: int
    run_id: int
    enrolment_id: int | None
    when: datetime
    persona: Persona
    grader: User | None = None
    mode: Mode = Mode.NORMAL
    deck: Deck | None = None
    quick: bool = False  # a one-day run: a failed quiz is taken again at once
    past: bool = True  # a finished run: moments at night move to the next morning


def perform(task: Task, now: datetime) -> int:
    """Carry out ``task`` (nothing after ``now``); return the number of attempts made."""
    if task.when >= now:
        return 0
    if task.instrument.kind == InstrumentKind.QUIZ:
        return _quiz(task, now)
    minutes = task.persona.draw(task.instrument.key, "minutes").randint(4, 14)
    _take(task, task.when, lambda a: survey_form(a, task.persona, task.deck), minutes)
    return 1


def _take(task: Task, when: datetime, form_of, minutes: int, submit: bool = True) -> Attempt:
    """Start an attempt at ``when``, save the answers ``form_of(attempt)`` and submit them."""
    layout = task.persona.draw(task.instrument.key, "layout", when.isoformat())
    enrolment = Ref(task.enrolment_id) if task.enrolment_id else None
    attempt = service.start(
        task.instrument, Ref(task.user_id), task.run_id, enrolment, now=when, rng=layout
    )
    done = when + timedelta(minutes=minutes)
    form = form_of(attempt)
    if not submit:  # stopped half-way: the answers saved so far
        keys = list(dict.fromkeys(form.keys()))
        form = form.__class__((k, v) for k, v in form.items(multi=True) if k in keys[::2])
    service.save_answers(attempt, form, now=done)
    if submit:
        service.submit(attempt, now=done)
    return attempt


def _quiz(task: Task, now: datetime) -> int:
    """Attempts at a quiz: a validation quiz is retaken until passed (the last allowed attempt
    is a success), a task in FAIL mode fails once, one in IN_PROGRESS mode is left open."""
    rules = Rules.of(task.instrument)
    validation = task.instrument.purpose == Purpose.VALIDATION
    tries = (rules.attempts or 3) if validation and task.mode != Mode.FAIL else 1
    when, made = task.when, 0
    while made < tries and when < now:
        rng = task.persona.draw(task.instrument.key, "answers", made)
        skill = _skill(task, made, last=validation and made == tries - 1)
        minutes = rng.randint(25, 40) if rules.time_limit else rng.randint(8, 22)
        form_of = lambda a, r=rng, s=skill: quiz_form(a, r, s, task.deck)  # noqa: E731
        attempt = _take(task, when, form_of, minutes, submit=task.mode != Mode.IN_PROGRESS)
        made += 1
        if task.mode == Mode.IN_PROGRESS:
            break
        if attempt.state == AttemptState.NEEDS_GRADING and task.mode != Mode.UNGRADED:
            grade_essays(attempt, task, skill, now)
        if not validation or attempt.passed is not False:
            break
        pause = timedelta(minutes=rng.randint(5, 15)) if task.quick else rng.randint(2, 30) * HOUR
        when = daytime(attempt.submitted_at + pause, task.past)
    return made


def _skill(task: Task, number: int, last: bool) -> float:
    """How well the learner does at attempt ``number`` (from 0): better each time, and
    sure to pass the last allowed attempt of a validation quiz."""
    if task.mode == Mode.FAIL:
        return 0.25
    if last:
        return 1.0
    bonus = 0.1 if task.instrument.purpose == Purpose.EXAM else 0.0
    return task.persona.skill + 0.15 * number + bonus


def daytime(moment: datetime, move: bool = True) -> datetime:
    """``moment`` (naive UTC), or the next morning at 9 (local time) if it falls at night
    (and ``move`` is true)."""
    if not move:
        return moment
    zone = ZoneInfo(current_app.config.get("LMS_TIMEZONE", "Europe/Paris"))
    local = moment.replace(tzinfo=UTC).astimezone(zone)
    if 8 <= local.hour < 21:
        return moment
    morning = local.replace(hour=9, minute=local.minute % 30, second=0, microsecond=0)
    if local.hour >= 21:
        morning += timedelta(days=1)
    return morning.astimezone(UTC).replace(tzinfo=None)


def grade_essays(attempt: Attempt, task: Task, skill: float, now: datetime) -> None:
    """The trainer grades the attempt's essays with a comment (e-mail to the learner sent)."""
    if task.grader is None:
        return
    rng = task.persona.draw(task.instrument.key, "grading", attempt.number)
    later = attempt.submitted_at + timedelta(hours=rng.randint(18, 60))
    when = min(daytime(later, task.past), now)
    pending = db.session.scalars(
        sa.select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.attempt_id == attempt.id, Question.type.in_(MANUAL_TYPES))
        .where(Answer.graded_at.is_(None))
    ).all()
    for answer in pending:
        top = answer.question.max_score or 0.0
        share = 1.0 if skill >= 1 else min(1.0, max(0.3, skill + rng.uniform(-0.25, 0.1)))
        band = "high" if share >= 0.8 else "middle" if share >= 0.55 else "low"
        with current_app.test_request_context():  # the e-mail links to the review page
            grade_answer(
                answer,
                round(top * share * 2) / 2,
                rng.choice(demo_texts.GRADING_COMMENTS[band]),
                task.grader,
            )
        answer.graded_at = when
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.key.like(f"graded:{answer.id}:%"))
            .values(status=MailStatus.SENT, created_at=when, sent_at=when, attempts=1)
        )
    db.session.flush()
