"""Follow-up plans of courses: the default plan (6 and 12 months) and the questionnaires a wave
may use."""

from __future__ import annotations

import sqlalchemy as sa

from courses.models import Course
from lms.db import db
from quizzes.campaigns.models import Campaign, FollowUpPlan, FollowUpWave, Invitation
from quizzes.models import Instrument, InstrumentKind, Purpose

#: The default waves: months after the run's end, and the purpose of their questionnaire.
DEFAULT_WAVES = ((6, Purpose.FOLLOWUP_6M), (12, Purpose.FOLLOWUP_12M))


def plan_of(course_id: int) -> FollowUpPlan | None:
    """The course's plan, if it has one."""
    return db.session.scalar(sa.select(FollowUpPlan).where(FollowUpPlan.course_id == course_id))


def questionnaires(course_id: int) -> list[Instrument]:
    """Questionnaires of the course a wave may send, follow-up ones first."""
    followup = sa.case(
        (Instrument.purpose.in_((Purpose.FOLLOWUP_6M, Purpose.FOLLOWUP_12M)), 0), else_=1
    )
    return list(
        db.session.scalars(
            sa.select(Instrument)
            .where(Instrument.course_id == course_id, Instrument.kind != InstrumentKind.QUIZ)
            .order_by(followup, Instrument.purpose, Instrument.title)
        )
    )


def default_plan(course: Course) -> FollowUpPlan:
    """The course's plan, created with the default waves if it has none (flushes)."""
    plan = plan_of(course.id)
    if plan is not None:
        return plan
    by_purpose: dict[str, int] = {}
    for instrument in questionnaires(course.id):
        by_purpose.setdefault(instrument.purpose, instrument.id)
    plan = FollowUpPlan(course_id=course.id)
    for months, purpose in DEFAULT_WAVES:
        plan.waves.append(FollowUpWave(offset_months=months, instrument_id=by_purpose.get(purpose)))
    db.session.add(plan)
    db.session.flush()
    return plan


def wave_in_use(wave_id: int) -> bool:
    """Whether invitations were sent for the wave (it may then not be deleted)."""
    return bool(
        db.session.scalar(
            sa.select(sa.func.count(Invitation.id))
            .join(Campaign, Campaign.id == Invitation.campaign_id)
            .where(Campaign.wave_id == wave_id)
        )
    )
