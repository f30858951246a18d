"""The SQL behind the trainers' reports: one aggregate query per figure, whatever the cohort size.

Every function here reads; none loops over answers in Python except to list free texts.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa

from courses.models import Activity, CourseRun, Enrolment, EnrolmentStatus, Module
from courses.queries import run_with_course
from lms.db import db
from lms.models import User
from quizzes.models import Answer, AnswerChoice, Attempt, AttemptState, Instrument, Question
from quizzes.taking.grading import MANUAL_TYPES

#: Attempts that count in results (in-progress ones do not).
FINISHED = (AttemptState.SUBMITTED, AttemptState.NEEDS_GRADING, AttemptState.GRADED)


def load_run(run_id: int) -> CourseRun | None:
    """The run with its course (one query); None if there is no such run."""
    return run_with_course(run_id)


def run_learners(run: CourseRun) -> list[sa.Row]:
    """(enrolment_id, user_id, name, email) of the run's learners, withdrawn ones excepted."""
    return db.session.execute(
        sa.select(Enrolment.id, User.id.label("user_id"), User.name, User.email)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.run_id == run.id, Enrolment.status != EnrolmentStatus.WITHDRAWN)
        .order_by(User.name, User.id)
    ).all()


def count_learners(run: CourseRun) -> int:
    """How many learners the run has, withdrawn ones excepted (one COUNT)."""
    return db.session.scalar(_count_learners(), {"run_id": run.id})


@cache
def _count_learners() -> sa.Select:
    """:func:`count_learners`' statement, built once."""
    return sa.select(sa.func.count(Enrolment.id)).where(
        Enrolment.run_id == sa.bindparam("run_id"), Enrolment.status != EnrolmentStatus.WITHDRAWN
    )


def run_instruments(
    run: CourseRun, kind: str | None = None, purposes: tuple[str, ...] = ()
) -> list[Instrument]:
    """The course's instruments (of ``kind`` / ``purposes``) in outline order, archived excepted."""
    values: dict = {"course_id": run.course_id}
    if kind:
        values["kind"] = kind
    if purposes:
        values["purposes"] = list(purposes)
    return list(db.session.scalars(_run_instruments(bool(kind), bool(purposes)), values))


@cache
def _run_instruments(by_kind: bool, by_purpose: bool) -> sa.Select:
    """:func:`run_instruments`' statement for each combination of filters, built once (the
    staff pages of a run run it on every request)."""
    query = (
        sa.select(Instrument)
        .outerjoin(Activity, Activity.id == Instrument.activity_id)
        .outerjoin(Module, Module.id == Activity.module_id)
        .where(
            Instrument.course_id == sa.bindparam("course_id"),
            sa.or_(Activity.id.is_(None), Activity.archived.is_(False)),
        )
        .order_by(
            sa.func.coalesce(Module.position, 9999),
            sa.func.coalesce(Activity.position, 9999),
            Instrument.id,
        )
    )
    if by_kind:
        query = query.where(Instrument.kind == sa.bindparam("kind"))
    if by_purpose:
        query = query.where(Instrument.purpose.in_(sa.bindparam("purposes", expanding=True)))
    return query


def live_questions(instrument_ids: list[int]) -> list[Question]:
    """Questions of these instruments that are not archived, in order (one query)."""
    if not instrument_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.instrument_id.in_(instrument_ids), Question.archived.is_(False))
            .order_by(Question.instrument_id, Question.position, Question.id)
        )
    )


def _percent():
    return Attempt.score * 100.0 / sa.func.nullif(Attempt.max_score, 0)


def results_matrix(
    run_id: int, instrument_ids: list[int], user_ids: list[int] | None = None
) -> dict[tuple[int, int], sa.Row]:
    """{(user_id, instrument_id): (best %, attempts, passed 0/1, pending)}, finished attempts
    (of ``user_ids`` only when given: a page of the table)."""
    if not instrument_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Attempt.user_id,
            Attempt.instrument_id,
            sa.func.max(_percent()).label("best"),
            sa.func.count(Attempt.id).label("attempts"),
            sa.func.max(sa.case((Attempt.passed.is_(True), 1), else_=0)).label("passed"),
            sa.func.sum(sa.case((Attempt.state == AttemptState.NEEDS_GRADING, 1), else_=0)).label(
                "pending"
            ),
        )
        .where(
            Attempt.run_id == run_id,
            Attempt.instrument_id.in_(instrument_ids),
            Attempt.state.in_(FINISHED),
            Attempt.user_id.in_(user_ids) if user_ids is not None else sa.true(),
        )
        .group_by(Attempt.user_id, Attempt.instrument_id)
    ).all()
    return {(r.user_id, r.instrument_id): r for r in rows}


