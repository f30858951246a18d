"""What the jury's pages read: the table of learners and submissions, the results export."""

from __future__ import annotations

import sqlalchemy as sa

from courses.models import CourseRun, Enrolment, EnrolmentStatus
from courses.projects.models import DefenceSlot, ProjectGrade, ProjectSubmission
from lms.db import db
from lms.models import User
from lms.pagination import Listing, Page, paginate

SORTS = ("name", "status")


def _statement(run: CourseRun, activity, juror_id: int) -> sa.Select:
    grades = (
        sa.select(
            ProjectGrade.submission_id,
            sa.func.count(ProjectGrade.id).label("grades"),
            sa.func.max(sa.case((ProjectGrade.juror_id == juror_id, ProjectGrade.points))).label(
                "mine"
            ),
        )
        .group_by(ProjectGrade.submission_id)
        .subquery()
    )
    return (
        sa.select(
            Enrolment.id.label("enrolment_id"),
            User.name,
            User.email,
            ProjectSubmission.id.label("submission_id"),
            ProjectSubmission.submitted_at,
            ProjectSubmission.final_points,
            ProjectSubmission.passed,
            ProjectSubmission.released_at,
            sa.func.coalesce(grades.c.grades, 0).label("grades"),
            grades.c.mine,
            DefenceSlot.starts_at.label("slot_at"),
            DefenceSlot.place.label("slot_place"),
        )
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(
            ProjectSubmission,
            sa.and_(
                ProjectSubmission.enrolment_id == Enrolment.id,
                ProjectSubmission.activity_id == activity.id,
            ),
        )
        .outerjoin(grades, grades.c.submission_id == ProjectSubmission.id)
        .outerjoin(
            DefenceSlot,
            sa.and_(
                DefenceSlot.enrolment_id == Enrolment.id, DefenceSlot.activity_id == activity.id
            ),
        )
        .where(Enrolment.run_id == run.id, Enrolment.status != EnrolmentStatus.WITHDRAWN)
    )


def jury_table(run: CourseRun, activity, juror_id: int, args) -> Page:
    """One page of the run's learners with their submission, grades and slot (2 queries)."""
    listing = Listing.from_args(args, SORTS, "name")
    order = {
        "name": [User.name, Enrolment.id],
        "status": [ProjectSubmission.submitted_at, User.name, Enrolment.id],
    }
    return paginate(
        _statement(run, activity, juror_id),
        listing,
        listing.order_by(order),
        fetch=lambda statement: list(db.session.execute(statement)),
    )


def results_rows(run: CourseRun, activity) -> list:
    """Every learner's row for the results export, by name (one query)."""
    statement = _statement(run, activity, 0).order_by(User.name, Enrolment.id)
    return list(db.session.execute(statement))


def counts(run: CourseRun, activity) -> dict:
    """Submitted, graded and released submissions of the run (one query)."""
    row = db.session.execute(
        sa.select(
            sa.func.count(ProjectSubmission.id),
            sa.func.count(ProjectSubmission.final_points),
            sa.func.count(ProjectSubmission.released_at),
        ).where(ProjectSubmission.run_id == run.id, ProjectSubmission.activity_id == activity.id)
    ).one()
    return {"submitted": row[0], "graded": row[1], "released": row[2]}
