"""Trainer pages: my runs, a run's progress grid, one learner's detail."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from courses import queries
from courses.blueprint import bp
from courses.forum.queries import space_figures
from courses.models import CourseRun
from courses.progress import is_run_trainer
from lms.auth import trainer_required
from lms.plugins import get_registry


def _my_run_or_abort(run_id: int) -> CourseRun:
    """The run if it exists (404) and the current user trains it or is an administrator (403)."""
    run = queries.run_with_course(run_id)
    if run is None:
        abort(404)
    if not is_run_trainer(current_user, run):
        abort(403)
    return run


@bp.route("/formateur/sessions")
@trainer_required
def trainer_runs():
    """The trainer's runs (all runs for administrators): dates, learners, mean progress."""
    summaries = queries.trainer_run_summaries(current_user)
    return render_template("courses/trainer/runs.html", summaries=summaries)


@bp.route("/formateur/sessions/<int:run_id>")
@trainer_required
def trainer_run(run_id: int):
    """Progress grid of a run: learners × modules."""
    run = _my_run_or_abort(run_id)
    modules, rows = queries.progress_grid(run)
    return render_template(
        "courses/trainer/run.html",
        run=run,
        modules=modules,
        rows=rows,
        forum=space_figures(run),
    )


@bp.route("/formateur/sessions/<int:run_id>/apprenants/<int:user_id>")
@trainer_required
def trainer_learner(run_id: int, user_id: int):
    """One learner of a run: access period, invitation, and progress per activity."""
    run = _my_run_or_abort(run_id)
    enrolment = queries.run_enrolment(run, user_id)
    if enrolment is None:
        abort(404)
    outline = queries.course_outline(enrolment)
    return render_template(
        "courses/trainer/learner.html",
        run=run,
        enrolment=enrolment,
        outline=outline,
        kinds=get_registry().activity_kinds,
    )
