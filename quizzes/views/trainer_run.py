"""What every trainer page of a run shares: the run the trainer may see, and the page-or-export
answer of a report."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from courses.progress import is_run_trainer
from quizzes.results import reports
from quizzes.results.exports import FORMATS, Table, export_response, filename


def run_for_trainer(run_id: int):
    """The run with its course, if the current user trains it or is an admin (403/404)."""
    run = reports.load_run(run_id)
    if run is None:
        abort(404)
    if not is_run_trainer(current_user, run):
        abort(403)
    return run


def respond(run, report: str, tables: list[Table], template: str, **context):
    """The page, or its tables as a file when ``?format=csv|xlsx`` asks for one."""
    fmt = request.args.get("format", "")
    if fmt in FORMATS:
        return export_response(tables, fmt, filename(run, report, fmt))
    return render_template(template, run=run, tables=tables, report=report, **context)
