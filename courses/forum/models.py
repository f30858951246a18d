"""Tables of the session forum."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, utcnow
from lms.models import User


class ForumThread(db.Model):
    """A discussion of a run's forum, in a module's space or the general one (no module)."""

    __tablename__ = "forum_threads"
    __table_args__ = (sa.Index("ix_forum_threads_run_module", "run_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"))
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("modules.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(200))
    #: ``discussion`` or ``question`` (a question can be marked « résolu »).
    kind: Mapped[str] = mapped_column(sa.String(20), default="discussion")
    resolved_at: Mapped[datetime | None]
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class ForumPost(db.Model):
    """A message of a thread (the first one opens it). Markdown, stored sanitised."""

    __tablename__ = "forum_posts"
    __table_args__ = (sa.Index("ix_forum_posts_thread_created", "thread_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    #: The author trained the session when posting: shown as « Réponse du formateur ».
    by_trainer: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(sa.String(500))
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class ForumReadState(db.Model):
    """Up to when a person has read a thread (one row per person × thread)."""

    __tablename__ = "forum_read_states"
    __table_args__ = (sa.UniqueConstraint("user_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forum_threads.id", ondelete="CASCADE"), index=True
    )
    read_at: Mapped[datetime]


class ForumReport(db.Model):
    """A post reported to the trainers by a learner."""

    __tablename__ = "forum_reports"
    __table_args__ = (sa.UniqueConstraint("post_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_posts.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]


class ForumDigestOptOut(db.Model):
    """A person who does not want the daily digest of a run's forum."""

    __tablename__ = "forum_digest_optouts"
    __table_args__ = (sa.UniqueConstraint("user_id", "run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_runs.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
