"""The scheduled work of survey campaigns (``flask lms tick``): forget the recipients of long
closed campaigns (retention), close campaigns past their date, expire links, invite pending
recipients of open campaigns, queue due reminders.

Safe when two ticks run together: recipients are claimed with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL and inside ``BEGIN IMMEDIATE`` on SQLite, and every e-mail has a unique outbox key.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lms.db import begin_write, db, is_sqlite, utcnow
from lms.erasure import ERASED_DOMAIN
from lms.mail.models import OutboxMessage
from quizzes.campaigns.timing import next_reminder_at
from quizzes.surveys import mailing
from quizzes.surveys.models import (
    Respondent,
    RespondentState,
    SurveyCampaign,
    SurveyOptOut,
    SurveyStatus,
)

log = logging.getLogger(__name__)

#: Rows written per transaction (keeps SQLite's write lock short).
CHUNK = 200


def _open_campaign(now: datetime):
    """SQL condition: the recipient's campaign is open and started."""
    return sa.and_(
        SurveyCampaign.status == SurveyStatus.OPEN,
        SurveyCampaign.opens_at <= now,
        sa.or_(SurveyCampaign.closes_at.is_(None), SurveyCampaign.closes_at > now),
    )


def _batch(condition, now: datetime) -> list[Respondent]:
    query = (
        sa.select(Respondent)
        .join(SurveyCampaign, SurveyCampaign.id == Respondent.campaign_id)
        .where(
            condition,
            _open_campaign(now),
            ~sa.exists().where(SurveyOptOut.email == Respondent.email),
        )
        .order_by(Respondent.id)
        .limit(CHUNK)
    )
    if not is_sqlite():
        query = query.with_for_update(skip_locked=True, of=Respondent)
    return list(db.session.scalars(query))


def _process(condition, step, now: datetime) -> int:
    total = 0
    while True:
        begin_write()
        batch = _batch(condition, now)
        for respondent in batch:
            step(respondent, now)
        db.session.commit()
        total += len(batch)
        if len(batch) < CHUNK:
            return total


def _invite(respondent: Respondent, now: datetime) -> None:
    campaign = respondent.campaign
    respondent.state = RespondentState.INVITED
    respondent.sent_at = now
    respondent.expires_at = now + timedelta(days=campaign.expiry_days)
    if campaign.closes_at is not None:
        respondent.expires_at = min(respondent.expires_at, campaign.closes_at)
    respondent.next_reminder_at = next_reminder_at(campaign, 0, now)
    mailing.queue_invitation(respondent, campaign, 0, now)


def _remind(respondent: Respondent, now: datetime) -> None:
    respondent.reminders += 1
    respondent.last_reminded_at = now
    respondent.next_reminder_at = next_reminder_at(respondent.campaign, respondent.reminders, now)
    mailing.queue_invitation(respondent, respondent.campaign, respondent.reminders, now)


def invite_pending(now: datetime, campaign_id: int | None = None) -> int:
    """Invite the pending recipients of open campaigns (or of one); return how many."""
    condition = Respondent.state == RespondentState.PENDING
    if campaign_id is not None:
        condition = sa.and_(condition, Respondent.campaign_id == campaign_id)
    return _process(condition, _invite, now)


def queue_reminders(now: datetime) -> int:
    """Queue the due reminders of open campaigns; return how many."""
    condition = sa.and_(
        Respondent.state == RespondentState.INVITED,
        Respondent.expires_at > now,
        Respondent.next_reminder_at <= now,
    )
    return _process(condition, _remind, now)


def expire_links(now: datetime) -> int:
    """Mark unanswered recipients whose link expired; return how many."""
    begin_write()
    result = db.session.execute(
        sa.update(Respondent)
        .where(Respondent.state == RespondentState.INVITED, Respondent.expires_at <= now)
        .values(state=RespondentState.EXPIRED, expired_at=now, next_reminder_at=None)
    )
    db.session.commit()
    return result.rowcount or 0


def close_past(now: datetime) -> int:
    """Close the campaigns whose close date passed; return how many."""
    begin_write()
    result = db.session.execute(
        sa.update(SurveyCampaign)
        .where(SurveyCampaign.status != SurveyStatus.CLOSED, SurveyCampaign.closes_at <= now)
        .values(status=SurveyStatus.CLOSED)
    )
    db.session.commit()
    return result.rowcount or 0


def forget_recipients(now: datetime) -> int:
    """Retention: empty the names and addresses of the recipients (and their e-mails) of the
    campaigns closed more than ``LMS_RETENTION_DAYS`` days ago; return how many rows."""
    days = int(current_app.config.get("LMS_RETENTION_DAYS") or 0)
    if days <= 0:
        return 0
    begin_write()
    old = sa.select(SurveyCampaign.id).where(
        SurveyCampaign.status == SurveyStatus.CLOSED,
        sa.func.coalesce(SurveyCampaign.closes_at, SurveyCampaign.created_at)
        < now - timedelta(days=days),
    )
    placeholder = "efface-" + sa.cast(Respondent.id, sa.String) + "@" + ERASED_DOMAIN
    rows = (
        db.session.execute(
            sa.update(Respondent)
            .where(Respondent.campaign_id.in_(old), ~Respondent.email.like("%@" + ERASED_DOMAIN))
            .values(email=placeholder, name="—")
            .returning(Respondent.id)
        )
        .scalars()
        .all()
    )
    for start in range(0, len(rows), CHUNK):
        keys = [mailing.mail_key(i, n) for i in rows[start : start + CHUNK] for n in range(11)]
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.key.in_(keys))
            .values(to_addr="efface@" + ERASED_DOMAIN, to_name=None, body_text="", body_html=None)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return len(rows)


def tick(now: datetime | None = None) -> None:
    """Everything above, in that order."""
    now = now or utcnow()
    forget_recipients(now)
    closed, expired = close_past(now), expire_links(now)
    invited, reminded = invite_pending(now), queue_reminders(now)
    if closed or expired or invited or reminded:
        log.info(
            "surveys: %d closed, %d expired, %d invited, %d reminded",
            closed,
            expired,
            invited,
            reminded,
        )


def opt_out(email: str) -> None:
    """Record that an address wants no more survey e-mails (twice is harmless)."""
    begin_write()
    insert = sqlite_insert if is_sqlite() else pg_insert
    db.session.execute(
        insert(SurveyOptOut.__table__)
        .values(email=email, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["email"])
    )
    db.session.execute(
        sa.update(Respondent)
        .where(Respondent.email == email, Respondent.state.in_(["pending", "invited"]))
        .values(next_reminder_at=None)
    )
