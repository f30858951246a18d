"""What is taught and who follows it: courses, modules, activities, runs, enrolments, progress."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, utcnow
from lms.models import User


class Course(db.Model):
    """A training, imported from a course folder."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    code: Mapped[str | None] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(300))
    subtitle: Mapped[str | None] = mapped_column(sa.String(300))
    family: Mapped[str | None] = mapped_column(sa.String(200))
    language: Mapped[str] = mapped_column(sa.String(10), default="fr")
    duration_hours: Mapped[int | None]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    audience: Mapped[str] = mapped_column(sa.Text, default="")
    audience_html: Mapped[str] = mapped_column(sa.Text, default="")
    objectives: Mapped[list] = mapped_column(sa.JSON, default=list)
    extra: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position", cascade="all, delete-orphan"
    )
    runs: Mapped[list[CourseRun]] = relationship(back_populates="course")


class Module(db.Model):
    """An ordered part of a course."""

    __tablename__ = "modules"
    __table_args__ = (sa.UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    duration: Mapped[str | None] = mapped_column(sa.String(80))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    summary_html: Mapped[str] = mapped_column(sa.Text, default="")
    archived: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship(back_populates="modules")
    activities: Mapped[list[Activity]] = relationship(
        back_populates="module", order_by="Activity.position", cascade="all, delete-orphan"
    )


class Activity(db.Model):
    """One step of a module: a lesson, a memo sheet, a live session, a quiz...

    ``kind`` names an activity kind of the registry; ``settings`` holds what that kind needs.
    Activities removed from the course folder are archived, never deleted, so progress survives.
    """

    __tablename__ = "activities"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "key"),
        sa.Index("ix_activities_module_position", "module_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("modules.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(80))
    kind: Mapped[str] = mapped_column(sa.String(40))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    filename: Mapped[str | None] = mapped_column(sa.String(200))
    duration_minutes: Mapped[int | None]
    body: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: Hidden activities (a trainer's evaluation form, follow-up questionnaires sent months
    #: later) are not in the learner's outline and do not count for progress.
    hidden: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)

    module: Mapped[Module] = relationship(back_populates="activities")
    files: Mapped[list[ActivityFile]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )


class ActivityFile(db.Model):
    """A file attached to an activity (the download of a memo sheet)."""

    __tablename__ = "activity_files"
    __table_args__ = (sa.UniqueConstraint("activity_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)

    activity: Mapped[Activity] = relationship(back_populates="files")


run_trainers = sa.Table(
    "run_trainers",
    db.metadata,
    sa.Column("run_id", sa.ForeignKey("course_runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class CourseRun(db.Model):
    """A scheduled session of a course ("Session" in the interface)."""

    __tablename__ = "course_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    place: Mapped[str | None] = mapped_column(sa.String(200))
    capacity: Mapped[int | None]
    access_days: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    #: Last change (for the API's ``updated_since``); None on rows older than the column.
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    course: Mapped[Course] = relationship(back_populates="runs")
    trainers: Mapped[list[User]] = relationship(secondary=run_trainers, order_by=User.name)
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="run")


class EnrolmentStatus(StrEnum):
    """Life of an enrolment."""

    INVITED = "invited"
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class Enrolment(db.Model):
    """A learner in a run, with their access period."""

    __tablename__ = "enrolments"
    __table_args__ = (
        sa.UniqueConstraint("run_id", "user_id"),
        # The run's totals (learners per status, how many started) and the « not started »
        # filter are answered from this index alone, whatever the size of the run (c0960).
        sa.Index("ix_enrolments_run_status_started", "run_id", "status", "started_at", "id"),
        # Tables of learners read 50 rows in index order, whatever the size of the run: by
        # name (``status`` to leave withdrawn learners out without reading the table), and the
        # administrator's order, withdrawn learners last (c0970).
        sa.Index("ix_enrolments_run_name", "run_id", "learner_name", "user_id", "status"),
        sa.Index(
            "ix_enrolments_run_listed",
            "run_id",
            sa.text("(status = 'withdrawn')"),
            "learner_name",
            "user_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=EnrolmentStatus.INVITED)
    #: The learner's name (``users.name``), copied so that tables of a run sort by name from
    #: an index of the enrolments. Kept by the database's triggers (c0970) whatever code
    #: inserts an enrolment or renames a person: never written by the application.
    learner_name: Mapped[str] = mapped_column(sa.String(200), server_default="")
    invited_at: Mapped[datetime | None]
    invitations_sent: Mapped[int] = mapped_column(default=0)
    access_starts_at: Mapped[datetime | None]
    access_ends_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    last_activity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="SET NULL"), index=True
    )
    last_seen_at: Mapped[datetime | None]
    #: When the learner first had progress (an activity opened, or completed for them, e.g. a
    #: live session's roll call): set with the first progress row (:func:`_mark_started`),
    #: never cleared, as progress rows are only deleted with their enrolment.
    started_at: Mapped[datetime | None]
    #: Last change (for the API's ``updated_since``): status, access, progress, resume point.
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    run: Mapped[CourseRun] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship()
    last_activity: Mapped[Activity | None] = relationship()

    def access_open(self, now: datetime | None = None) -> bool:
        """Tell whether the learner may open the course's content now."""
        if self.status not in (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED):
            return False
        return self.access_ends_at is None or (now or utcnow()) < self.access_ends_at


class Progress(db.Model):
    """Where a learner stands on one activity."""

    __tablename__ = "progress"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "activity_id"),
        sa.Index("ix_progress_activity", "activity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


@sa.event.listens_for(Progress, "after_insert")
def _mark_started(_mapper, connection, progress: Progress) -> None:
    """Date the enrolment's start with its first progress row, whichever code added it (the
    learner's visit, a trainer's roll call, the demo): one UPDATE that changes nothing once the
    enrolment has started."""
    enrolments = Enrolment.__table__
    connection.execute(
        enrolments.update()
        .where(enrolments.c.id == progress.enrolment_id, enrolments.c.started_at.is_(None))
        .values(started_at=progress.started_at or utcnow())
    )
