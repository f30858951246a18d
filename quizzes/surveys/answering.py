"""Answering a survey: through a recipient's personal link or through the public link.

Every answer is an attempt of the campaign's anonymous account (no name, no run). A personal
link finds exactly one recipient by the hash of its token, and that recipient's own attempt; the
public link finds the campaign by the hash of its token, and the browser's own attempt through
a signed cookie. The response cap is enforced by one conditional UPDATE of the campaign's
counter, in the same transaction as the submission: two last answers sent at the same moment
cannot both pass.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from lms.db import begin_write, db, utcnow
from lms.models import hash_token
from quizzes.models import Attempt, AttemptState, Channel
from quizzes.surveys.models import Respondent, RespondentState, SurveyCampaign, SurveyStatus
from quizzes.taking import attempts as service
from quizzes.taking.layout import make_layout
from quizzes.taking.rules import Rules

#: Why a link does not open the questionnaire, and the HTTP status of the page saying so.
UNKNOWN, EXPIRED, ANSWERED, CLOSED, NOT_YET, FULL = (
    "unknown",
    "expired",
    "answered",
    "closed",
    "not_yet",
    "full",
)
STATUS = {UNKNOWN: 404, EXPIRED: 410, ANSWERED: 410, CLOSED: 410, NOT_YET: 403, FULL: 410}


class CampaignFull(Exception):
    """The campaign stopped accepting answers while this one was being sent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _valid(raw: str) -> bool:
    return bool(raw) and len(raw) <= 100


def find_respondent(raw_token: str) -> Respondent | None:
    """The recipient whose link carries ``raw_token`` (None for a wrong token)."""
    if not _valid(raw_token):
        return None
    return db.session.scalar(
        sa.select(Respondent).where(Respondent.token_hash == hash_token(raw_token))
    )


def find_public(raw_token: str) -> SurveyCampaign | None:
    """The campaign whose public link carries ``raw_token`` (None for a wrong token)."""
    if not _valid(raw_token):
        return None
    return db.session.scalar(
        sa.select(SurveyCampaign).where(SurveyCampaign.public_hash == hash_token(raw_token))
    )


def campaign_problem(campaign: SurveyCampaign | None, now: datetime | None = None) -> str | None:
    """Why the campaign accepts no answer now (None: it does)."""
    now = now or utcnow()
    if campaign is None:
        return UNKNOWN
    if campaign.status != SurveyStatus.OPEN or (
        campaign.closes_at is not None and campaign.closes_at <= now
    ):
        return CLOSED
    if campaign.opens_at > now:
        return NOT_YET
    if campaign.max_responses is not None and campaign.answered >= campaign.max_responses:
        return FULL
    return None


def respondent_problem(respondent: Respondent | None, now: datetime | None = None) -> str | None:
    """Why this recipient's link does not open the questionnaire now (None: it does)."""
    now = now or utcnow()
    if respondent is None or respondent.state == RespondentState.PENDING:
        return UNKNOWN
    if respondent.state == RespondentState.ANSWERED:
        return ANSWERED
    if respondent.state == RespondentState.EXPIRED or (
        respondent.expires_at is not None and respondent.expires_at <= now
    ):
        return EXPIRED
    return campaign_problem(respondent.campaign, now)


def new_attempt(campaign: SurveyCampaign, channel: str, now: datetime | None = None) -> Attempt:
    """A fresh attempt of the campaign's anonymous account (flushed; the caller commits).

    Survey attempts have no run; their ``number`` is always 1 (each belongs to one recipient
    or one browser, never to a person who would try again).
    """
    instrument = campaign.instrument
    attempt = Attempt(
        instrument_id=instrument.id,
        user_id=campaign.owner_id,
        run_id=None,
        number=1,
        state=AttemptState.IN_PROGRESS,
        started_at=now or utcnow(),
        layout=make_layout(instrument, Rules.of(instrument)),
        channel=channel,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def blank_attempt(campaign: SurveyCampaign) -> Attempt:
    """An unsaved attempt to draw an empty questionnaire (a GET writes nothing)."""
    instrument = campaign.instrument
    return Attempt(instrument=instrument, layout=make_layout(instrument, Rules.of(instrument)))


def respondent_attempt(respondent: Respondent) -> Attempt:
    """The recipient's attempt, started the first time (row locked: one attempt only)."""
    if respondent.attempt_id is not None:
        return respondent.attempt
    begin_write()
    db.session.refresh(respondent, with_for_update=True)
    if respondent.attempt_id is None:
        respondent.attempt_id = new_attempt(respondent.campaign, Channel.EMAIL_LINK).id
        db.session.flush()
    return respondent.attempt


def submit(campaign_id: int, attempt: Attempt, now: datetime | None = None) -> list:
    """Send the answers unless required ones are missing (returned, nothing sent).

    Raises :class:`CampaignFull` (nothing sent: the caller rolls back) when the campaign
    closed or reached its cap meanwhile.
    """
    missing = service.missing_required(attempt)
    if missing:
        return missing
    now = now or utcnow()
    service.submit(attempt, now)
    counted = db.session.execute(
        sa.update(SurveyCampaign)
        .where(
            SurveyCampaign.id == campaign_id,
            SurveyCampaign.status == SurveyStatus.OPEN,
            sa.or_(SurveyCampaign.closes_at.is_(None), SurveyCampaign.closes_at > now),
            sa.or_(
                SurveyCampaign.max_responses.is_(None),
                SurveyCampaign.answered < SurveyCampaign.max_responses,
            ),
        )
        .values(answered=SurveyCampaign.answered + 1)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:
        raise CampaignFull(FULL)
    return []


def mark_answered(respondent: Respondent, now: datetime | None = None) -> None:
    """The recipient answered: no more reminders."""
    respondent.state = RespondentState.ANSWERED
    respondent.answered_at = now or utcnow()
    respondent.next_reminder_at = None
    db.session.flush()
