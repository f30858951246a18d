"""Who may open a session's content: the rule every plugin's learner pages share."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from flask import abort, make_response, render_template
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from courses import progress
from courses.models import CourseRun, Enrolment, EnrolmentStatus
from lms.db import db


def _refuse(run: CourseRun, enrolment: Enrolment, reason: str):
    """Stop the request with the « no access » page (HTTP 403) explaining ``reason``."""
    page = render_template(
        "courses/learner/no_access.html", run=run, enrolment=enrolment, reason=reason
    )
    abort(make_response(page, 403))


def open_enrolment(run: CourseRun) -> Enrolment:
    """The current user's enrolment in ``run`` if its content is open to them.

    404 without an enrolment (nothing about the run leaks); a 403 page explaining why otherwise
    (invitation not yet accepted, withdrawn, access period over).
    """
    enrolment = progress.learner_enrolment(current_user, run.id)
    if enrolment is None:
        abort(404)
    _check_open(run, enrolment)
    return enrolment


@cache
def _enrolment_with_run() -> sa.Select:
    """A person's enrolment in a run, with the run and its course (built once)."""
    return (
        sa.select(Enrolment)
        .join(Enrolment.run)
        .join(CourseRun.course)
        .options(contains_eager(Enrolment.run).contains_eager(CourseRun.course))
        .where(
            Enrolment.run_id == sa.bindparam("run_id"),
            Enrolment.user_id == sa.bindparam("user_id"),
        )
    )


def open_run(run_id: int) -> tuple[CourseRun, Enrolment]:
    """Run ``run_id`` (its course loaded) and the current user's enrolment in it, if its
    content is open to them, in one query: what :func:`open_enrolment` checks, the same 404
    when the run does not exist or the user is not enrolled in it."""
    enrolment = db.session.scalar(
        _enrolment_with_run(), {"run_id": run_id, "user_id": current_user.id}
    )
    if enrolment is None:
        abort(404)
    run = enrolment.run
    _check_open(run, enrolment)
    return run, enrolment


def _check_open(run: CourseRun, enrolment: Enrolment) -> None:
    """Refuse (403 page) an enrolment whose content is not open."""
    if enrolment.status == EnrolmentStatus.INVITED:
        _refuse(run, enrolment, "invited")
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        _refuse(run, enrolment, "withdrawn")
    if not enrolment.access_open():
        _refuse(run, enrolment, "ended")
