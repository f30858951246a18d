"""Read queries of the forum pages: spaces, thread lists, posts, unread counts, statistics.

Every function runs a fixed number of SQL statements whatever the number of threads, posts or
people: counts come from grouped aggregates, authors are joined.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, joinedload

from courses.forum.models import ForumPost, ForumReadState, ForumReport, ForumThread
from courses.models import CourseRun, Module
from lms.db import db
from lms.models import User

THREADS_PER_PAGE = 30


def _unread(user_id: int):
    """SQL condition: the thread has posts the user has not seen (joined read state)."""
    return sa.or_(ForumReadState.id.is_(None), ForumReadState.read_at < ForumThread.last_post_at)


def _read_join(user_id: int):
    return sa.and_(ForumReadState.thread_id == ForumThread.id, ForumReadState.user_id == user_id)


@dataclass
class Space:
    """A module's space (or the general one, ``module`` None) with its figures."""

    module: Module | None
    threads: int = 0
    posts: int = 0
    participants: int = 0
    unread: int = 0

    @property
    def key(self) -> int:
        """0 for the general space, else the module id (used in URLs)."""
        return self.module.id if self.module else 0


def modules_of(run: CourseRun) -> list[Module]:
    """The run's course modules, in order (one query)."""
    return list(
        db.session.scalars(
            sa.select(Module)
            .where(Module.course_id == run.course_id, Module.archived.is_(False))
            .order_by(Module.position)
        )
    )


def space_figures(run: CourseRun) -> dict[int | None, tuple[int, int, int]]:
    """``{module_id: (threads, visible posts, participants)}`` of the run's forum (one query)."""
    rows = db.session.execute(
        sa.select(
            ForumThread.module_id,
            sa.func.count(sa.distinct(ForumThread.id)),
            sa.func.count(ForumPost.id),
            sa.func.count(sa.distinct(ForumPost.author_id)),
        )
        .join(ForumPost, ForumPost.thread_id == ForumThread.id)
        .where(ForumThread.run_id == run.id, ForumPost.hidden_at.is_(None))
        .group_by(ForumThread.module_id)
    )
    return {module_id: (t, p, a) for module_id, t, p, a in rows}


def unread_by_space(run: CourseRun, user_id: int) -> dict[int | None, int]:
    """``{module_id: number of threads with unseen posts}`` for ``user_id`` (one query)."""
    rows = db.session.execute(
        sa.select(ForumThread.module_id, sa.func.count(ForumThread.id))
        .outerjoin(ForumReadState, _read_join(user_id))
        .where(ForumThread.run_id == run.id, _unread(user_id))
        .group_by(ForumThread.module_id)
    )
    return dict(rows.all())


def spaces(run: CourseRun, user_id: int) -> list[Space]:
    """The general space then one per module, with figures and unread threads (3 queries)."""
    figures, unread = space_figures(run), unread_by_space(run, user_id)
    result = []
    for module in [None, *modules_of(run)]:
        module_id = module.id if module else None
        threads, posts, people = figures.get(module_id, (0, 0, 0))
        result.append(Space(module, threads, posts, people, unread.get(module_id, 0)))
    return result


@dataclass
class ThreadRow:
    """A line of a space's thread list."""

    thread: ForumThread
    posts: int
    unread: bool


def thread_page(run: CourseRun, module_id: int | None, user_id: int, page: int = 1):
    """One page of a space's threads, pinned first then by last post; and the total (2 queries)."""
    counts = (
        sa.select(ForumPost.thread_id, sa.func.count(ForumPost.id).label("n"))
        .where(ForumPost.hidden_at.is_(None))
        .group_by(ForumPost.thread_id)
        .subquery()
    )
    in_space = (
        ForumThread.module_id.is_(None) if module_id is None else ForumThread.module_id == module_id
    )
    where = (ForumThread.run_id == run.id, in_space)
    total = db.session.scalar(sa.select(sa.func.count(ForumThread.id)).where(*where))
    author = aliased(User)
    rows = db.session.execute(
        sa.select(ForumThread, sa.func.coalesce(counts.c.n, 0), _unread(user_id))
        .outerjoin(counts, counts.c.thread_id == ForumThread.id)
        .outerjoin(ForumReadState, _read_join(user_id))
        .outerjoin(author, author.id == ForumThread.author_id)
        .options(contains_eager(ForumThread.author.of_type(author)))
        .where(*where)
        .order_by(ForumThread.pinned.desc(), ForumThread.last_post_at.desc(), ForumThread.id)
        .limit(THREADS_PER_PAGE)
        .offset((max(page, 1) - 1) * THREADS_PER_PAGE)
    ).all()
    return [ThreadRow(t, n, bool(u)) for t, n, u in rows], total


def thread_posts(thread: ForumThread) -> list[ForumPost]:
    """The thread's posts, oldest first, with their authors (one query)."""
    return list(
        db.session.scalars(
            sa.select(ForumPost)
            .where(ForumPost.thread_id == thread.id)
            .options(joinedload(ForumPost.author))
            .order_by(ForumPost.created_at, ForumPost.id)
        )
    )


def read_state(thread: ForumThread, user_id: int) -> ForumReadState | None:
    """The user's read state of ``thread``."""
    return db.session.scalar(
        sa.select(ForumReadState).where(
            ForumReadState.thread_id == thread.id, ForumReadState.user_id == user_id
        )
    )


def new_posts(run: CourseRun, user_id: int) -> int:
    """Visible posts by others that ``user_id`` has not seen in the run's forum (one query)."""
    return db.session.scalar(_new_posts(), {"run_id": run.id, "user_id": user_id})


@cache
def _new_posts() -> sa.Select:
    """:func:`new_posts`' statement, built once (every page of a session shows the count)."""
    user_id = sa.bindparam("user_id")
    return (
        sa.select(sa.func.count(ForumPost.id))
        .join(ForumThread, ForumThread.id == ForumPost.thread_id)
        .outerjoin(ForumReadState, _read_join(user_id))
        .where(
            ForumThread.run_id == sa.bindparam("run_id"),
            ForumPost.hidden_at.is_(None),
            sa.or_(ForumPost.author_id.is_(None), ForumPost.author_id != user_id),
            sa.or_(ForumReadState.id.is_(None), ForumReadState.read_at < ForumPost.created_at),
        )
    )


def open_reports(run: CourseRun) -> list[tuple[ForumReport, ForumPost, ForumThread, User]]:
    """Reports not handled yet of the run's forum, oldest first, with post, thread, reporter."""
    return list(
        db.session.execute(
            sa.select(ForumReport, ForumPost, ForumThread, User)
            .join(ForumPost, ForumPost.id == ForumReport.post_id)
            .join(ForumThread, ForumThread.id == ForumPost.thread_id)
            .join(User, User.id == ForumReport.reporter_id)
            .options(joinedload(ForumPost.author))
            .where(ForumThread.run_id == run.id, ForumReport.handled_at.is_(None))
            .order_by(ForumReport.created_at)
        ).all()
    )
