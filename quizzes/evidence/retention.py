"""Retention: ``tick`` erases the personal data of people with no activity for
``LMS_RETENTION_DAYS`` days (default 3 years; 0 turns it off). Activity is the latest of: the
account's creation and last sign-in, an enrolment's last visit or completion, a submitted
attempt, a follow-up invitation sent, reminded or answered — so people are kept at least that
long after their last follow-up. Erasure is :func:`lms.erasure.erase` (reason ``retention``)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from courses.models import Enrolment
from lms.db import begin_write, db
from lms.erasure import erase
from lms.models import Erasure, Role, User
from quizzes.campaigns.models import Invitation
from quizzes.models import Attempt

log = logging.getLogger(__name__)
#: At most this many people are erased per tick (the rest wait for the next one).
BATCH = 200


def _moments():
    """Union of (user_id, moment) of every kind of activity."""
    parts = [
        sa.select(User.id.label("user_id"), sa.func.coalesce(User.last_login_at, User.created_at)),
        sa.select(Enrolment.user_id, Enrolment.last_seen_at),
        sa.select(Enrolment.user_id, Enrolment.completed_at),
        sa.select(Attempt.user_id, Attempt.submitted_at),
        sa.select(Invitation.user_id, Invitation.sent_at),
        sa.select(Invitation.user_id, Invitation.last_reminded_at),
        sa.select(Invitation.user_id, Invitation.answered_at),
    ]
    union = sa.union_all(*parts).subquery()
    user_id, moment = union.c
    return sa.select(user_id.label("user_id"), sa.func.max(moment).label("last")).group_by(user_id)


def inactive_since(cutoff: datetime) -> list[int]:
    """Ids of learners not erased yet whose last activity is before ``cutoff`` (one query)."""
    last = _moments().subquery()
    return list(
        db.session.scalars(
            sa.select(last.c.user_id)
            .join(User, User.id == last.c.user_id)
            .where(
                User.role == Role.LEARNER,
                last.c.last < cutoff,
                ~sa.exists().where(Erasure.user_id == User.id),
            )
            .order_by(last.c.user_id)
            .limit(BATCH)
        )
    )


def anonymise_inactive(now: datetime) -> int:
    """Erase the people inactive for the retention period; return how many (commits)."""
    days = int(current_app.config.get("LMS_RETENTION_DAYS") or 0)
    if days <= 0:
        return 0
    begin_write()
    erased = 0
    for user_id in inactive_since(now - timedelta(days=days)):
        erase(db.session.get(User, user_id), None, reason="retention")
        erased += 1
    db.session.commit()
    if erased:
        log.info("retention: %d person(s) anonymised", erased)
    return erased
