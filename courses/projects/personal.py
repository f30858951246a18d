"""What the projects hold about a person (RGPD right of access): their submissions, and the
grades they gave as a juror."""

from __future__ import annotations

import sqlalchemy as sa

from courses.models import Activity, CourseRun
from courses.projects.models import ProjectFile, ProjectGrade, ProjectSubmission
from lms.db import db


def project_data(user) -> dict:
    """Submissions of ``user`` (files, text, released result) and their grades as a juror."""
    rows = db.session.execute(
        sa.select(ProjectSubmission, Activity.title, CourseRun.title.label("session"))
        .join(Activity, Activity.id == ProjectSubmission.activity_id)
        .join(CourseRun, CourseRun.id == ProjectSubmission.run_id)
        .where(ProjectSubmission.user_id == user.id)
        .order_by(ProjectSubmission.id)
    ).all()
    files: dict[int, list[str]] = {}
    for submission_id, name in db.session.execute(
        sa.select(ProjectFile.submission_id, ProjectFile.filename).where(
            ProjectFile.submission_id.in_([row[0].id for row in rows])
        )
    ):
        files.setdefault(submission_id, []).append(name)
    grades = db.session.execute(
        sa.select(ProjectGrade.points, ProjectGrade.comment, ProjectGrade.graded_at).where(
            ProjectGrade.juror_id == user.id
        )
    ).all()
    return {
        "projects": [
            {
                "project": title,
                "session": session,
                "submitted_at": s.submitted_at,
                "text": s.text,
                "files": files.get(s.id, []),
                "final_points": s.final_points if s.released_at else None,
                "passed": s.passed if s.released_at else None,
                "feedback": s.feedback if s.released_at else "",
                "released_at": s.released_at,
            }
            for s, title, session in rows
        ],
        "project_grades_given": [
            {"points": points, "comment": comment, "graded_at": when}
            for points, comment, when in grades
        ],
    }


def erase_project_data(user) -> None:
    """RGPD erasure: empty ``user``'s submitted texts and delete their files (bytes included);
    the marks stay (they count in aggregates), juror comments they wrote are emptied. Flushes."""
    from lms import storage

    ids = sa.select(ProjectSubmission.id).where(ProjectSubmission.user_id == user.id)
    files = db.session.scalars(sa.select(ProjectFile).where(ProjectFile.submission_id.in_(ids)))
    for file in files:
        storage.delete(file.storage_key)
        db.session.delete(file)
    db.session.execute(
        sa.update(ProjectSubmission)
        .where(ProjectSubmission.user_id == user.id)
        .values(text="", feedback="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(ProjectGrade)
        .where(ProjectGrade.juror_id == user.id)
        .values(comment="")
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
