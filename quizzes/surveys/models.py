"""Survey campaigns, their recipients and the people who asked for no more survey e-mails.

A :class:`SurveyCampaign` sends one questionnaire either to a list of :class:`Respondent` rows
(mode ``list``: a name and an address, no account, no enrolment) or through a public link
(mode ``public``). Every answer is an :class:`~quizzes.models.Attempt` held by the campaign's own
anonymous account (``owner``: role ``respondent``, inactive, no password), so the results,
charts and exports of questionnaires work unchanged and no answer names a person.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, utcnow
from lms.models import User
from quizzes.models import Attempt, Instrument


class SurveyMode(StrEnum):
    """How the questionnaire reaches people."""

    LIST = "list"
    PUBLIC = "public"


class SurveyStatus(StrEnum):
    """Where a campaign stands: answers are accepted only while it is open."""

    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class SurveyCampaign(db.Model):
    """One questionnaire sent to outside respondents, with its dates, cap and reminders."""

    __tablename__ = "survey_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    instrument_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instruments.id", ondelete="RESTRICT"), index=True
    )
    #: The anonymous account holding every answer of the campaign.
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    mode: Mapped[str] = mapped_column(sa.String(10), default=SurveyMode.LIST)
    status: Mapped[str] = mapped_column(sa.String(10), default=SurveyStatus.OPEN)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime | None]
    #: At most this many answers (None: no cap); ``answered`` counts those sent.
    max_responses: Mapped[int | None]
    answered: Mapped[int] = mapped_column(default=0)
    #: The secret part of the public link (mode ``public``); only its hash is kept.
    public_nonce: Mapped[str | None] = mapped_column(sa.String(64))
    public_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    first_reminder_days: Mapped[int] = mapped_column(default=7)
    reminder_interval_days: Mapped[int] = mapped_column(default=7)
    max_reminders: Mapped[int] = mapped_column(default=2)
    expiry_days: Mapped[int] = mapped_column(default=30)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    instrument: Mapped[Instrument] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])


class RespondentState(StrEnum):
    """Where a recipient stands."""

    PENDING = "pending"
    INVITED = "invited"
    ANSWERED = "answered"
    EXPIRED = "expired"
    FAILED = "failed"


class Respondent(db.Model):
    """One recipient of a list campaign: a name and an address (not an account).

    The personal link is derived from ``nonce`` as the follow-ups' are
    (:mod:`quizzes.campaigns.tokens`); the database keeps only its hash.
    """

    __tablename__ = "survey_respondents"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "email"),
        sa.Index("ix_survey_respondents_state_reminder", "state", "next_reminder_at"),
        sa.Index("ix_survey_respondents_state_expires", "state", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_campaigns.id", ondelete="CASCADE")
    )
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    nonce: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    state: Mapped[str] = mapped_column(sa.String(12), default=RespondentState.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    reminders: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None]
    next_reminder_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    expired_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    attempt_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("attempts.id", ondelete="SET NULL")
    )

    campaign: Mapped[SurveyCampaign] = relationship()
    attempt: Mapped[Attempt | None] = relationship()


class SurveyOptOut(db.Model):
    """An address that asked for no more survey e-mails (honoured by every campaign)."""

    __tablename__ = "survey_optouts"

    email: Mapped[str] = mapped_column(sa.String(254), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
