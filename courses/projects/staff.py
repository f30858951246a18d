"""Trainers' and administrators' pages of projects: the jury of a run (invite, remove), the
marking rule, releasing results, the results export and the defence time slots."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from courses import queries as course_queries
from courses.blueprint import bp
from courses.models import Enrolment, EnrolmentStatus
from courses.projects import jury, queries, service
from courses.projects.forms import JuryInviteForm, MarkingForm, SlotForm
from courses.projects.grading import PREFIX
from courses.projects.learner import project_or_404
from courses.projects.models import DefenceSlot
from lms.db import begin_write, db
from lms.exports import csv_response, xlsx_response
from lms.mail import send_queued
from lms.models import User


def _staff_run(run_id: int):
    run = course_queries.run_with_course(run_id)
    if run is None or not jury.is_staff(current_user, run):
        abort(404)
    return run


def _staff_project(run_id: int, project_id: int):
    run = _staff_run(run_id)
    return run, project_or_404(run, project_id)


def _back(run, activity):
    return redirect(url_for("courses.jury_project", run_id=run.id, project_id=activity.id))


def _jury_page(run, form, status=200):
    page = render_template(
        "courses/projects/jury_members.html",
        run=run,
        members=jury.members(run),
        form=form,
        remove_form=FlaskForm(),
    )
    return page, status


@bp.route("/formateur/sessions/<int:run_id>/jury", methods=["GET", "POST"])
@login_required
def jury_members(run_id: int):
    """The run's jury: its trainers and invited members; POST invites someone by e-mail."""
    run = _staff_run(run_id)
    form = JuryInviteForm()
    if not form.validate_on_submit():
        return _jury_page(run, form, 400 if form.errors else 200)
    begin_write()
    try:
        user = jury.invite(run, form.name.data, form.email.data)
    except jury.JuryError as error:
        db.session.rollback()
        form.email.errors.append(
            {
                "learner": _(
                    "Cette adresse est celle d'un apprenant : elle ne peut pas être "
                    "membre d'un jury."
                ),
                "inactive": _("Ce compte est désactivé."),
                "member": _("Cette personne fait déjà partie du jury."),
            }[str(error)]
        )
        return _jury_page(_staff_run(run_id), form, 400)
    email = user.email
    db.session.commit()
    if current_app.config["MAIL_SEND_ON_COMMIT"]:
        send_queued()
    flash(_("%(email)s est invité au jury.", email=email), "success")
    return redirect(url_for("courses.jury_members", run_id=run_id))


@bp.route("/formateur/sessions/<int:run_id>/jury/<int:user_id>/retirer", methods=["POST"])
@login_required
def jury_remove(run_id: int, user_id: int):
    """Take an invited member off the jury (the grades they gave stay)."""
    run = _staff_run(run_id)
    if not FlaskForm().validate_on_submit() or not jury.remove(run, user_id):
        abort(404)
    db.session.commit()
    flash(_("Le membre est retiré du jury."), "success")
    return redirect(url_for("courses.jury_members", run_id=run_id))


@bp.route(PREFIX + "/notation", methods=["POST"])
@login_required
def jury_marking(run_id: int, project_id: int):
    """Set how the final mark is made (mean, or the president's decision)."""
    run, activity = _staff_project(run_id, project_id)
    form = MarkingForm()
    form.president.choices = [(0, "—")] + [
        (p.id, p.name) for p in list(run.trainers) + jury.members(run)
    ]
    if not form.validate_on_submit():
        flash(_("Réglage refusé : vérifiez les valeurs."), "error")
        return _back(run, activity)
    if form.final_mode.data == "president" and not form.president.data:
        flash(_("Choisissez le président du jury."), "error")
        return _back(run, activity)
    begin_write()
    setting = service.settings_of(run, activity)
    setting.final_mode, setting.president_id = form.final_mode.data, form.president.data or None
    db.session.add(setting)
    db.session.flush()
    service.recompute_all(run, activity, setting)
    db.session.commit()
    flash(_("Le mode de calcul de la note finale est enregistré."), "success")
    return _back(run, activity)


