"""Taking an instrument: start an attempt, save answers as the learner goes, submit it.

The score is computed by :mod:`quizzes.taking.scoring` (re-exported here: ``recompute``,
``percent``).

Operations flush; the view commits. Those that read then write (start, save, submit) begin
with :func:`lms.db.begin_write` and lock the row they depend on, so two requests cannot
exceed the attempt limit, record an attempt twice, or change answers after submission.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from courses.models import Enrolment
from lms.db import begin_write, db, is_sqlite, utcnow
from lms.models import User
from lms.pagination import Listing, Page
from lms.signals import attempt_submitted
from quizzes import xapi
from quizzes.models import (
    Answer,
    Attempt,
    AttemptState,
    Instrument,
    Question,
)
from quizzes.taking.layout import (
    answerable,
    field_name,
    handler,
    layout_questions,
    make_layout,
)
from quizzes.taking.rules import Rules
from quizzes.taking.scoring import grade_answers, percent, recompute

#: Saves reaching the server this long after the deadline still count (network latency).
GRACE = timedelta(seconds=10)
__all__ = ["AttemptRefused", "percent", "recompute", "save_answers", "start", "submit"]

DONE_STATES = (AttemptState.SUBMITTED, AttemptState.NEEDS_GRADING, AttemptState.GRADED)


class AttemptRefused(Exception):
    """The rules forbid the operation; ``message`` tells the learner why (translated)."""

    def __init__(self, message: str, attempt: Attempt | None = None):
        super().__init__(message)
        self.message = message
        self.attempt = attempt


#: States of an attempt whose score is final (the best grade is read among them).
FINAL_STATES = (AttemptState.SUBMITTED, AttemptState.GRADED)


@dataclass(frozen=True)
class Summary:
    """One person's attempts at an instrument in a run, summed up."""

    count: int
    last: int  # the highest attempt number (0: none yet)
    in_progress_id: int | None
    best: float | None  # the best share of the points of a finished attempt (0..1)

    @classmethod
    def of(cls, attempts: list[Attempt]) -> Summary:
        """The summary of every attempt, already loaded (as :func:`attempt_summary` counts)."""
        ratios = [
            a.score / a.max_score
            for a in attempts
            if a.state in FINAL_STATES and a.score is not None and (a.max_score or 0) > 0
        ]
        return cls(
            count=len(attempts),
            last=max((a.number for a in attempts), default=0),
            in_progress_id=min(
                (a.id for a in attempts if a.state == AttemptState.IN_PROGRESS), default=None
            ),
            best=max(ratios, default=None),
        )


@cache
def _own_clause(without_run: bool) -> sa.ColumnElement[bool]:
    """One person's attempts at an instrument (in a run, or outside any), built once."""
    return sa.and_(
        Attempt.instrument_id == sa.bindparam("instrument_id"),
        Attempt.user_id == sa.bindparam("user_id"),
        Attempt.run_id.is_(None) if without_run else Attempt.run_id == sa.bindparam("run_id"),
    )


def _own_params(instrument: Instrument, user_id: int, run_id: int | None) -> dict:
    return {"instrument_id": instrument.id, "user_id": user_id, "run_id": run_id}


def own_attempts(instrument: Instrument, user_id: int, run_id: int | None) -> list[Attempt]:
    """One person's attempts at an instrument in a run, oldest first (one query)."""
    statement = _oldest_first(run_id is None)
    return list(db.session.scalars(statement, _own_params(instrument, user_id, run_id)))


@cache
def _oldest_first(without_run: bool) -> sa.Select:
    return sa.select(Attempt).where(_own_clause(without_run)).order_by(Attempt.number)


@cache
def _summary_statement(without_run: bool) -> sa.Select:
    in_progress = sa.case((Attempt.state == AttemptState.IN_PROGRESS, Attempt.id))
    final = sa.and_(Attempt.state.in_(FINAL_STATES), Attempt.max_score > 0)
    return sa.select(
        sa.func.count(Attempt.id),
        sa.func.max(Attempt.number),
        sa.func.min(in_progress),
        sa.func.max(sa.case((final, Attempt.score / Attempt.max_score))),
    ).where(_own_clause(without_run))


def attempt_summary(instrument: Instrument, user_id: int, run_id: int | None) -> Summary:
    """How many attempts, the last number, the one in progress and the best final score,
    in one aggregate query: a quiz with unlimited attempts may have hundreds, never loaded
    to show its page or to start one more."""
    count, last, current_id, best = db.session.execute(
        _summary_statement(run_id is None), _own_params(instrument, user_id, run_id)
    ).one()
    return Summary(count, last or 0, current_id, None if best is None else float(best))


