"""Support pages of trainers and administrators: the queue, a request, the report."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask import request as http
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import contains_eager
from wtforms import SelectChoice

from courses.blueprint import bp
from courses.models import CourseRun
from courses.support import report as figures
from courses.support import service
from courses.support.common import attachment_error, conversation, download
from courses.support.files import AttachmentError
from courses.support.forms import MessageForm, ReportForm
from courses.support.models import SupportRequest
from lms.auth import trainer_required
from lms.db import db, utcnow
from lms.models import User

QUEUE_SIZE = 100


def _handled(request_id: int) -> SupportRequest:
    request = db.session.get(SupportRequest, request_id)
    if request is None:
        abort(404)
    if not service.handles(current_user, request):
        abort(403)
    return request


@bp.route("/formateur/assistance")
@trainer_required
def support_queue():
    """Open requests the user handles, the closest deadline first; overdue ones highlighted."""
    rows = db.session.execute(
        sa.select(SupportRequest)
        .join(User, User.id == SupportRequest.requester_id)
        .join(CourseRun, CourseRun.id == SupportRequest.run_id)
        .options(contains_eager(SupportRequest.requester))
        .add_columns(CourseRun.title)
        .where(SupportRequest.status == "open", service.visible_to(current_user))
        .order_by(SupportRequest.first_response_at.is_not(None), SupportRequest.due_at)
        .limit(QUEUE_SIZE)
    )
    return render_template("courses/support/queue.html", rows=rows.all(), now=utcnow())


@bp.route("/formateur/assistance/<int:request_id>", methods=["GET", "POST"])
@trainer_required
def support_staff_request(request_id: int):
    """A request seen by staff; POST answers it (the learner is told by e-mail)."""
    request = _handled(request_id)
    form = MessageForm()
    if request.status == "open" and form.validate_on_submit():
        try:
            service.add_message(request, current_user, form.body.data, True, form.attachment.data)
        except AttachmentError as error:
            db.session.rollback()
            request = _handled(request_id)
            attachment_error(form, error)
        else:
            db.session.commit()
            flash(_("Votre réponse est envoyée à l'apprenant."), "success")
            return redirect(url_for("courses.support_staff_request", request_id=request.id))
    messages, files = conversation(request)
    page = render_template(
        "courses/support/request.html",
        run=db.session.get(CourseRun, request.run_id),
        request=request,
        messages=messages,
        files=files,
        form=form,
        staff_view=True,
    )
    return page, 400 if form.errors else 200


@bp.route("/formateur/assistance/<int:request_id>/fermer", methods=["POST"])
@trainer_required
def support_staff_close(request_id: int):
    """Close a request."""
    request = _handled(request_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    service.close(request)
    db.session.commit()
    flash(_("La demande est close."), "success")
    return redirect(url_for("courses.support_queue"))


@bp.route("/formateur/assistance/<int:request_id>/pieces/<int:attachment_id>")
@trainer_required
def support_staff_file(request_id: int, attachment_id: int):
    """Download an attachment of a handled request."""
    return download(_handled(request_id), attachment_id)


@bp.route("/formateur/assistance/rapport")
@trainer_required
def support_report():
    """Per session and period: requests, median first-response time, share answered in time."""
    form = ReportForm(http.args)
    runs = figures.runs_with_requests(current_user)
    form.run.choices = [SelectChoice(0, _("Toutes mes sessions"))] + [
        SelectChoice(r.id, r.title) for r in runs
    ]
    form.validate()
    rows = figures.by_run(current_user, form.run.data or None, form.start.data, form.end.data)
    return render_template("courses/support/report.html", form=form, rows=rows)
