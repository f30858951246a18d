"""Public result indicators of a course over the last 12 months (Qualiopi indicator 2).

Every indicator is a share (or a count) computed from a number of people; below
:data:`THRESHOLD` people it is not published. Figures come from the aggregates of
:mod:`quizzes.evidence.figures` over the course's runs that ended in the period.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from courses.models import Course, CourseRun
from lms.db import db
from quizzes.evidence import figures
from quizzes.evidence.report import runs_in_period
from quizzes.models import Answer, Attempt, Instrument, Purpose, Question
from quizzes.results.reports import FINISHED

#: Fewer people than this behind a figure: « non publié (moins de 5 réponses) ».
THRESHOLD = 5
#: Length of the period, ending today.
PERIOD_DAYS = 365


@dataclass
class Indicator:
    """One figure: ``part`` out of ``whole`` (a count when ``part`` is None), computed from the
    answers or records of ``people`` people."""

    key: str
    part: int | None
    whole: int
    people: int

    @property
    def published(self) -> bool:
        """Whether enough people are behind the figure to publish it."""
        return self.people >= THRESHOLD

    @property
    def value(self) -> float | int | None:
        """The share (0–1), or the count; None when not published."""
        if not self.published:
            return None
        if self.part is None:
            return self.whole
        return self.part / self.whole if self.whole else None


@dataclass
class Indicators:
    """The indicators of a course and the period they cover."""

    course: Course
    start: date
    end: date
    items: list[Indicator]
    #: The calendar year asked for; None for the last 12 months.
    year: int | None = None

    def etag(self, locale: str) -> str:
        """A validator that changes when a published figure, the period or the language does."""
        raw = repr(
            (self.course.id, self.start, self.end, locale, [(i.key, i.value) for i in self.items])
        )
        return hashlib.sha256(raw.encode()).hexdigest()[:32]


def satisfaction(run_ids: list[int]) -> tuple[int, int, int]:
    """(respondents, scale answers in the upper half, scale answers) of the runs' satisfaction
    questionnaires (two queries: the scale questions' options, then the answer counts)."""
    if not run_ids:
        return 0, 0, 0
    questions = db.session.execute(
        sa.select(Question.id, Question.settings)
        .join(Instrument, Instrument.id == Question.instrument_id)
        .where(Instrument.purpose == Purpose.SATISFACTION, Question.type == "scale")
    ).all()
    middles = {qid: _middle(settings) for qid, settings in questions}
    middles = {qid: m for qid, m in middles.items() if m is not None}
    finished = (
        sa.select(Attempt.id)
        .join(Instrument, Instrument.id == Attempt.instrument_id)
        .where(
            Attempt.run_id.in_(run_ids),
            Attempt.state.in_(FINISHED),
            Instrument.purpose == Purpose.SATISFACTION,
        )
    )
    people = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Attempt.user_id))).where(Attempt.id.in_(finished))
    )
    rows = db.session.execute(
        sa.select(Answer.question_id, Answer.value, sa.func.count())
        .where(Answer.attempt_id.in_(finished), Answer.question_id.in_(list(middles) or [0]))
        .where(Answer.value.is_not(None))
        .group_by(Answer.question_id, Answer.value)
    )
    satisfied = answered = 0
    for question_id, value, count in rows:
        answered += count
        satisfied += count if value > middles[question_id] else 0
    return int(people or 0), satisfied, answered


