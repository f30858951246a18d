"""Trainer pages: my runs, a run's progress grid, one learner's detail."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from courses import exports, outline, queries, roster
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
    """Progress grid of a run: learners × modules (``?format=csv|xlsx``: as a file)."""
    run = _my_run_or_abort(run_id)
    fmt = request.args.get("format", "")
    if fmt in exports.FORMATS:
        return exports.download(run, _("progression"), exports.grid_rows(run), fmt)
    modules = list(outline.course_outline(run.course).modules)
    chosen = roster.listing(request.args, modules)
    totals = roster.run_totals(run)
    page = roster.learners_page(run, chosen, modules, totals=totals)
    modules, rows = queries.progress_grid(run, page.items)
    return render_template(
        "courses/trainer/run.html",
        run=run,
        modules=modules,
        rows=rows,
        page=page,
        listing=page.listing,
        totals=totals,
        forum=space_figures(run),
    )


@bp.route("/formateur/sessions/<int:run_id>/inscriptions")
@trainer_required
def trainer_run_enrolments(run_id: int):
    """The run's enrolment list as a file (``?format=csv|xlsx``; CSV by default)."""
    run = _my_run_or_abort(run_id)
    fmt = request.args.get("format", "csv")
    if fmt not in exports.FORMATS:
        abort(404)
    return exports.download(run, _("inscriptions"), exports.enrolment_rows(run), fmt)


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
