"""The daily digest of a session's forum, queued by ``flask lms tick`` once per local day.

On day D (platform time zone) each learner following a run whose forum received posts on day
D-1 gets one e-mail listing those threads, unless they opted out. The outbox key names the run,
the learner and D, so running the tick many times a day queues it once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from courses.forum.models import ForumDigestOptOut, ForumPost, ForumThread
from courses.live.schedule import zone
from courses.models import CourseRun, Enrolment, EnrolmentStatus
from lms.db import db
from lms.mail import queue_mail, render_mail
from lms.models import User
from lms.urls import external_url


def _window(now: datetime) -> tuple[datetime, datetime, str]:
    """Yesterday in the platform's zone as naive UTC bounds, and today's date (the key)."""
    local_today = now.replace(tzinfo=UTC).astimezone(zone(None)).date()
    start_today = datetime.combine(local_today, time(0), tzinfo=zone(None))
    start = (start_today - timedelta(days=1)).astimezone(UTC).replace(tzinfo=None)
    return start, start_today.astimezone(UTC).replace(tzinfo=None), local_today.isoformat()


def _new_threads(start: datetime, end: datetime) -> dict[int, list[tuple[ForumThread, int]]]:
    """``{run_id: [(thread, new visible posts)]}`` for posts written in [start, end)."""
    rows = db.session.execute(
        sa.select(ForumThread, sa.func.count(ForumPost.id))
        .join(ForumPost, ForumPost.thread_id == ForumThread.id)
        .where(
            ForumPost.created_at >= start,
            ForumPost.created_at < end,
            ForumPost.hidden_at.is_(None),
        )
        .group_by(ForumThread.id)
        .order_by(ForumThread.run_id, ForumThread.last_post_at.desc())
    ).all()
    by_run: dict[int, list] = defaultdict(list)
    for thread, n in rows:
        by_run[thread.run_id].append((thread, n))
    return by_run


def _recipients(run_ids: list[int]) -> list[tuple[Enrolment, User]]:
    """Learners following those runs who did not opt out."""
    opted = sa.select(ForumDigestOptOut.id).where(
        ForumDigestOptOut.run_id == Enrolment.run_id, ForumDigestOptOut.user_id == User.id
    )
    return db.session.execute(
        sa.select(Enrolment, User)
        .join(User, User.id == Enrolment.user_id)
        .where(
            Enrolment.run_id.in_(run_ids),
            Enrolment.status.in_((EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)),
            ~sa.exists(opted),
        )
    ).all()


def queue_digests(now: datetime) -> int:
    """Queue the digests due on ``now``'s local day; returns how many were queued."""
    start, end, day = _window(now)
    by_run = _new_threads(start, end)
    if not by_run:
        return 0
    runs = {
        r.id: r for r in db.session.scalars(sa.select(CourseRun).where(CourseRun.id.in_(by_run)))
    }
    queued = 0
    for enrolment, user in _recipients(list(by_run)):
        if enrolment.access_ends_at is not None and enrolment.access_ends_at < now:
            continue
        run = runs[enrolment.run_id]
        threads = by_run[run.id]
        subject, text, html = render_mail(
            "courses/mail/forum_digest",
            user.locale,
            user=user,
            run=run,
            threads=[
                (t, n, external_url("courses.forum_thread", run_id=run.id, thread_id=t.id))
                for t, n in threads
            ],
            total=sum(n for _, n in threads),
            forum=external_url("courses.forum_index", run_id=run.id),
        )
        queue_mail(
            f"forum-digest:{run.id}:{user.id}:{day}",
            user.email,
            subject,
            text,
            html,
            to_name=user.name,
            user_id=user.id,
            category="forum",
        )
        queued += 1
    return queued
