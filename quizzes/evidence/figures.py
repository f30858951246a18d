"""SQL aggregates of the session report, over one run or several: each figure is one query,
whatever the number of learners."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from courses.models import Enrolment, EnrolmentStatus, Progress
from lms.db import db
from quizzes.campaigns.models import Campaign, FollowUpWave, Invitation, InvitationState
from quizzes.models import Answer, Attempt, Instrument, InstrumentKind, Purpose, Question
from quizzes.results.reports import FINISHED


@dataclass
class Counts:
    """People of the runs: enrolled (withdrawn excepted), started something, completed."""

    enrolled: int = 0
    started: int = 0
    completed: int = 0


def _sum(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def enrolment_counts(run_ids: list[int]) -> Counts:
    """Enrolled, started (a progress row or completed) and completed, in one query."""
    if not run_ids:
        return Counts()
    started = sa.exists().where(Progress.enrolment_id == Enrolment.id)
    completed = Enrolment.status == EnrolmentStatus.COMPLETED
    row = db.session.execute(
        sa.select(
            sa.func.count(Enrolment.id), _sum(sa.or_(started, completed)), _sum(completed)
        ).where(Enrolment.run_id.in_(run_ids), Enrolment.status != EnrolmentStatus.WITHDRAWN)
    ).one()
    return Counts(*(int(v or 0) for v in row))


@dataclass
class QuizRate:
    """One quiz over the runs: people who took it, people who passed it, mean best score."""

    instrument: Instrument
    takers: int = 0
    passed: int = 0
    mean: float | None = None

    @property
    def rate(self) -> float | None:
        """Share of takers who passed (None without a taker)."""
        return self.passed / self.takers if self.takers else None


def quiz_rates(run_ids: list[int], quizzes: list[Instrument]) -> list[QuizRate]:
    """Pass rate of each quiz over the runs: best finished attempt of each person (one query)."""
    rates = {q.id: QuizRate(q) for q in quizzes}
    if not run_ids or not quizzes:
        return list(rates.values())
    percent = Attempt.score * 100.0 / sa.func.nullif(Attempt.max_score, 0)
    best = (
        sa.select(
            Attempt.instrument_id,
            sa.func.max(sa.case((Attempt.passed.is_(True), 1), else_=0)).label("passed"),
            sa.func.max(percent).label("best"),
        )
        .where(
            Attempt.run_id.in_(run_ids),
            Attempt.instrument_id.in_(list(rates)),
            Attempt.state.in_(FINISHED),
        )
        .group_by(Attempt.run_id, Attempt.user_id, Attempt.instrument_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            best.c.instrument_id,
            sa.func.count(),
            sa.func.sum(best.c.passed),
            sa.func.avg(best.c.best),
        ).group_by(best.c.instrument_id)
    )
    for instrument_id, takers, passed, mean in rows:
        rate = rates[instrument_id]
        rate.takers, rate.passed = int(takers), int(passed or 0)
        rate.mean = float(mean) if mean is not None else None
    return list(rates.values())


@dataclass
class CohortMeans:
    """The group's mean per objective before and after, and how many people answered."""

    key: str
    text: str
    pre: float | None = None
    post: float | None = None
    pre_n: int = 0
    post_n: int = 0

    @property
    def gain(self) -> float | None:
        """After minus before, when both are known."""
        return None if self.pre is None or self.post is None else self.post - self.pre


def cohort_means(run_ids: list[int]) -> dict[tuple[str, str], tuple[float, int]]:
    """{(purpose, competency): (mean of each person's mean, people)} of the latest pre and post
    self-assessments of each person of the runs (one query)."""
    if not run_ids:
        return {}
    latest = (
        sa.select(sa.func.max(Attempt.id).label("attempt_id"), Instrument.purpose)
        .join(Instrument, Instrument.id == Attempt.instrument_id)
        .where(
            Attempt.run_id.in_(run_ids),
            Attempt.submitted_at.is_not(None),
            Instrument.kind == InstrumentKind.SELF_ASSESSMENT,
            Instrument.purpose.in_((Purpose.PRE, Purpose.POST)),
        )
        .group_by(Attempt.run_id, Attempt.user_id, Instrument.purpose)
        .subquery()
    )
    person = (
        sa.select(latest.c.purpose, Question.competency, sa.func.avg(Answer.value).label("mean"))
        .join(Answer, Answer.attempt_id == latest.c.attempt_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.competency.is_not(None), Answer.value.is_not(None))
        .group_by(latest.c.attempt_id, latest.c.purpose, Question.competency)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            person.c.purpose, person.c.competency, sa.func.avg(person.c.mean), sa.func.count()
        ).group_by(person.c.purpose, person.c.competency)
    )
    return {(p, c): (float(mean), int(n)) for p, c, mean, n in rows}


@dataclass
class FollowUpRate:
    """One follow-up wave over the runs: invitations sent and answered."""

    offset_months: int
    instrument_id: int | None
    invited: int = 0
    answered: int = 0

    @property
    def rate(self) -> float | None:
        """Share of the invited who answered."""
        return self.answered / self.invited if self.invited else None


def followup_rates(run_ids: list[int]) -> list[FollowUpRate]:
    """Invitations and answers per wave (6, 12 months…) over the runs' campaigns (one query)."""
    if not run_ids:
        return []
    rows = db.session.execute(
        sa.select(
            FollowUpWave.offset_months,
            FollowUpWave.instrument_id,
            sa.func.count(Invitation.id),
            _sum(Invitation.state == InvitationState.ANSWERED),
        )
        .join(Campaign, Campaign.wave_id == FollowUpWave.id)
        .join(Invitation, Invitation.campaign_id == Campaign.id)
        .where(Campaign.run_id.in_(run_ids))
        .group_by(FollowUpWave.offset_months, FollowUpWave.instrument_id)
        .order_by(FollowUpWave.offset_months)
    )
    return [FollowUpRate(m, i, int(n), int(a)) for m, i, n, a in rows]


def applying(run_ids: list[int], purpose: str = Purpose.FOLLOWUP_6M) -> tuple[int, int]:
    """(respondents, respondents answering « oui » to at least one yes/no question) of the
    runs' follow-up questionnaires of ``purpose`` (one query)."""
    if not run_ids:
        return 0, 0
    said_yes = (
        sa.exists()
        .where(Answer.attempt_id == Attempt.id, Answer.value == 1)
        .where(Answer.question_id == Question.id, Question.type == "yesno")
    )
    row = db.session.execute(
        sa.select(sa.func.count(Attempt.id), _sum(said_yes))
        .join(Instrument, Instrument.id == Attempt.instrument_id)
        .where(
            Attempt.run_id.in_(run_ids),
            Attempt.state.in_(FINISHED),
            Instrument.purpose == purpose,
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)