def run_attempts(
    run_id: int, instrument_ids: list[int], user_ids: list[int] | None = None
) -> list[sa.Row]:
    """Every attempt of the run at these instruments (of ``user_ids`` only when given): id,
    user, instrument, number, state, %."""
    if not instrument_ids:
        return []
    return db.session.execute(
        sa.select(
            Attempt.id,
            Attempt.user_id,
            Attempt.instrument_id,
            Attempt.number,
            Attempt.state,
            _percent().label("percent"),
        )
        .where(Attempt.run_id == run_id, Attempt.instrument_id.in_(instrument_ids))
        .where(Attempt.user_id.in_(user_ids) if user_ids is not None else sa.true())
        .order_by(Attempt.number)
    ).all()


def grading_queue(run_id: int) -> list[sa.Row]:
    """Answers to questions graded by hand that nobody has graded yet, oldest first."""
    return db.session.execute(
        sa.select(
            Answer.id.label("answer_id"),
            Attempt.id.label("attempt_id"),
            Attempt.number,
            Attempt.submitted_at,
            User.name.label("learner"),
            Instrument.title.label("instrument"),
            Question.id.label("question_id"),
            Question.title.label("question"),
            Question.position,
        )
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Instrument, Instrument.id == Attempt.instrument_id)
        .join(User, User.id == Attempt.user_id)
        .where(
            Attempt.run_id == run_id,
            Attempt.state.in_(FINISHED),
            Question.type.in_(MANUAL_TYPES),
            Answer.graded_at.is_(None),
        )
        .order_by(Attempt.submitted_at, Attempt.id, Question.position)
    ).all()


def first_attempts(instrument_id: int, run_id: int):
    """Subquery of the ids of each learner's first finished attempt (Moodle's default)."""
    first = (
        sa.select(Attempt.user_id, sa.func.min(Attempt.number).label("number"))
        .where(
            Attempt.instrument_id == instrument_id,
            Attempt.run_id == run_id,
            Attempt.state.in_(FINISHED),
        )
        .group_by(Attempt.user_id)
        .subquery()
    )
    return (
        sa.select(Attempt.id.label("attempt_id"))
        .join(first, sa.and_(first.c.user_id == Attempt.user_id, first.c.number == Attempt.number))
        .where(Attempt.instrument_id == instrument_id, Attempt.run_id == run_id)
        .subquery()
    )


def first_attempt_ids(instrument_id: int, run_id: int):
    """A select of the ids of each learner's first finished attempt."""
    return sa.select(first_attempts(instrument_id, run_id).c.attempt_id)


