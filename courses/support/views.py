"""Support pages of a session's learners: open a request, follow the conversation, close it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from courses import queries
from courses.access import open_enrolment
from courses.blueprint import bp
from courses.support import service
from courses.support.common import attachment_error, conversation, download
from courses.support.files import AttachmentError
from courses.support.forms import MessageForm, RequestForm
from courses.support.models import SupportRequest
from lms.db import db

PREFIX = "/parcours/sessions/<int:run_id>/aide"


def _run(run_id: int):
    run = queries.run_with_course(run_id)
    if run is None:
        abort(404)
    open_enrolment(run)
    return run


def _mine(run, request_id: int) -> SupportRequest:
    request = db.session.get(SupportRequest, request_id)
    if request is None or request.run_id != run.id or request.requester_id != current_user.id:
        abort(404)
    return request


@bp.route(PREFIX)
@login_required
def support_list(run_id: int):
    """The learner's requests in this session, newest first."""
    run = _run(run_id)
    requests = db.session.scalars(
        sa.select(SupportRequest)
        .where(SupportRequest.run_id == run.id, SupportRequest.requester_id == current_user.id)
        .order_by(SupportRequest.created_at.desc())
    ).all()
    return render_template("courses/support/list.html", run=run, requests=requests)


@bp.route(PREFIX + "/nouvelle", methods=["GET", "POST"])
@login_required
def support_new(run_id: int):
    """Open a request: category, subject, message, optional image or PDF."""
    run = _run(run_id)
    form = RequestForm()
    if form.validate_on_submit():
        try:
            request = service.open_request(
                run,
                current_user,
                form.category.data,
                form.subject.data,
                form.body.data,
                form.attachment.data,
            )
        except AttachmentError as error:
            db.session.rollback()
            attachment_error(form, error)
        else:
            db.session.commit()
            flash(_("Votre demande est envoyée. Vous recevrez la réponse par e-mail."), "success")
            return redirect(
                url_for("courses.support_request", run_id=run.id, request_id=request.id)
            )
    status = 400 if form.errors else 200
    return render_template("courses/support/new.html", run=run, form=form), status


@bp.route(PREFIX + "/<int:request_id>", methods=["GET", "POST"])
@login_required
def support_request(run_id: int, request_id: int):
    """A request's conversation; POST adds the learner's message."""
    run = _run(run_id)
    request = _mine(run, request_id)
    form = MessageForm()
    if request.status == "open" and form.validate_on_submit():
        try:
            service.add_message(request, current_user, form.body.data, False, form.attachment.data)
        except AttachmentError as error:
            db.session.rollback()
            request = _mine(run, request_id)
            attachment_error(form, error)
        else:
            db.session.commit()
            flash(_("Votre message est envoyé."), "success")
            return redirect(
                url_for("courses.support_request", run_id=run.id, request_id=request.id)
            )
    messages, files = conversation(request)
    status = 400 if form.errors else 200
    page = render_template(
        "courses/support/request.html",
        run=run,
        request=request,
        messages=messages,
        files=files,
        form=form,
        staff_view=False,
    )
    return page, status


@bp.route(PREFIX + "/<int:request_id>/fermer", methods=["POST"])
@login_required
def support_close(run_id: int, request_id: int):
    """The learner closes their request (their problem is solved)."""
    run = _run(run_id)
    request = _mine(run, request_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    service.close(request)
    db.session.commit()
    flash(_("La demande est close."), "success")
    return redirect(url_for("courses.support_list", run_id=run.id))


@bp.route(PREFIX + "/<int:request_id>/pieces/<int:attachment_id>")
@login_required
def support_file(run_id: int, request_id: int, attachment_id: int):
    """Download an attachment of one's own request."""
    run = _run(run_id)
    return download(_mine(run, request_id), attachment_id)
