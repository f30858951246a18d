"""Answering a follow-up: through the personal link (no password) or typed in by staff during a
phone call. Saving and submitting reuse the attempt service (:mod:`quizzes.taking.attempts`).

A link finds exactly one invitation (by the hash of its token) and that invitation's own
attempt: nothing in the request can point at another person's answers.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from courses.models import EnrolmentStatus
from lms.db import begin_write, db, utcnow
from lms.models import hash_token
from quizzes.campaigns.models import Invitation, InvitationState
from quizzes.models import Attempt, AttemptState, Channel
from quizzes.taking import attempts as service
from quizzes.taking.layout import make_layout
from quizzes.taking.rules import Rules

#: Why a link does not open the questionnaire, and the HTTP status of the page saying so.
UNKNOWN, EXPIRED, ANSWERED, CLOSED = "unknown", "expired", "answered", "closed"
STATUS = {UNKNOWN: 404, EXPIRED: 410, ANSWERED: 410, CLOSED: 410}


def find(raw_token: str) -> Invitation | None:
    """The invitation whose link carries ``raw_token`` (None for a wrong or altered token)."""
    if not raw_token or len(raw_token) > 100:
        return None
    return db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_token(raw_token))
    )


def problem(invitation: Invitation | None, now: datetime | None = None) -> str | None:
    """Why the invitation's questionnaire cannot be answered now (None: it can)."""
    now = now or utcnow()
    if invitation is None:
        return UNKNOWN
    if invitation.state == InvitationState.ANSWERED:
        return ANSWERED
    if invitation.state == InvitationState.EXPIRED or invitation.expires_at <= now:
        return EXPIRED
    if (
        invitation.enrolment.status == EnrolmentStatus.WITHDRAWN
        or not invitation.user.active
        or invitation.campaign.wave.instrument_id is None
    ):
        return CLOSED
    return None


def staff_problem(invitation: Invitation) -> str | None:
    """Why staff cannot type in answers for this invitation (expiry does not stop them)."""
    if invitation.state == InvitationState.ANSWERED:
        return ANSWERED
    if invitation.campaign.wave.instrument_id is None:
        return CLOSED
    return None


def open_attempt(
    invitation: Invitation, channel: str, entered_by_id: int | None = None, now=None
) -> Attempt:
    """The invitation's attempt, started the first time (the caller commits).

    The invitation row is locked so two first clicks cannot start two attempts.
    """
    if invitation.attempt_id is not None:
        return invitation.attempt
    begin_write()
    db.session.refresh(invitation, with_for_update=True)
    if invitation.attempt_id is not None:
        return invitation.attempt
    instrument = invitation.campaign.wave.instrument
    attempt = Attempt(
        instrument_id=instrument.id,
        user_id=invitation.user_id,
        run_id=invitation.campaign.run_id,
        enrolment_id=invitation.enrolment_id,
        number=_next_number(instrument.id, invitation.user_id, invitation.campaign.run_id),
        state=AttemptState.IN_PROGRESS,
        started_at=now or utcnow(),
        layout=make_layout(instrument, Rules.of(instrument)),
        channel=channel,
        entered_by_id=entered_by_id,
    )
    db.session.add(attempt)
    db.session.flush()
    invitation.attempt_id = attempt.id
    db.session.flush()
    return attempt


def _next_number(instrument_id: int, user_id: int, run_id: int) -> int:
    """The number of a new attempt (the same questionnaire may serve two waves)."""
    last = db.session.scalar(
        sa.select(sa.func.max(Attempt.number)).where(
            Attempt.instrument_id == instrument_id,
            Attempt.user_id == user_id,
            Attempt.run_id == run_id,
        )
    )
    return (last or 0) + 1


def save(invitation: Invitation, form, channel: str, entered_by_id: int | None = None) -> Attempt:
    """Save the answers of ``form``; record who typed them and how they arrived.

    Raises :class:`quizzes.taking.attempts.AttemptRefused` once the questionnaire was sent.
    """
    attempt = open_attempt(invitation, channel, entered_by_id)
    service.save_answers(attempt, form)
    attempt.channel = channel
    attempt.entered_by_id = entered_by_id if channel == Channel.PHONE else None
    db.session.flush()
    return attempt


def submit(invitation: Invitation, attempt: Attempt, now: datetime | None = None) -> list:
    """Send the questionnaire unless required answers are missing (returned, nothing sent).

    Marks the invitation answered, which stops its reminders.
    """
    missing = service.missing_required(attempt)
    if missing:
        return missing
    now = now or utcnow()
    service.submit(attempt, now)
    invitation.state = InvitationState.ANSWERED
    invitation.answered_at = now
    invitation.next_reminder_at = None
    db.session.flush()
    return []
