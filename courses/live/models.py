"""Tables of live sessions: one schedule per run × live activity, one attendance per learner."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, utcnow


class LiveSchedule(db.Model):
    """When and where a live activity happens in one run (« Session »)."""

    __tablename__ = "live_schedules"
    __table_args__ = (sa.UniqueConstraint("run_id", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    #: Start as naive UTC; None while the date is « à préciser ».
    starts_at: Mapped[datetime | None]
    #: IANA time zone the session is announced in (``Europe/Paris``).
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Paris")
    place: Mapped[str | None] = mapped_column(sa.String(300))
    join_url: Mapped[str | None] = mapped_column(sa.String(1000))
    replay_url: Mapped[str | None] = mapped_column(sa.String(1000))
    #: Bumped whenever the date, place or link changes (``SEQUENCE`` of the calendar file).
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AttendanceStatus(StrEnum):
    """What the trainer recorded for one learner at one live session."""

    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class LiveAttendance(db.Model):
    """A learner's attendance at a live activity of their run, recorded by a trainer."""

    __tablename__ = "live_attendance"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "activity_id"),
        sa.Index("ix_live_attendance_activity", "activity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(20))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
