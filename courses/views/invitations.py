"""Enrolments of a run (add one, re-send, withdraw) and accepting an invitation.

The import of a whole list is in :mod:`courses.views.imports`.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload

from courses import enrolments as ops
from courses import roster
from courses.blueprint import bp
from courses.forms import CsvUploadForm, EnrolForm
from courses.models import CourseRun, Enrolment
from lms.auth import admin_required
from lms.auth.forms import SetPasswordForm
from lms.auth.views import link_used
from lms.db import begin_write, db, utcnow
from lms.mail import send_queued


def _run_or_404(run_id: int, lock: bool = False) -> CourseRun:
    """The run with its course; ``lock`` serialises enrolments into it (capacity checks)."""
    query = sa.select(CourseRun).where(CourseRun.id == run_id).options(joinedload(CourseRun.course))
    if lock:
        query = query.with_for_update(of=CourseRun)
    return db.session.scalar(query) or abort(404)


def _enrolment_or_404(run_id: int, enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.run_id != run_id:
        abort(404)
    return enrolment


def _commit_and_send() -> None:
    """Commit the change with its e-mails, then send them if configured to."""
    db.session.commit()
    if current_app.config["MAIL_SEND_ON_COMMIT"]:
        send_queued()


def _page(
    run: CourseRun, enrol_form=None, csv_form=None, result=None, status: int = 200, preview=False
):
    """The run's enrolments page, with the forms (and an import report or preview) to show."""
    chosen = roster.listing(request.args, [])
    totals = roster.run_totals(run)
    page = roster.learners_page(run, chosen, [], withdrawn_last=True, totals=totals)
    enrolled = totals.learners  # every status but withdrawn: ops.enrolled_count, counted once
    html = render_template(
        "courses/admin/run.html",
        run=run,
        rows=[(enrolment, enrolment.user) for enrolment in page.items],
        page=page,
        listing=page.listing,
        totals=totals,
        enrolled=enrolled,
        past=run.ends_on < utcnow().date(),
        full=run.capacity is not None and enrolled >= run.capacity,
        progress=ops.invitation_progress(run),
        labels={status: str(label) for status, label in ops.STATUS_LABELS.items()},
        enrol_form=enrol_form or EnrolForm(formdata=None),
        csv_form=csv_form or CsvUploadForm(formdata=None),
        action_form=FlaskForm(),
        result=result,
        report=result.report if result else None,
        preview=preview,
    )
    return html, status


@bp.route("/admin/sessions/<int:run_id>")
@admin_required
def admin_run(run_id: int):
    """A run's enrolments: the list, and the forms to add learners."""
    return _page(_run_or_404(run_id))


@bp.route("/admin/sessions/<int:run_id>/inscrire", methods=["POST"])
@admin_required
def admin_run_enrol(run_id: int):
    """Enrol one learner (their account is created if needed) and send the invitation."""
    begin_write()
    run = _run_or_404(run_id, lock=True)
    form = EnrolForm()
    if not form.validate_on_submit():
        return _page(run, enrol_form=form, status=400)
    try:
        enrolment = ops.enrol_one(run, form.name.data, form.email.data)
    except ops.EnrolmentError as exc:
        db.session.rollback()
        form.email.errors.append(str(exc))
        return _page(_run_or_404(run_id), enrol_form=form, status=400)
    email = enrolment.user.email
    _commit_and_send()
    flash(_("%(email)s est inscrit ; l'invitation est envoyée.", email=email), "success")
    return redirect(url_for("courses.admin_run", run_id=run_id))


@bp.route("/admin/sessions/<int:run_id>/inscriptions/<int:enrolment_id>/renvoyer", methods=["POST"])
@admin_required
def admin_enrolment_resend(run_id: int, enrolment_id: int):
    """Send a new invitation link; the previous ones stop working."""
    enrolment = _enrolment_or_404(run_id, enrolment_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        ops.invite(enrolment)
    except ops.EnrolmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for("courses.admin_run", run_id=run_id))
    email = enrolment.user.email
    _commit_and_send()
    flash(_("Une nouvelle invitation est envoyée à %(email)s.", email=email), "success")
    return redirect(url_for("courses.admin_run", run_id=run_id))


@bp.route(
    "/admin/sessions/<int:run_id>/inscriptions/<int:enrolment_id>/retirer",
    methods=["GET", "POST"],
)
@admin_required
def admin_enrolment_withdraw(run_id: int, enrolment_id: int):
    """Ask for confirmation, then withdraw the learner from the run."""
    enrolment = _enrolment_or_404(run_id, enrolment_id)
    form = FlaskForm()
    if form.validate_on_submit():
        ops.withdraw(enrolment)
        name = enrolment.user.name
        db.session.commit()
        flash(_("%(name)s est retiré de la session.", name=name), "success")
        return redirect(url_for("courses.admin_run", run_id=run_id))
    return render_template(
        "courses/admin/withdraw.html", enrolment=enrolment, run=enrolment.run, form=form
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Use an invitation link: choose a password (or confirm), then open the run."""
    record, enrolment, status = ops.find_invitation(token)
    if request.method == "POST" and record is not None and record.used_at is not None:
        return link_used()
    if enrolment is None:
        return render_template("courses/invitation/invalid.html"), status
    user = record.user
    other = current_user if current_user.is_authenticated and current_user.id != user.id else None
    form = SetPasswordForm() if user.password_hash is None else FlaskForm()
    if form.validate_on_submit():
        begin_write()
        record, enrolment, status = ops.find_invitation(token)
        if record is not None and record.used_at is not None:
            db.session.rollback()
            return link_used()
        if enrolment is None:
            return render_template("courses/invitation/invalid.html"), status
        if not ops.accept(record, enrolment):
            db.session.rollback()
            return link_used()
        if isinstance(form, SetPasswordForm):
            record.user.set_password(form.password.data)
        run_id, user = enrolment.run_id, record.user
        db.session.commit()
        login_user(user)
        flash(_("Bienvenue ! Votre accès à la formation est ouvert."), "success")
        return redirect(url_for("courses.run_overview", run_id=run_id))
    template = "set_password" if isinstance(form, SetPasswordForm) else "confirm"
    return render_template(
        f"courses/invitation/{template}.html",
        form=form,
        user=user,
        run=enrolment.run,
        other=other,
    )
