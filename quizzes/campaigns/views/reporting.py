"""Follow-up answers per run and per course, and the "droit de suite" (thank-you e-mail with the
run's satisfaction results: preview, then send once)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from courses.models import Course
from lms.auth import admin_required
from lms.db import db, utcnow
from quizzes.blueprint import bp
from quizzes.campaigns import results as service
from quizzes.campaigns.forms import ActionForm
from quizzes.campaigns.views.common import drain, run_or_404, today
from quizzes.results import free_texts
from quizzes.results.exports import FORMATS, export_response, filename, slug
from quizzes.results.questionnaires import survey_tables


def _download(found, name: str):
    """The follow-up results as a file: each wave's questionnaire, anonymous (no names)."""
    tables = [table for result in found for table in survey_tables(result, named=False)]
    return export_response(tables, request.args["format"], name)


@bp.route("/admin/suivi/sessions/<int:run_id>/reponses")
@admin_required
def followup_results_run(run_id: int):
    """The run's follow-up answers: distributions, means and anonymous free texts per wave."""
    run = run_or_404(run_id)
    instruments = service.followup_instruments(run.course_id)
    if request.args.get("format") in FORMATS:  # a file holds every free text
        name = filename(run, _("suivi-a-froid"), request.args["format"])
        return _download(service.run_results(run, instruments), name)
    found = service.run_results(run, instruments, with_texts=False)
    return render_template(
        "quizzes/campaigns/admin/results.html",
        run=run,
        course=run.course,
        results=found,
        channels=service.channel_counts([i.id for i in instruments], run.id),
        tv=free_texts.texts_view(request.args, found, run.id, named=False),
        named=False,
    )


@bp.route("/admin/suivi/formations/<int:course_id>/reponses")
@admin_required
def followup_results_course(course_id: int):
    """The follow-up answers of every run of a course, added up."""
    course = db.session.get(Course, course_id) or abort(404)
    instruments = service.followup_instruments(course.id)
    found = [service.course_results(i) for i in instruments]
    if request.args.get("format") in FORMATS:
        fmt = request.args["format"]
        return _download(found, f"formation-{course.id}-{slug(course.title)}-suivi-a-froid.{fmt}")
    return render_template(
        "quizzes/campaigns/admin/results.html",
        run=None,
        course=course,
        results=found,
        channels=service.channel_counts([i.id for i in instruments]),
    )


@bp.route("/admin/suivi/sessions/<int:run_id>/droit-de-suite", methods=["GET", "POST"])
@admin_required
def campaign_results_mail(run_id: int):
    """Preview the thank-you e-mail with the satisfaction results; POST sends it (once)."""
    run = run_or_404(run_id)
    form = ActionForm()
    if form.validate_on_submit():
        count = service.send_results(run, current_user.id, today(), utcnow())
        db.session.commit()
        if count:
            drain()
            flash(
                ngettext(
                    "E-mail envoyé à %(num)d participant.",
                    "E-mail envoyé à %(num)d participants.",
                    count,
                ),
                "success",
            )
        else:
            flash(_("Rien n'a été envoyé : voyez la raison indiquée sur la page."), "warning")
        return redirect(url_for("quizzes.campaign_results_mail", run_id=run.id), 303)
    state = service.results_mail(run, today())
    preview = None
    if state.recipients and state.results:
        preview = service.render_results_mail(run, state.recipients[0], state.results)
    return render_template(
        "quizzes/campaigns/admin/results_mail.html",
        run=run,
        state=state,
        preview=preview,
        form=form,
        minimum=service.MIN_RESPONDENTS,
    )
