"""Submitting a project, grading it with the rubric, the final mark, and releasing results.

Completion (like Moodle's assignment with « completion on passing grade »): the activity counts
as completed in the learner's progress when the result is released and the final mark reaches
the pass mark; a submission alone does not complete it. Helpers flush; the views commit, and
writes start with :func:`lms.db.begin_write`.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from courses import progress
from courses.models import Activity, CourseRun, Enrolment
from courses.projects.files import AttachmentError, checked
from courses.projects.models import ProjectFile, ProjectGrade, ProjectRun, ProjectSubmission
from lms import storage
from lms.db import db, utcnow
from lms.mail import queue_mail, render_mail
from lms.urls import external_url

MAX_TEXT = 5000


class SubmissionClosed(ValueError):
    """The learner may not (re)submit: ``late``, ``graded`` or ``nofile``."""


#: The time zone of deadlines and defence slots (the trainees' own).
ZONE = ZoneInfo("Europe/Paris")


def from_local(moment: datetime) -> datetime:
    """A local (Europe/Paris) date and time as the naive UTC the database stores."""
    return moment.replace(tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored naive UTC moment as the local (Europe/Paris) date and time, naive."""
    return moment.replace(tzinfo=UTC).astimezone(ZONE).replace(tzinfo=None)


def deadline(run: CourseRun, activity: Activity) -> datetime:
    """Last moment to submit (naive UTC): ``due_days`` after the run starts, 23:59 in Paris."""
    day = run.starts_on + timedelta(days=int(activity.settings.get("due_days") or 0))
    return from_local(datetime.combine(day, time(23, 59)))


def submission_of(enrolment: Enrolment, activity: Activity) -> ProjectSubmission | None:
    """The learner's submission of ``activity``, or None."""
    return db.session.scalar(
        sa.select(ProjectSubmission).where(
            ProjectSubmission.enrolment_id == enrolment.id,
            ProjectSubmission.activity_id == activity.id,
        )
    )


def grade_count(submission: ProjectSubmission) -> int:
    """How many jurors graded ``submission``."""
    return db.session.scalar(
        sa.select(sa.func.count(ProjectGrade.id)).where(ProjectGrade.submission_id == submission.id)
    )


def closed_reason(run, activity, submission, now: datetime | None = None) -> str | None:
    """Why the learner can no longer submit (``late``, ``graded``), or None."""
    if (now or utcnow()) > deadline(run, activity):
        return "late"
    if submission is not None and grade_count(submission):
        return "graded"
    return None


def _files(activity: Activity, uploads) -> list[tuple[str, str, bytes]]:
    settings = activity.settings
    wanted = [upload for upload in uploads if upload is not None and upload.filename]
    try:
        if len(wanted) > int(settings.get("max_files") or 3):
            raise AttachmentError("too_many")
        accepted, max_mb = settings["accepted"], int(settings["max_size_mb"])
        return [checked(upload.filename, upload.stream, accepted, max_mb) for upload in wanted]
    finally:
        for upload in uploads:
            if upload is not None:
                upload.close()  # a large upload is spooled to a temporary file


def submit(run, activity, enrolment, text: str, uploads, now=None):
    """Save the learner's submission; new files replace the previous ones. Flushes.

    Returns ``(submission, old storage keys)``: delete those after the commit. Raises
    :class:`SubmissionClosed` or :class:`~courses.support.files.AttachmentError` (nothing kept).
    """
    now = now or utcnow()
    submission = submission_of(enrolment, activity)
    reason = closed_reason(run, activity, submission, now)
    if reason:
        raise SubmissionClosed(reason)
    files = _files(activity, uploads)
    if not files and (submission is None or not submission.files):
        raise SubmissionClosed("nofile")
    if submission is None:
        submission = ProjectSubmission(
            run_id=run.id,
            activity_id=activity.id,
            enrolment_id=enrolment.id,
            user_id=enrolment.user_id,
        )
        db.session.add(submission)
    submission.text, submission.submitted_at = (text or "").strip()[:MAX_TEXT], now
    old = _replace_files(submission, files) if files else []
    db.session.flush()
    return submission, old


def _replace_files(submission: ProjectSubmission, files) -> list[str]:
    """Put ``files`` in place of the submission's; return the old storage keys."""
    old = [f.storage_key for f in submission.files]
    submission.files.clear()
    for name, content_type, data in files:
        key = storage.put("projects", data, content_type)
        submission.files.append(
            ProjectFile(filename=name, content_type=content_type, size=len(data), storage_key=key)
        )
    return old


