"""Pages of the session report: one run (its trainers and administrators), a course over a period
(administrators), the choice of the comments shown, and the PDF of each."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from courses.models import Course
from courses.progress import is_run_trainer
from lms.auth import admin_required, trainer_required
from lms.db import db
from quizzes.blueprint import bp
from quizzes.evidence import comments
from quizzes.evidence.chart import bars
from quizzes.evidence.pdf import render_pdf
from quizzes.evidence.report import Report, build, run_report, runs_in_period
from quizzes.results import reports


def _run_for_trainer(run_id: int):
    run = reports.load_run(run_id)
    if run is None:
        abort(404)
    if not is_run_trainer(current_user, run):
        abort(403)
    return run


def _respond(report: Report, template: str, filename: str, **context):
    """The page, or the PDF when ``?format=pdf`` asks for it."""
    chart = bars(report.objectives, report.top)
    if request.args.get("format") == "pdf":
        html = render_template("quizzes/evidence/pdf.html", report=report, chart=chart)
        response = Response(render_pdf(html), mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    return render_template(template, report=report, chart=chart, **context)


@bp.route("/formateur/sessions/<int:run_id>/rapport")
@trainer_required
def session_report(run_id: int):
    """The printable report of one session (``?format=pdf``: its PDF)."""
    run = _run_for_trainer(run_id)
    return _respond(
        run_report(run), "quizzes/evidence/session.html", f"rapport-session-{run.id}", run=run
    )


@bp.route("/formateur/sessions/<int:run_id>/rapport/commentaires", methods=["GET", "POST"])
@trainer_required
def report_comments(run_id: int):
    """Choose which satisfaction comments the session report shows."""
    run = _run_for_trainer(run_id)
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        wanted = {int(v) for v in request.form.getlist("answer") if v.isdigit()}
        count = comments.save_selection(run.id, wanted, current_user.id)
        db.session.commit()
        flash(_("Commentaires retenus pour le rapport : %(num)d.", num=count), "success")
        return redirect(url_for("quizzes.session_report", run_id=run.id), 303)
    return render_template(
        "quizzes/evidence/comments.html", run=run, candidates=comments.candidates(run.id)
    )


def _day(name: str, default: date) -> date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@bp.route("/admin/formations/<int:course_id>/rapport")
@admin_required
def course_report(course_id: int):
    """The report of a course over a period: every session that ended within it."""
    course = db.session.get(Course, course_id) or abort(404)
    today = date.today()
    start, end = _day("du", today - timedelta(days=365)), _day("au", today)
    if start is None or end is None or start > end:
        flash(
            _("Période invalide : indiquez deux dates (du … au …), la première avant la seconde."),
            "error",
        )
        return render_template("quizzes/evidence/course.html", course=course, report=None), 400
    runs = runs_in_period(course.id, start, end)
    report = build(course, runs, start, end)
    name = f"rapport-{course.key}-{start.isoformat()}-{end.isoformat()}"
    return _respond(report, "quizzes/evidence/course.html", name, course=course)