def count_rows(select) -> int:
    """How many rows ``select`` gives (one query)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(select.subquery())) or 0


def _score_cells(fa, question_ids: list[int]):
    """Subquery of (qid, x, y): every first attempt × question, unanswered counting 0."""
    totals = (
        sa.select(Answer.attempt_id, sa.func.sum(sa.func.coalesce(Answer.score, 0)).label("total"))
        .where(Answer.attempt_id.in_(sa.select(fa.c.attempt_id)))
        .where(Answer.question_id.in_(question_ids))
        .group_by(Answer.attempt_id)
        .subquery()
    )
    x = sa.func.coalesce(Answer.score, 0.0)
    return (
        sa.select(
            Question.id.label("qid"),
            x.label("x"),
            (sa.func.coalesce(totals.c.total, 0.0) - x).label("y"),
        )
        .select_from(fa)
        .join(Question, Question.id.in_(question_ids))
        .outerjoin(
            Answer, sa.and_(Answer.attempt_id == fa.c.attempt_id, Answer.question_id == Question.id)
        )
        .outerjoin(totals, totals.c.attempt_id == fa.c.attempt_id)
        .subquery()
    )


def question_sums(instrument_id: int, run_id: int, question_ids: list[int]) -> dict[int, sa.Row]:
    """Per question, over first attempts: n, Σx, Σx², Σy, Σy², Σxy.

    x is the question's score (0 when unanswered), y the score on the rest of the test (the
    attempt's total over ``question_ids`` minus x). Pearson's r follows from these sums.
    """
    if not question_ids:
        return {}
    cells = _score_cells(first_attempts(instrument_id, run_id), question_ids)
    rows = db.session.execute(
        sa.select(
            cells.c.qid,
            sa.func.count().label("n"),
            sa.func.sum(cells.c.x).label("sx"),
            sa.func.sum(cells.c.x * cells.c.x).label("sxx"),
            sa.func.sum(cells.c.y).label("sy"),
            sa.func.sum(cells.c.y * cells.c.y).label("syy"),
            sa.func.sum(cells.c.x * cells.c.y).label("sxy"),
        ).group_by(cells.c.qid)
    ).all()
    return {r.qid: r for r in rows}


def choice_counts(attempt_ids) -> dict[int, dict[str, int]]:
    """{question_id: {choice_key: times chosen}} over the answers of ``attempt_ids`` (a select)."""
    rows = db.session.execute(
        sa.select(AnswerChoice.question_id, AnswerChoice.choice_key, sa.func.count())
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .where(Answer.attempt_id.in_(attempt_ids))
        .group_by(AnswerChoice.question_id, AnswerChoice.choice_key)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for question_id, key, n in rows:
        counts.setdefault(question_id, {})[key] = n
    return counts


def answered_counts(attempt_ids) -> dict[int, int]:
    """{question_id: number of answers with at least one option chosen}."""
    rows = db.session.execute(
        sa.select(AnswerChoice.question_id, sa.func.count(sa.distinct(AnswerChoice.answer_id)))
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .where(Answer.attempt_id.in_(attempt_ids))
        .group_by(AnswerChoice.question_id)
    ).all()
    return dict(rows)


def finished_attempt_ids(instrument_id: int, run_id: int | list[int]):
    """A select of the ids of every finished attempt at the instrument in the run (or in any
    of the runs of a list)."""
    in_run = Attempt.run_id.in_(run_id) if isinstance(run_id, list) else Attempt.run_id == run_id
    return sa.select(Attempt.id).where(
        Attempt.instrument_id == instrument_id,
        in_run,
        Attempt.state.in_(FINISHED),
    )


def respondents(instrument_ids: list[int], run_id: int) -> dict[int, int]:
    """{instrument_id: number of people with a finished attempt}."""
    if not instrument_ids:
        return {}
    rows = db.session.execute(
        sa.select(Attempt.instrument_id, sa.func.count(sa.distinct(Attempt.user_id)))
        .where(
            Attempt.instrument_id.in_(instrument_ids),
            Attempt.run_id == run_id,
            Attempt.state.in_(FINISHED),
        )
        .group_by(Attempt.instrument_id)
    ).all()
    return dict(rows)


def value_counts(attempt_ids) -> dict[int, dict[float, int]]:
    """{question_id: {value: count}} of numeric answers (scales, 0–10 scores, yes/no)."""
    rows = db.session.execute(
        sa.select(Answer.question_id, Answer.value, sa.func.count())
        .where(Answer.attempt_id.in_(attempt_ids), Answer.value.is_not(None))
        .group_by(Answer.question_id, Answer.value)
    ).all()
    counts: dict[int, dict[float, int]] = {}
    for question_id, value, n in rows:
        counts.setdefault(question_id, {})[float(value)] = n
    return counts


def answers_of(attempt_ids, question_ids: list[int]) -> list[sa.Row]:
    """(question_id, response, learner name) of these questions' answers, by name."""
    if not question_ids:
        return []
    return db.session.execute(
        sa.select(Answer.question_id, Answer.response, User.name)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .where(Answer.attempt_id.in_(attempt_ids), Answer.question_id.in_(question_ids))
        .order_by(User.name, Answer.id)
    ).all()


def attempts_by(instrument_id: int, run_id: int, user_id: int | None = None) -> list[sa.Row]:
    """(Attempt, User) of finished attempts at the instrument in the run, optionally one user's."""
    query = (
        sa.select(Attempt, User)
        .join(User, User.id == Attempt.user_id)
        .where(
            Attempt.instrument_id == instrument_id,
            Attempt.run_id == run_id,
            Attempt.state.in_(FINISHED),
        )
        .order_by(User.name, Attempt.number)
    )
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    return db.session.execute(query).all()
