"""Courses and sessions, read-only."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from courses.api import bp
from courses.api.access import run_or_404, visible_runs
from courses.api.schemas import (
    CoursePage,
    CourseSchema,
    SessionArgs,
    SessionPage,
    SessionSchema,
)
from courses.models import Course, CourseRun
from lms.api.pagination import PageArgs, paginate
from lms.db import db


@bp.get("/courses")
@bp.arguments(PageArgs, location="query", unknown=ma.RAISE)
@bp.response(200, CoursePage)
def list_courses(args):
    """List the courses of the catalogue."""
    query = sa.select(Course).order_by(Course.id)
    if args["updated_since"] is not None:
        query = query.where(Course.updated_at >= args["updated_since"])
    return paginate(query, args)


@bp.get("/courses/<int(max=2147483647):course_id>")
@bp.response(200, CourseSchema)
def get_course(course_id: int):
    """One course."""
    return db.session.get(Course, course_id) or abort(
        404, _("Aucune formation n'a cet identifiant.")
    )


@bp.get("/sessions")
@bp.arguments(SessionArgs, location="query", unknown=ma.RAISE)
@bp.response(200, SessionPage)
def list_sessions(args):
    """List the sessions visible to the token (all for an administrator, theirs for a trainer)."""
    query = visible_runs(sa.select(CourseRun)).options(selectinload(CourseRun.trainers))
    if args["updated_since"] is not None:
        query = query.where(CourseRun.updated_at >= args["updated_since"])
    if args["course_id"] is not None:
        query = query.where(CourseRun.course_id == args["course_id"])
    return paginate(query.order_by(CourseRun.id), args)


@bp.get("/sessions/<int(max=2147483647):run_id>")
@bp.response(200, SessionSchema)
def get_session(run_id: int):
    """One session."""
    return run_or_404(run_id)