@bp.route(PREFIX + "/publier", methods=["POST"])
@login_required
def jury_release(run_id: int, project_id: int):
    """Release the graded results to the learners (each is told by e-mail)."""
    run, activity = _staff_project(run_id, project_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    begin_write()
    count = service.release(run, activity)
    db.session.commit()
    if current_app.config["MAIL_SEND_ON_COMMIT"]:
        send_queued()
    flash(_("Résultats publiés : %(num)s.", num=count), "success")
    return _back(run, activity)


@bp.route(PREFIX + "/resultats.<any(csv, xlsx):fmt>")
@login_required
def jury_export(run_id: int, project_id: int, fmt: str):
    """The results of every learner of the run (CSV or XLSX), every cell neutralised."""
    run, activity = _staff_project(run_id, project_id)
    header = [
        _("Nom"),
        _("Adresse e-mail"),
        _("Remis le"),
        _("Évaluations"),
        _("Note finale"),
        _("Validé"),
        _("Publié le"),
        _("Passage"),
    ]
    rows = [header]
    for row in queries.results_rows(run, activity):
        passed = "" if row.passed is None else (_("oui") if row.passed else _("non"))
        rows.append(
            [
                row.name,
                row.email,
                _local(row.submitted_at),
                row.grades,
                row.final_points,
                passed,
                _local(row.released_at),
                _local(row.slot_at),
            ]
        )
    name = f"resultats-{activity.key}-{run.id}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, name)
    return xlsx_response([(_("Résultats"), rows)], name)


def _local(moment):
    """A stored moment as Paris time (what the exported file shows), or None."""
    return service.to_local(moment) if moment else None


def _learners(run):
    return db.session.execute(
        sa.select(Enrolment.id, User.name)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.run_id == run.id, Enrolment.status != EnrolmentStatus.WITHDRAWN)
        .order_by(User.name, Enrolment.id)
    ).all()


def _save_slot(run, activity, enrolment_id: int, form: SlotForm) -> None:
    """Set (or, without a date, remove) a learner's slot, and commit."""
    begin_write()
    slot = db.session.scalar(
        sa.select(DefenceSlot).where(
            DefenceSlot.enrolment_id == enrolment_id, DefenceSlot.activity_id == activity.id
        )
    )
    if form.starts_at.data is None:
        if slot is not None:
            db.session.delete(slot)
    else:
        slot = slot or DefenceSlot(
            run_id=run.id, activity_id=activity.id, enrolment_id=enrolment_id
        )
        slot.starts_at = service.from_local(form.starts_at.data)
        slot.place = (form.place.data or "").strip()
        db.session.add(slot)
    db.session.commit()


@bp.route(PREFIX + "/creneaux", methods=["GET", "POST"])
@login_required
def jury_slots(run_id: int, project_id: int):
    """Each learner's defence time slot (date and time, place or link); POST sets one."""
    run, activity = _staff_project(run_id, project_id)
    form, learners = SlotForm(), _learners(run)
    if form.validate_on_submit():
        enrolment_id = request.form.get("enrolment_id", type=int)
        if enrolment_id not in {row.id for row in learners}:
            abort(404)
        _save_slot(run, activity, enrolment_id, form)
        flash(_("Le créneau est enregistré."), "success")
        return redirect(url_for("courses.jury_slots", run_id=run.id, project_id=activity.id))
    slots = {
        slot.enrolment_id: slot
        for slot in db.session.scalars(
            sa.select(DefenceSlot).where(
                DefenceSlot.run_id == run.id, DefenceSlot.activity_id == activity.id
            )
        )
    }
    page = render_template(
        "courses/projects/slots.html",
        run=run,
        activity=activity,
        learners=learners,
        slots=slots,
        to_local=service.to_local,
        form=form,
    )
    return page, 400 if form.errors else 200