def satisfaction_by_run(run_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """:func:`satisfaction` per run: ``{run_id: (respondents, satisfied, answers)}`` in three
    queries whatever the number of runs (runs without answers are left out)."""
    if not run_ids:
        return {}
    questions = db.session.execute(
        sa.select(Question.id, Question.settings)
        .join(Instrument, Instrument.id == Question.instrument_id)
        .where(Instrument.purpose == Purpose.SATISFACTION, Question.type == "scale")
    ).all()
    middles = {qid: m for qid, settings in questions if (m := _middle(settings)) is not None}
    finished = sa.and_(
        Attempt.run_id.in_(run_ids),
        Attempt.state.in_(FINISHED),
        Instrument.purpose == Purpose.SATISFACTION,
    )
    base = sa.select(Attempt.run_id).join(Instrument, Instrument.id == Attempt.instrument_id)
    people = dict(
        db.session.execute(
            base.add_columns(sa.func.count(sa.distinct(Attempt.user_id)))
            .where(finished)
            .group_by(Attempt.run_id)
        ).all()
    )
    rows = db.session.execute(
        base.add_columns(Answer.question_id, Answer.value, sa.func.count())
        .join(Answer, Answer.attempt_id == Attempt.id)
        .where(finished, Answer.question_id.in_(list(middles) or [0]), Answer.value.is_not(None))
        .group_by(Attempt.run_id, Answer.question_id, Answer.value)
    )
    found = {run_id: [int(n), 0, 0] for run_id, n in people.items()}
    for run_id, question_id, value, count in rows:
        figures = found.setdefault(run_id, [0, 0, 0])
        figures[2] += count
        figures[1] += count if value > middles[question_id] else 0
    return {run_id: (a, b, c) for run_id, (a, b, c) in found.items()}


def _middle(settings) -> float | None:
    keys = []
    for option in (settings or {}).get("options") or []:
        try:
            keys.append(float(option.get("key")))
        except (AttributeError, TypeError, ValueError):
            continue
    return (min(keys) + max(keys)) / 2 if keys else None


def exam_success(run_ids: list[int]) -> tuple[int, int]:
    """(people who passed, people who took) the course's final exam(s) (one query)."""
    if not run_ids:
        return 0, 0
    exams = sa.select(Instrument.id).where(Instrument.purpose == Purpose.EXAM)
    best = (
        sa.select(sa.func.max(sa.case((Attempt.passed.is_(True), 1), else_=0)).label("passed"))
        .where(
            Attempt.run_id.in_(run_ids),
            Attempt.instrument_id.in_(exams),
            Attempt.state.in_(FINISHED),
        )
        .group_by(Attempt.run_id, Attempt.user_id)
        .subquery()
    )
    takers, passed = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(best.c.passed), 0))
    ).one()
    return int(passed), int(takers)


def indicator_items(run_ids: list[int]) -> list[Indicator]:
    """The six indicators over the runs (a fixed number of queries)."""
    counts = figures.enrolment_counts(run_ids)
    passed, takers = exam_success(run_ids)
    respondents, satisfied, answers = satisfaction(run_ids)
    invited = answered = 0
    for rate in figures.followup_rates(run_ids):
        invited, answered = invited + rate.invited, answered + rate.answered
    followed, applying = figures.applying(run_ids)
    return [
        Indicator("trainees", None, counts.enrolled, counts.enrolled),
        Indicator("completion", counts.completed, counts.enrolled, counts.enrolled),
        Indicator("success", passed, takers, takers),
        Indicator("satisfaction", satisfied, answers, respondents),
        Indicator("followup", answered, invited, invited),
        Indicator("applying", applying, followed, followed),
    ]


def indicators(course: Course, today: date, year: int | None = None) -> Indicators:
    """The six indicators of ``course`` over the 12 months before ``today``, or over the
    calendar ``year`` (runs that ended in it, up to ``today``)."""
    if year is None:
        start = today - timedelta(days=PERIOD_DAYS)
        end = today
    else:
        start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    run_ids = [run.id for run in runs_in_period(course.id, start, end)]
    return Indicators(course, start, end, indicator_items(run_ids), year)


def years_with_runs(course: Course, today: date) -> list[int]:
    """The calendar years in which a run of ``course`` ended, up to ``today``, newest first
    (one query)."""
    ends = db.session.scalars(
        sa.select(CourseRun.ends_on)
        .where(CourseRun.course_id == course.id, CourseRun.ends_on <= today)
        .distinct()
    )
    return sorted({end.year for end in ends}, reverse=True)