def _attempt_counts(instrument: Instrument, user_id: int, run_id: int | None):
    """:func:`attempt_summary`'s count and last number, and the attempt in progress."""
    summary = attempt_summary(instrument, user_id, run_id)
    current_id = summary.in_progress_id
    current = db.session.get(Attempt, current_id) if current_id is not None else None
    return summary.count, summary.last, current


#: Rows of the learner's table of their own attempts (newest first).
ATTEMPTS_PER_PAGE = 10


@cache
def _newest_statement(without_run: bool) -> sa.Select:
    return (
        sa.select(Attempt)
        .where(_own_clause(without_run))
        .order_by(Attempt.number.desc())
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )


def _newest(instrument, user_id, run_id, limit: int, offset: int) -> list[Attempt]:
    values = _own_params(instrument, user_id, run_id) | {"limit": limit, "offset": offset}
    return list(db.session.scalars(_newest_statement(run_id is None), values))


def own_attempts_page(
    instrument: Instrument, user_id: int, run_id: int | None, number: int
) -> tuple[Summary, Page]:
    """The summary of one person's attempts and page ``number`` of them, newest first (a
    page past the end shows the last one). The first page of someone with no more attempts
    than it holds is one query, summed up from its rows; any other, two (the aggregate of
    :func:`attempt_summary`, then the page)."""
    per_page = ATTEMPTS_PER_PAGE

    def page(rows: list[Attempt], total: int, at: int) -> Page:
        return Page(rows, total, Listing(page=at, per_page=per_page, default_per_page=per_page))

    if number <= 1:
        rows = _newest(instrument, user_id, run_id, per_page + 1, 0)
        if len(rows) <= per_page:
            return Summary.of(rows), page(rows, len(rows), 1)
        summary = attempt_summary(instrument, user_id, run_id)
        return summary, page(rows[:per_page], summary.count, 1)
    summary = attempt_summary(instrument, user_id, run_id)
    number = min(number, max(1, -(-summary.count // per_page)))
    rows = _newest(instrument, user_id, run_id, per_page, (number - 1) * per_page)
    return summary, page(rows, summary.count, number)


def attempts_left(rules: Rules, count: int) -> int | None:
    """How many more attempts may be started after ``count`` (None: unlimited); one in
    progress counts."""
    if not rules.attempts:
        return None
    return max(0, rules.attempts - count)


def _lock_person(user_id: int) -> None:
    """Serialise writes of one person (row lock on PostgreSQL; SQLite has BEGIN IMMEDIATE)."""
    db.session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())


#: What a learner's write to an attempt reads but does not decide on: the quiz and its
#: questions, read before the write lock and kept loaded through it (:func:`begin_write`).
CONTENT = (Instrument, Question)


def _lock_attempt(attempt: Attempt) -> None:
    """Write transaction, the attempt's row locked and read again (PostgreSQL). On SQLite,
    ``BEGIN IMMEDIATE`` holds the database: an attempt not expired by the commit of
    :func:`begin_write` was read inside this transaction and is current. The quiz and its
    questions loaded before stay loaded (:data:`CONTENT`); the attempt, its answers and
    everything else are read again."""
    begin_write(keep=CONTENT)
    if not is_sqlite():
        db.session.refresh(attempt, with_for_update=True)


def start(
    instrument: Instrument,
    user: User,
    run_id: int | None,
    enrolment: Enrolment | None = None,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Continue the attempt in progress, or start a new one if the limit allows.

    Raises :class:`AttemptRefused` when every allowed attempt is used.
    """
    now = now or utcnow()
    rules = Rules.of(instrument)
    # Read before the lock: the commit of begin_write expires the objects, and each would be
    # read again inside it (the write lock of SQLite, held the while by this request alone).
    # The new attempt's layout is drawn from the questions before it too (unused if an
    # attempt in progress is continued).
    user_id, enrolment_id = user.id, enrolment.id if enrolment else None
    fresh = _fresh(instrument, rules, now, rng)
    begin_write(keep=CONTENT)
    _lock_person(user_id)
    count, last, current = _attempt_counts(instrument, user_id, run_id)
    if current is not None and not expire_if_due(current, now, lock=False):
        return current
    if rules.attempts and count >= rules.attempts:
        raise AttemptRefused(_limit_message(rules.attempts))
    number = last + 1
    attempt = Attempt(
        instrument_id=instrument.id,
        user_id=user_id,
        run_id=run_id,
        enrolment_id=enrolment_id,
        number=number,
        **fresh,
    )
    db.session.add(attempt)
    db.session.flush()
    xapi.on_started(attempt)
    return attempt


def _fresh(instrument: Instrument, rules: Rules, now: datetime, rng) -> dict:
    """State, times and layout of a new attempt."""
    return {
        "state": AttemptState.IN_PROGRESS,
        "started_at": now,
        "deadline_at": now + timedelta(minutes=rules.time_limit) if rules.time_limit else None,
        "layout": make_layout(instrument, rules, rng),
    }


def _limit_message(limit: int) -> str:
    return ngettext(
        "Vous avez déjà utilisé votre tentative : aucune nouvelle tentative n'est possible.",
        "Vous avez déjà utilisé vos %(num)d tentatives : aucune nouvelle tentative n'est possible.",
        limit,
    )


def is_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether a timed attempt in progress is past its deadline (grace included)."""
    return (
        attempt.state == AttemptState.IN_PROGRESS
        and attempt.deadline_at is not None
        and (now or utcnow()) > attempt.deadline_at + GRACE
    )


def expire_if_due(attempt: Attempt, now: datetime | None = None, lock: bool = True) -> bool:
    """Submit an overdue attempt with what was saved; return True if it was overdue."""
    if not is_overdue(attempt, now):
        return False
    _submit(attempt, when=attempt.deadline_at, lock=lock)
    return True


def _check_writable(attempt: Attempt, now: datetime) -> None:
    if attempt.state != AttemptState.IN_PROGRESS:
        raise AttemptRefused(
            _("Cette tentative a déjà été envoyée : vos réponses ne peuvent plus être modifiées."),
            attempt,
        )
    if is_overdue(attempt, now):
        _submit(attempt, when=attempt.deadline_at, lock=False)
        raise AttemptRefused(
            _(
                "Le temps imparti est écoulé : la tentative a été envoyée avec les réponses "
                "enregistrées jusque-là."
            ),
            attempt,
        )


def save_answers(attempt: Attempt, form, now: datetime | None = None) -> None:
    """Store the responses found in ``form`` (a MultiDict of the whole attempt page).

    Raises :class:`AttemptRefused` after submission or after the deadline (the attempt is then
    submitted with the answers saved before).
    """
    now = now or utcnow()
    # The form is read against the attempt's questions before the lock (its layout does not
    # change); what is stored is decided under it, from the answers as they are then.
    responses = [
        (question, handler(question, "parse")(question, form, field_name(question)))
        for question in layout_questions(attempt)
        if answerable(question)
    ]
    _lock_attempt(attempt)
    _check_writable(attempt, now)
    existing = {a.question_id: a for a in attempt.answers}
    new = []
    for question, response in responses:
        answer = existing.get(question.id)
        if answer is None:
            if not is_empty(question, response):
                new.append(
                    {"attempt_id": attempt.id, "question_id": question.id, "response": response}
                )
        elif answer.response != response:
            answer.response = response
    db.session.flush()
    if new:  # in one statement (the ORM inserts them one by one on SQLite)
        db.session.execute(sa.insert(Answer), new)
        db.session.expire(attempt, ["answers"])  # read again with the new rows when asked


def is_empty(question, response: dict | None) -> bool:
    """Whether ``response`` leaves the question unanswered."""
    if not response:
        return True
    check = handler(question, "empty")
    return bool(check(response)) if check else False


def missing_required(attempt: Attempt, questions: list[Question] | None = None) -> list:
    """Required questions of the attempt left unanswered, in layout order (``questions``:
    its :func:`layout_questions` if the caller has them already)."""
    responses = {a.question_id: a.response for a in attempt.answers}
    return [
        q
        for q in (layout_questions(attempt) if questions is None else questions)
        if q.required and answerable(q) and is_empty(q, responses.get(q.id))
    ]


def submit(
    attempt: Attempt, now: datetime | None = None, questions: list[Question] | None = None
) -> bool:
    """Grade and close the attempt; return False if it was already submitted (idempotent).
    ``questions``: its :func:`layout_questions` if the caller has them already."""
    return _submit(attempt, when=now or utcnow(), lock=True, questions=questions)


def _submit(
    attempt: Attempt, when: datetime, lock: bool, questions: list[Question] | None = None
) -> bool:
    # The questions (once for grading and scoring) and the quiz are read before the lock,
    # which keeps them loaded (:data:`CONTENT`), and before any change: a lazy load would
    # flush the changes apart.
    if questions is None:
        questions = layout_questions(attempt)
    _ = attempt.instrument
    if lock:
        _lock_attempt(attempt)
    if attempt.state != AttemptState.IN_PROGRESS:
        return False
    scores = grade_answers(attempt, questions)
    attempt.submitted_at = when
    recompute(attempt, questions, scores)
    attempt_submitted.send(current_app._get_current_object(), attempt=attempt)
    return True
