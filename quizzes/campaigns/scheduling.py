"""What is due when, and the scheduled work done by ``flask lms tick``.

A wave is due for a run ``offset_months`` after the run's end date (in the platform's time
zone). From that day, and for ``expiry_days`` more (the catch-up window, so that a plan added
today does not write to people trained years ago), every tick invites the completed enrolments
that have no invitation yet. Reminders go to invitations still unanswered whose next reminder
is due; links past their expiry are marked expired.

Every step is idempotent and safe when two ticks run together: a campaign (or a batch of
invitations) is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL and inside a
``BEGIN IMMEDIATE`` transaction on SQLite, and each e-mail has a unique outbox key
(``followup:<invitation id>:invite`` / ``:reminder:<n>``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from courses.models import Enrolment, EnrolmentStatus
from lms.db import begin_write, db, is_sqlite, utcnow
from lms.models import User
from quizzes.campaigns import mailing
from quizzes.campaigns.models import (
    Campaign,
    FollowUpOptOut,
    FollowUpWave,
    Invitation,
    InvitationState,
)
from quizzes.campaigns.timing import Slot, catch_up_until, next_reminder_at, slots
from quizzes.campaigns.tokens import new_nonce, token_hash_for
from quizzes.taking.opening import local_today

log = logging.getLogger(__name__)

#: Rows written per transaction (keeps SQLite's write lock short).
CHUNK = 200
#: "Send reminders now" skips people written to less than this long ago.
MIN_GAP = timedelta(hours=20)


def ensure_campaign(run_id: int, wave_id: int) -> Campaign:
    """The campaign of a wave for a run, created if needed (safe when two ticks race)."""
    begin_write()
    insert = sqlite_insert if is_sqlite() else pg_insert
    db.session.execute(
        insert(Campaign.__table__)
        .values(run_id=run_id, wave_id=wave_id, paused=False, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["run_id", "wave_id"])
    )
    db.session.commit()
    return db.session.scalar(
        sa.select(Campaign).where(Campaign.run_id == run_id, Campaign.wave_id == wave_id)
    )


def opted_out(user_id_column):
    """SQL condition: the person asked for no more follow-ups."""
    return sa.exists().where(FollowUpOptOut.user_id == user_id_column)


def eligible_enrolments(campaign: Campaign):
    """Select of (Enrolment, User) that the campaign should invite and has not invited yet:
    completed enrolments of active accounts that did not opt out."""
    invited = sa.exists().where(
        Invitation.campaign_id == campaign.id, Invitation.enrolment_id == Enrolment.id
    )
    return (
        sa.select(Enrolment, User)
        .join(User, User.id == Enrolment.user_id)
        .where(
            Enrolment.run_id == campaign.run_id,
            Enrolment.status == EnrolmentStatus.COMPLETED,
            User.active.is_(True),
            ~invited,
            ~opted_out(Enrolment.user_id),
        )
        .order_by(Enrolment.id)
    )


def _claim_campaign(campaign_id: int) -> Campaign | None:
    """Lock the campaign for this process; None if another one holds it (PostgreSQL)."""
    begin_write()
    query = sa.select(Campaign).where(Campaign.id == campaign_id)
    if not is_sqlite():
        query = query.with_for_update(skip_locked=True)
    return db.session.scalar(query)


def issue_invitations(campaign_id: int, now: datetime) -> int:
    """Invite every eligible enrolment of the campaign and queue the e-mails; return how many.

    Commits every :data:`CHUNK` invitations; a campaign claimed by another tick is skipped.
    """
    total = 0
    while True:
        campaign = _claim_campaign(campaign_id)
        if campaign is None or campaign.paused or campaign.wave.instrument_id is None:
            db.session.commit()
            return total
        rows = db.session.execute(eligible_enrolments(campaign).limit(CHUNK)).all()
        context = mailing.campaign_context(campaign) if rows else None
        for enrolment, user in rows:
            invitation = _new_invitation(campaign, enrolment, user, now)
            mailing.queue_invitation_mail(invitation, user, context, 0, now)
        db.session.commit()
        total += len(rows)
        if len(rows) < CHUNK:
            return total


def _new_invitation(campaign: Campaign, enrolment: Enrolment, user: User, now: datetime):
    wave = campaign.wave
    nonce = new_nonce()
    invitation = Invitation(
        campaign_id=campaign.id,
        enrolment_id=enrolment.id,
        user_id=user.id,
        nonce=nonce,
        token_hash=token_hash_for(nonce),
        state=InvitationState.INVITED,
        created_at=now,
        sent_at=now,
        expires_at=now + timedelta(days=wave.expiry_days),
        next_reminder_at=next_reminder_at(wave, 0, now),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


def _reminder_query(now: datetime, campaign_id: int | None, force: bool):
    query = (
        sa.select(Invitation)
        .join(Campaign, Campaign.id == Invitation.campaign_id)
        .join(FollowUpWave, FollowUpWave.id == Campaign.wave_id)
        .where(
            Invitation.state == InvitationState.INVITED,
            Invitation.expires_at > now,
            Invitation.reminders < FollowUpWave.max_reminders,
            Campaign.paused.is_(False),
            ~opted_out(Invitation.user_id),
        )
        .order_by(Invitation.id)
        .limit(CHUNK)
    )
    if campaign_id is not None:
        query = query.where(Invitation.campaign_id == campaign_id)
    if force:
        last = sa.func.coalesce(Invitation.last_reminded_at, Invitation.sent_at)
        query = query.where(last <= now - MIN_GAP)
    else:
        query = query.where(Invitation.next_reminder_at <= now)
    if not is_sqlite():
        query = query.with_for_update(skip_locked=True, of=Invitation)
    return query


def queue_reminders(now: datetime, campaign_id: int | None = None, force: bool = False) -> int:
    """Queue the due reminders (all campaigns, or one); return how many.

    ``force`` ("send reminders now") ignores the reminder dates but still honours the maximum
    number of reminders and skips people written to in the last :data:`MIN_GAP`.
    """
    total, contexts = 0, {}
    while True:
        begin_write()
        batch = list(db.session.scalars(_reminder_query(now, campaign_id, force)))
        users = (
            {
                u.id: u
                for u in db.session.scalars(
                    sa.select(User).where(User.id.in_({i.user_id for i in batch}))
                )
            }
            if batch
            else {}
        )
        for invitation in batch:
            if invitation.campaign_id not in contexts:
                contexts[invitation.campaign_id] = mailing.campaign_context(invitation.campaign)
            context = contexts[invitation.campaign_id]
            _remind(invitation, users[invitation.user_id], context, now)
        db.session.commit()
        total += len(batch)
        if len(batch) < CHUNK:
            return total


def _remind(invitation: Invitation, user: User, context, now: datetime) -> None:
    wave = context.wave
    invitation.reminders += 1
    invitation.last_reminded_at = now
    invitation.next_reminder_at = next_reminder_at(wave, invitation.reminders, now)
    mailing.queue_invitation_mail(invitation, user, context, invitation.reminders, now)


def expire_links(now: datetime) -> int:
    """Mark the unanswered invitations whose link has expired; return how many."""
    begin_write()
    result = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.state == InvitationState.INVITED, Invitation.expires_at <= now)
        .values(state=InvitationState.EXPIRED, expired_at=now, next_reminder_at=None)
    )
    db.session.commit()
    return result.rowcount or 0


def due_slots(now: datetime) -> list[Slot]:
    """The (run, wave) pairs whose invitations should be going out now."""
    today = local_today(now)
    return [
        s
        for s in slots(ended_by=today)
        if s.wave.instrument_id is not None
        and s.due_on <= today < catch_up_until(s.run, s.wave)
        and not (s.campaign and s.campaign.paused)
    ]


def tick(now: datetime) -> None:
    """The scheduled work of follow-ups: expire links, send due waves, queue due reminders."""
    expired = expire_links(now)
    invited = 0
    for slot in due_slots(now):
        campaign = slot.campaign or ensure_campaign(slot.run.id, slot.wave.id)
        invited += issue_invitations(campaign.id, now)
    reminded = queue_reminders(now)
    if invited or reminded or expired:
        log.info("follow-ups: %d invited, %d reminded, %d expired", invited, reminded, expired)


def opt_out(user_id: int) -> None:
    """Record that a person wants no more follow-ups (twice is harmless; the caller commits)."""
    begin_write()
    insert = sqlite_insert if is_sqlite() else pg_insert
    db.session.execute(
        insert(FollowUpOptOut.__table__)
        .values(user_id=user_id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