def settings_of(run: CourseRun, activity: Activity) -> ProjectRun:
    """How ``run`` marks ``activity`` (a default, unsaved row when never set)."""
    row = db.session.scalar(
        sa.select(ProjectRun).where(
            ProjectRun.run_id == run.id, ProjectRun.activity_id == activity.id
        )
    )
    return row or ProjectRun(run_id=run.id, activity_id=activity.id, final_mode="mean")


def points_of(rubric: list[dict], levels: dict) -> float:
    """Points of the chosen ``levels`` (``{criterion key: level index}``)."""
    return sum(c["levels"][int(levels[c["key"]])]["points"] for c in rubric)


def grade(submission, juror, activity: Activity, levels: dict, comment: str) -> ProjectGrade:
    """Record (or replace) ``juror``'s grade and recompute the final mark. Flushes."""
    row = db.session.scalar(
        sa.select(ProjectGrade).where(
            ProjectGrade.submission_id == submission.id, ProjectGrade.juror_id == juror.id
        )
    )
    if row is None:
        row = ProjectGrade(submission_id=submission.id, juror_id=juror.id)
        db.session.add(row)
    row.levels = {key: int(value) for key, value in levels.items()}
    row.points = points_of(activity.settings["rubric"], row.levels)
    row.comment, row.graded_at = (comment or "").strip()[:MAX_TEXT], utcnow()
    db.session.flush()
    run = db.session.get(CourseRun, submission.run_id)
    recompute(submission, settings_of(run, activity), activity)
    return row


def recompute(submission, setting: ProjectRun, activity: Activity) -> None:
    """Final mark: the mean of the jurors' points, or the president's. Flushes."""
    grades = list(
        db.session.scalars(
            sa.select(ProjectGrade)
            .where(ProjectGrade.submission_id == submission.id)
            .order_by(ProjectGrade.graded_at)
        )
    )
    if setting.final_mode == "president":
        grades = [g for g in grades if g.juror_id == setting.president_id]
    if grades:
        submission.final_points = round(sum(g.points for g in grades) / len(grades), 2)
        submission.passed = submission.final_points >= float(activity.settings["pass_mark"])
        submission.feedback = "\n\n".join(g.comment for g in grades if g.comment)
    else:
        submission.final_points = submission.passed = None
        submission.feedback = ""
    db.session.flush()


def recompute_all(run: CourseRun, activity: Activity, setting: ProjectRun) -> None:
    """Recompute the unreleased final marks after the marking rule changed. Flushes."""
    for submission in db.session.scalars(
        sa.select(ProjectSubmission).where(
            ProjectSubmission.run_id == run.id,
            ProjectSubmission.activity_id == activity.id,
            ProjectSubmission.released_at.is_(None),
        )
    ):
        recompute(submission, setting, activity)


def release(run: CourseRun, activity: Activity) -> int:
    """Release every graded, unreleased result: e-mail each learner, complete passed ones."""
    now, count = utcnow(), 0
    rows = db.session.execute(
        sa.select(ProjectSubmission, Enrolment)
        .join(Enrolment, Enrolment.id == ProjectSubmission.enrolment_id)
        .where(
            ProjectSubmission.run_id == run.id,
            ProjectSubmission.activity_id == activity.id,
            ProjectSubmission.final_points.is_not(None),
            ProjectSubmission.released_at.is_(None),
        )
    ).all()
    link = external_url("courses.project_page", run_id=run.id, activity_id=activity.id)
    for submission, enrolment in rows:
        submission.released_at, count = now, count + 1
        if submission.passed:
            progress.complete_activity(enrolment, activity, now)
        _tell_learner(submission, run, activity, link)
    db.session.flush()
    return count


def _tell_learner(submission: ProjectSubmission, run, activity, link: str) -> None:
    """Queue the « your result is released » e-mail (once per submission)."""
    user = submission.user
    subject, text, html = render_mail(
        "courses/projects/mail/released",
        user.locale,
        user=user,
        run=run,
        activity=activity,
        link=link,
    )
    queue_mail(
        f"project-result:{submission.id}",
        user.email,
        subject,
        text,
        html,
        to_name=user.name,
        user_id=user.id,
        category="project",
    )
