"""Writing in the forum: threads, replies, edits, quotes, « résolu », read states, reports.

Helpers flush; the views commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from courses.forum.models import ForumPost, ForumReadState, ForumReport, ForumThread
from courses.models import CourseRun
from lms.db import db, utcnow
from lms.markdown import render

#: An author may edit their post this long after writing it.
EDIT_WINDOW = timedelta(minutes=15)
KINDS = ("discussion", "question")


def _post(thread: ForumThread, author, body: str, by_trainer: bool, now: datetime) -> ForumPost:
    post = ForumPost(
        thread_id=thread.id,
        author_id=author.id,
        body=body,
        body_html=render(body),
        by_trainer=by_trainer,
        created_at=now,
    )
    db.session.add(post)
    thread.last_post_at = now
    return post


def mark_read(thread: ForumThread, user, now: datetime | None = None) -> bool:
    """Record that ``user`` has seen ``thread`` up to now; False when nothing changed. Flushes."""
    now = now or utcnow()
    state = db.session.scalar(
        sa.select(ForumReadState).where(
            ForumReadState.thread_id == thread.id, ForumReadState.user_id == user.id
        )
    )
    if state is not None and state.read_at >= thread.last_post_at:
        return False
    if state is None:
        state = ForumReadState(thread_id=thread.id, user_id=user.id, read_at=now)
        db.session.add(state)
    state.read_at = max(now, thread.last_post_at)
    db.session.flush()
    return True


def start_thread(
    run: CourseRun, module_id: int | None, author, title: str, kind: str, body: str, staff: bool
) -> ForumThread:
    """Open a thread with its first post; the author has read it. Flushes."""
    now = utcnow()
    thread = ForumThread(
        run_id=run.id,
        module_id=module_id,
        author_id=author.id,
        title=title.strip(),
        kind=kind if kind in KINDS else "discussion",
        created_at=now,
        last_post_at=now,
    )
    db.session.add(thread)
    db.session.flush()
    _post(thread, author, body, staff, now)
    mark_read(thread, author, now)
    return thread


def reply(thread: ForumThread, author, body: str, staff: bool) -> ForumPost:
    """Add a reply to ``thread``; the author has read it up to their reply. Flushes."""
    now = utcnow()
    post = _post(thread, author, body, staff, now)
    db.session.flush()
    mark_read(thread, author, now)
    return post


def can_edit(post: ForumPost, user, now: datetime | None = None) -> bool:
    """Only the author, within :data:`EDIT_WINDOW`, and not once hidden."""
    if post.author_id != user.id or post.hidden_at is not None:
        return False
    return (now or utcnow()) - post.created_at <= EDIT_WINDOW


def edit(post: ForumPost, body: str) -> None:
    """Replace the post's text (rendered and sanitised again). Flushes."""
    post.body, post.body_html, post.edited_at = body, render(body), utcnow()
    db.session.flush()


def quote(post: ForumPost) -> str:
    """Markdown quoting ``post`` under its author's name, to start a reply with."""
    name = post.author.name if post.author else "?"
    lines = [f"> **{name}** :", ">"] + [f"> {line}" for line in post.body.splitlines()]
    return "\n".join(lines) + "\n\n"


def set_resolved(thread: ForumThread, resolved: bool) -> None:
    """Mark a question « résolu » (or not). Flushes."""
    thread.resolved_at = utcnow() if resolved else None
    db.session.flush()


def report(post: ForumPost, reporter, reason: str) -> bool:
    """Report ``post`` to the trainers; False if this person already reported it. Flushes."""
    exists = db.session.scalar(
        sa.select(ForumReport.id).where(
            ForumReport.post_id == post.id, ForumReport.reporter_id == reporter.id
        )
    )
    if exists:
        return False
    db.session.add(ForumReport(post_id=post.id, reporter_id=reporter.id, reason=reason.strip()))
    db.session.flush()
    return True
