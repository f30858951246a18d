"""Who may open a session's content: the rule every plugin's learner pages share."""

from __future__ import annotations

from flask import abort, make_response, render_template
from flask_login import current_user

from courses import progress
from courses.models import CourseRun, Enrolment, EnrolmentStatus


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
    if enrolment.status == EnrolmentStatus.INVITED:
        _refuse(run, enrolment, "invited")
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        _refuse(run, enrolment, "withdrawn")
    if not enrolment.access_open():
        _refuse(run, enrolment, "ended")
    return enrolment
