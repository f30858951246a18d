"""Enrolments (list, create, withdraw: the rules and e-mails of the admin pages) and progress."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from courses import enrolments as ops
from courses import progress
from courses.api import bp
from courses.api.access import db_run, require_admin, run_or_404
from courses.api.schemas import (
    EnrolmentArgs,
    EnrolmentPage,
    EnrolmentSchema,
    LearnerProgressSchema,
    NewEnrolmentSchema,
    ProgressPage,
)
from courses.models import Activity, Enrolment, Module, Progress
from lms.api.pagination import PageArgs, paginate
from lms.api.problems import PROBLEM_TYPE, ProblemSchema
from lms.db import begin_write, db
from lms.mail import send_queued
from lms.models import User


def _enrolments(run_id: int) -> sa.Select:
    return (
        sa.select(Enrolment)
        .join(Enrolment.user)
        .options(contains_eager(Enrolment.user))
        .where(Enrolment.run_id == run_id)
        .order_by(Enrolment.id)
    )


def _since(query: sa.Select, args: dict) -> sa.Select:
    if args["updated_since"] is not None:
        query = query.where(Enrolment.updated_at >= args["updated_since"])
    return query


@bp.get("/sessions/<int(max=2147483647):run_id>/enrolments")
@bp.arguments(EnrolmentArgs, location="query", unknown=ma.RAISE)
@bp.response(200, EnrolmentPage)
def list_enrolments(args, run_id: int):
    """The enrolments of a session (withdrawn ones included, with their status)."""
    run = run_or_404(run_id)
    query = _since(_enrolments(run.id), args)
    if args["status"]:
        query = query.where(Enrolment.status == args["status"])
    return paginate(query, args)


@bp.post("/sessions/<int(max=2147483647):run_id>/enrolments")
@bp.arguments(NewEnrolmentSchema)
@bp.response(201, EnrolmentSchema)
@bp.alt_response(
    409,
    schema=ProblemSchema,
    content_type=PROBLEM_TYPE,
    description="Refused: already enrolled, session full, bad address...",
)
def create_enrolment(data, run_id: int):
    """Enrol a learner (account created if needed) and e-mail the invitation, as the admin page."""
    require_admin()
    begin_write()
    run = run_or_404(run_id)
    try:
        enrolment = ops.enrol_one(run, data["name"], data["email"])
    except ops.EnrolmentError as exc:
        db.session.rollback()
        abort(409, str(exc))
    db.session.commit()
    if current_app.config["MAIL_SEND_ON_COMMIT"]:
        send_queued()
    return enrolment


@bp.delete("/sessions/<int(max=2147483647):run_id>/enrolments/<int(max=2147483647):enrolment_id>")
@bp.response(200, EnrolmentSchema)
def withdraw_enrolment(run_id: int, enrolment_id: int):
    """Withdraw a learner from the session; their invitation links stop working."""
    require_admin()
    begin_write()
    run = run_or_404(run_id)
    enrolment = db.session.scalar(_enrolments(run.id).where(Enrolment.id == enrolment_id))
    if enrolment is None:
        abort(404, _("Aucune inscription de cette session n'a cet identifiant."))
    ops.withdraw(enrolment)
    db.session.commit()
    return enrolment


def _line(enrolment: Enrolment, done: int, total: int) -> dict:
    return {
        "enrolment_id": enrolment.id,
        "user_id": enrolment.user_id,
        "session_id": enrolment.run_id,
        "name": enrolment.user.name,
        "status": enrolment.status,
        "completed": done,
        "total": total,
        "ratio": done / total if total else 0.0,
        "last_seen_at": enrolment.last_seen_at,
        "completed_at": enrolment.completed_at,
    }


@bp.get("/sessions/<int(max=2147483647):run_id>/progress")
@bp.arguments(PageArgs, location="query", unknown=ma.RAISE)
@bp.response(200, ProgressPage)
def session_progress(args, run_id: int):
    """Each learner's progress in the session (completed activities over the course's)."""
    run = run_or_404(run_id)
    page = paginate(_since(_enrolments(run.id), args), args)
    done = progress.completed_counts([e.id for e in page["items"]])
    total = progress.activity_total(run.course)
    return {**page, "items": [_line(e, done.get(e.id, 0), total) for e in page["items"]]}


def _activities(enrolment: Enrolment) -> list[dict]:
    rows = db.session.execute(
        sa.select(Activity, Module.key, Progress.started_at, Progress.completed_at)
        .join(Module, Module.id == Activity.module_id)
        .outerjoin(
            Progress,
            sa.and_(Progress.activity_id == Activity.id, Progress.enrolment_id == enrolment.id),
        )
        .where(Activity.course_id == enrolment.run.course_id, progress.live_activities())
        .order_by(Module.position, Activity.position)
    ).all()
    return [
        {
            "activity_id": a.id,
            "key": a.key,
            "kind": a.kind,
            "title": a.title,
            "module_key": module_key,
            "started_at": started,
            "completed_at": completed,
        }
        for a, module_key, started, completed in rows
    ]


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>/progress")
@bp.response(200, LearnerProgressSchema)
def learner_progress(enrolment_id: int):
    """One learner's progress in their session, activity by activity."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    run = db_run(enrolment.run_id) if enrolment is not None else None
    if enrolment is None or run is None:
        abort(404, _("Aucune inscription visible n'a cet identifiant."))
    db.session.get(User, enrolment.user_id)
    done = progress.completed_counts([enrolment.id]).get(enrolment.id, 0)
    line = _line(enrolment, done, progress.activity_total(run.course))
    return {**line, "activities": _activities(enrolment)}
