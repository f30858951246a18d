"""The same ownership rule as the pages: administrators see every session, trainers theirs."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from courses.models import CourseRun, run_trainers
from lms.db import db


def visible_runs(query: sa.Select) -> sa.Select:
    """Restrict a query on CourseRun to the sessions the token's user may see."""
    if current_user.is_admin:
        return query
    mine = sa.select(run_trainers.c.run_id).where(run_trainers.c.user_id == current_user.id)
    return query.where(CourseRun.id.in_(mine))


def run_or_404(run_id: int) -> CourseRun:
    """The session if the user may see it; 404 otherwise (nothing leaks about others')."""
    run = db_run(run_id)
    if run is None:
        abort(404, _("Aucune session visible n'a cet identifiant."))
    return run


def db_run(run_id: int) -> CourseRun | None:
    """The session ``run_id`` among those visible to the user (one query)."""
    return db.session.scalar(visible_runs(sa.select(CourseRun).where(CourseRun.id == run_id)))


def require_admin() -> None:
    """Changing enrolments is an administrator's act, as in the pages."""
    if not current_user.is_admin:
        abort(403, _("Seul un jeton d'administrateur peut modifier les inscriptions."))
