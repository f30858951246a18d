"""Tables of support requests: the request, its messages, their attachments."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, utcnow
from lms.models import User

CATEGORIES = ("technique", "contenu", "administratif")


class SupportRequest(db.Model):
    """A learner's request for help in a session, open until closed."""

    __tablename__ = "support_requests"
    __table_args__ = (sa.Index("ix_support_requests_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_runs.id", ondelete="CASCADE"), index=True
    )
    requester_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(sa.String(20))
    subject: Mapped[str] = mapped_column(sa.String(200))
    #: ``open`` or ``closed``.
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the first staff answer is due (naive UTC).
    due_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    requester: Mapped[User] = relationship()


class SupportMessage(db.Model):
    """A message of a request, by the learner or by staff."""

    __tablename__ = "support_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("support_requests.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    by_staff: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class SupportAttachment(db.Model):
    """A file joined to a message (image or PDF); its bytes are in :mod:`lms.storage`."""

    __tablename__ = "support_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("support_messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(sa.String(200))
