"""Follow-up campaigns ("évaluations à froid"): plans, waves, campaigns, invitations, opt-outs.

A course has one :class:`FollowUpPlan` made of :class:`FollowUpWave` rows (by default 6 and 12
months after the end of each run). A :class:`Campaign` is one wave for one run; it holds one
:class:`Invitation` per completed enrolment. People who unsubscribed are in
:class:`FollowUpOptOut` and receive no later follow-up.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courses.models import Course, CourseRun, Enrolment
from lms.db import db, utcnow
from lms.models import User
from quizzes.models import Attempt, Instrument


class FollowUpPlan(db.Model):
    """The follow-up plan of a course: its waves, and when the "droit de suite" may be sent."""

    __tablename__ = "followup_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), unique=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    #: Days after the end of a run when its satisfaction questionnaire is considered closed
    #: (the thank-you e-mail with the results may be sent from then on).
    satisfaction_days: Mapped[int] = mapped_column(default=14)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()
    waves: Mapped[list[FollowUpWave]] = relationship(
        back_populates="plan", order_by="FollowUpWave.offset_months", cascade="all, delete-orphan"
    )


class FollowUpWave(db.Model):
    """One follow-up of a plan: which questionnaire, when, how often to remind, link lifetime."""

    __tablename__ = "followup_waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("followup_plans.id", ondelete="CASCADE"), index=True
    )
    instrument_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("instruments.id", ondelete="SET NULL"), index=True
    )
    #: Months after the run's end date when the invitations go out.
    offset_months: Mapped[int] = mapped_column(default=6)
    #: Days after the invitation before the first reminder.
    first_reminder_days: Mapped[int] = mapped_column(default=10)
    #: Days between two reminders.
    reminder_interval_days: Mapped[int] = mapped_column(default=10)
    #: At most this many reminders per invitation.
    max_reminders: Mapped[int] = mapped_column(default=2)
    #: Days a link stays valid after the invitation.
    expiry_days: Mapped[int] = mapped_column(default=45)

    plan: Mapped[FollowUpPlan] = relationship(back_populates="waves")
    instrument: Mapped[Instrument | None] = relationship()


class Campaign(db.Model):
    """One wave of follow-up for one run; an administrator may pause it."""

    __tablename__ = "followup_campaigns"
    __table_args__ = (sa.UniqueConstraint("run_id", "wave_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"))
    wave_id: Mapped[int] = mapped_column(
        sa.ForeignKey("followup_waves.id", ondelete="CASCADE"), index=True
    )
    paused: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    run: Mapped[CourseRun] = relationship()
    wave: Mapped[FollowUpWave] = relationship()


class InvitationState(StrEnum):
    """Where an invitation stands."""

    INVITED = "invited"
    ANSWERED = "answered"
    EXPIRED = "expired"
    FAILED = "failed"


class Invitation(db.Model):
    """One learner invited to one campaign, with a personal link (only its hash is stored).

    The raw link is derived from ``nonce`` and the application's secret key (see
    :mod:`quizzes.campaigns.tokens`), so reminders carry the same link as the invitation while
    the database alone does not give it away.
    """

    __tablename__ = "followup_invitations"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "enrolment_id"),
        sa.Index("ix_followup_invitations_state_reminder", "state", "next_reminder_at"),
        sa.Index("ix_followup_invitations_state_expires", "state", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("followup_campaigns.id", ondelete="CASCADE")
    )
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    nonce: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    state: Mapped[str] = mapped_column(sa.String(12), default=InvitationState.INVITED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
    reminders: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None]
    next_reminder_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    expired_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    failure_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: Marked by staff: call this person and fill in the questionnaire with them.
    phone_call: Mapped[bool] = mapped_column(default=False)
    attempt_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("attempts.id", ondelete="SET NULL"), index=True
    )

    campaign: Mapped[Campaign] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
    user: Mapped[User] = relationship()
    attempt: Mapped[Attempt | None] = relationship()


class FollowUpOptOut(db.Model):
    """A person who asked for no more follow-up e-mails (honoured for every later follow-up)."""

    __tablename__ = "followup_optouts"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResultsReport(db.Model):
    """The "droit de suite" of a run: the thank-you e-mail with the results, sent once."""

    __tablename__ = "followup_results_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_runs.id", ondelete="CASCADE"), unique=True
    )
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recipients: Mapped[int] = mapped_column(default=0)
