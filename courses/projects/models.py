"""Tables of projects: jury members per run, settings per run and project, submissions, their
files, each juror's grade, and the defence time slots."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, utcnow
from lms.models import User


class JuryMember(db.Model):
    """A person invited to the jury of a run (trainers of the run are jurors without a row)."""

    __tablename__ = "jury_members"

    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_runs.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class ProjectRun(db.Model):
    """How one run marks one project: mean of jurors or the president's decision; release."""

    __tablename__ = "project_runs"
    __table_args__ = (sa.UniqueConstraint("run_id", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    #: ``mean`` (mean of the jurors' marks) or ``president`` (the president's mark decides).
    final_mode: Mapped[str] = mapped_column(sa.String(10), default="mean")
    president_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class ProjectSubmission(db.Model):
    """A learner's submission of a project in a run: files, a short text, then the result."""

    __tablename__ = "project_submissions"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "enrolment_id"),
        sa.Index("ix_project_submissions_run_activity", "run_id", "activity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Final mark (mean or president), recomputed when a juror grades; None until graded.
    final_points: Mapped[float | None] = mapped_column(sa.Float)
    #: What the jury tells the learner (the jurors' comments, joined).
    feedback: Mapped[str] = mapped_column(sa.Text, default="")
    passed: Mapped[bool | None]
    released_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    files: Mapped[list[ProjectFile]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="ProjectFile.id"
    )


class ProjectFile(db.Model):
    """A file of a submission; its bytes are in :mod:`lms.storage`."""

    __tablename__ = "project_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("project_submissions.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(sa.String(200))

    submission: Mapped[ProjectSubmission] = relationship(back_populates="files")


class ProjectGrade(db.Model):
    """One juror's grade of a submission: a level per criterion, the points, a comment."""

    __tablename__ = "project_grades"
    __table_args__ = (sa.UniqueConstraint("submission_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("project_submissions.id", ondelete="CASCADE")
    )
    juror_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: ``{criterion key: index of the chosen level}``.
    levels: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    points: Mapped[float] = mapped_column(sa.Float)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    graded_at: Mapped[datetime] = mapped_column(default=utcnow)

    juror: Mapped[User | None] = relationship()


class DefenceSlot(db.Model):
    """A learner's time slot on the defence day of a project, in a run."""

    __tablename__ = "defence_slots"
    __table_args__ = (sa.UniqueConstraint("activity_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_runs.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"))
    #: Local date and time (Europe/Paris), as the trainer typed it.
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(sa.String(500), default="")
