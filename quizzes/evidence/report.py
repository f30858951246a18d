"""The session report: every figure an auditor asks for, for one run or for several runs of a
course over a period. Figures come from SQL aggregates (:mod:`quizzes.results.reports`,
:mod:`quizzes.results.questionnaires`, :mod:`quizzes.campaigns.results`,
:mod:`quizzes.evidence.figures`); the number of queries does not depend on the number of
learners (it grows with the number of runs and questionnaires)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from courses.models import Course, CourseRun
from lms.db import db, utcnow
from quizzes.evidence import figures
from quizzes.evidence.comments import selected_comments
from quizzes.models import Instrument, InstrumentKind, Purpose
from quizzes.results import reports
from quizzes.results.competencies import objectives, scale_top
from quizzes.results.questionnaires import InstrumentResult, instrument_results


@dataclass
class Satisfaction:
    """A satisfaction questionnaire over the runs, with the comments chosen for the report."""

    result: InstrumentResult
    enrolled: int
    satisfied: int
    scale_answers: int
    comments: list[str] = field(default_factory=list)

    @property
    def response_rate(self) -> float | None:
        """Respondents over people enrolled."""
        return self.result.respondents / self.enrolled if self.enrolled else None

    @property
    def share_satisfied(self) -> float | None:
        """Share of the scale answers in the upper half of their scale (4 or 5 out of 5)."""
        return self.satisfied / self.scale_answers if self.scale_answers else None

    @property
    def nps(self) -> dict | None:
        """The net promoter score of the first 0–10 question, if any."""
        return next((q.nps for q in self.result.questions if q.nps), None)


@dataclass
class FollowUp:
    """One follow-up wave: response rate and the answers to its closed questions."""

    rate: figures.FollowUpRate
    result: InstrumentResult | None


@dataclass
class Report:
    """Everything the report page and its PDF show."""

    course: Course
    runs: list[CourseRun]
    start: date
    end: date
    produced_at: datetime
    counts: figures.Counts
    needs: list[InstrumentResult]
    objectives: list[figures.CohortMeans]
    top: float
    quizzes: list[figures.QuizRate]
    satisfaction: list[Satisfaction]
    reviews: list[InstrumentResult]
    followups: list[FollowUp]


def satisfied_counts(result: InstrumentResult) -> tuple[int, int]:
    """(answers in the upper half of their scale, answers) over the scale questions."""
    satisfied = answered = 0
    for item in result.questions:
        if item.question.type != "scale":
            continue
        numeric = [(float(o.key), o.count) for o in item.options if _is_number(o.key)]
        if not numeric:
            continue
        middle = (min(v for v, _n in numeric) + max(v for v, _n in numeric)) / 2
        satisfied += sum(n for v, n in numeric if v > middle)
        answered += sum(n for _v, n in numeric)
    return satisfied, answered


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def merged(instrument: Instrument, run_ids: list[int], texts: bool) -> InstrumentResult:
    """An instrument's results added up over the runs; free texts dropped unless ``texts``."""
    result = instrument_results(instrument, list(run_ids), named=False)
    if not texts:
        for item in result.questions:
            item.texts = []
    return result


def _by_purpose(instruments: list[Instrument], *purposes: str) -> list[Instrument]:
    return [i for i in instruments if i.purpose in purposes]


def _objectives(course: Course, run_ids: list[int]) -> list[figures.CohortMeans]:
    means = figures.cohort_means(run_ids)
    rows = {key: figures.CohortMeans(key, text) for key, text in objectives(course)}
    for (purpose, key), (mean, people) in sorted(means.items()):
        row = rows.setdefault(key, figures.CohortMeans(key, key))
        if purpose == Purpose.PRE:
            row.pre, row.pre_n = mean, people
        else:
            row.post, row.post_n = mean, people
    return list(rows.values())


def _satisfaction(instruments, run_ids, enrolled) -> list[Satisfaction]:
    comments = selected_comments(run_ids)
    found = []
    for instrument in instruments:
        result = merged(instrument, run_ids, texts=False)
        satisfied, answered = satisfied_counts(result)
        chosen = [text for instrument_id, text in comments if instrument_id == instrument.id]
        found.append(Satisfaction(result, enrolled, satisfied, answered, chosen))
    return found


def _followups(run_ids: list[int], by_id: dict[int, Instrument]) -> list[FollowUp]:
    found = []
    for rate in figures.followup_rates(run_ids):
        instrument = by_id.get(rate.instrument_id)
        result = merged(instrument, run_ids, texts=False) if instrument else None
        found.append(FollowUp(rate, result))
    return found


def build(course: Course, runs: list[CourseRun], start: date, end: date) -> Report:
    """The report of ``runs`` (all of ``course``), for the period ``start``–``end``."""
    run_ids = [run.id for run in runs]
    instruments = reports.run_instruments(runs[0]) if runs else []
    counts = figures.enrolment_counts(run_ids)
    quizzes = [i for i in instruments if i.kind == InstrumentKind.QUIZ]
    return Report(
        course=course,
        runs=runs,
        start=start,
        end=end,
        produced_at=utcnow(),
        counts=counts,
        needs=[merged(i, run_ids, False) for i in _by_purpose(instruments, Purpose.NEEDS)],
        objectives=_objectives(course, run_ids),
        top=scale_top(runs[0]) if runs else 5.0,
        quizzes=figures.quiz_rates(run_ids, quizzes),
        satisfaction=_satisfaction(
            _by_purpose(instruments, Purpose.SATISFACTION), run_ids, counts.enrolled
        ),
        reviews=[
            merged(i, run_ids, True) for i in _by_purpose(instruments, Purpose.TRAINER_REVIEW)
        ],
        followups=_followups(run_ids, {i.id: i for i in instruments}),
    )


def run_report(run: CourseRun) -> Report:
    """The report of one run, over its own dates."""
    return build(run.course, [run], run.starts_on, run.ends_on)


def runs_in_period(course_id: int, start: date, end: date) -> list[CourseRun]:
    """The course's runs that end within ``start``–``end``, by start date (one query)."""
    return list(
        db.session.scalars(
            sa.select(CourseRun)
            .where(
                CourseRun.course_id == course_id,
                CourseRun.ends_on >= start,
                CourseRun.ends_on <= end,
            )
            .order_by(CourseRun.starts_on, CourseRun.id)
        )
    )
