"""What the session report stores: the free-text comments a trainer chose to show in it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, utcnow


class ReportComment(db.Model):
    """A satisfaction comment (one free-text answer) selected for the report of its run."""

    __tablename__ = "report_comments"
    __table_args__ = (sa.UniqueConstraint("answer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_runs.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("answers.id", ondelete="CASCADE"))
    selected_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    selected_at: Mapped[datetime] = mapped_column(default=utcnow)
