"""What evidence stores: the comments quoted in session reports, and open-data releases."""

from __future__ import annotations

from datetime import date, datetime

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


class OpenDataRelease(db.Model):
    """A publication of a course's anonymised aggregates over a period: the ZIP as published
    (CSV tables and ``datapackage.json``), kept so that the same file stays downloadable."""

    __tablename__ = "open_data_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    licence: Mapped[str] = mapped_column(sa.String(40))
    archive: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
