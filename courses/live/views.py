"""Pages of live sessions: calendar files for learners; schedule and attendance for trainers."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from courses import queries
from courses.access import open_enrolment
from courses.blueprint import bp
from courses.live import attendance, changes, ics
from courses.live.forms import ScheduleForm
from courses.live.models import AttendanceStatus
from courses.live.schedule import labels, run_slots, schedule_row, slot_for
from courses.models import CourseRun
from courses.progress import is_run_trainer
from lms.auth import trainer_required
from lms.db import begin_write, db
from lms.urls import external_url


def _run(run_id: int) -> CourseRun:
    run = queries.run_with_course(run_id)
    if run is None:
        abort(404)
    return run


def _trained_run(run_id: int) -> CourseRun:
    """The run if the current user trains it or is an administrator (403 otherwise)."""
    run = _run(run_id)
    if not is_run_trainer(current_user, run):
        abort(403)
    return run


def _live_activity(run: CourseRun, activity_id: int):
    activity = queries.live_activity(run, activity_id)
    if activity is None or activity.kind != "live":
        abort(404)
    return activity


def _calendar_response(data: bytes, name: str):
    response = make_response(data)
    response.mimetype = "text/calendar"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@bp.route("/parcours/sessions/<int:run_id>/activites/<int:activity_id>/agenda.ics")
@login_required
def live_ics(run_id: int, activity_id: int):
    """One scheduled live session as a calendar file (404 while its date is not set)."""
    run = _run(run_id)
    open_enrolment(run)
    slot = slot_for(run, _live_activity(run, activity_id))
    if slot.starts_at is None:
        abort(404)
    url = external_url("courses.activity", run_id=run.id, activity_id=activity_id)
    return _calendar_response(
        ics.calendar([ics.event_lines(run, slot, url)]), f"classe-{run.id}-{activity_id}"
    )


@bp.route("/parcours/sessions/<int:run_id>/agenda.ics")
@login_required
def live_ics_all(run_id: int):
    """Every scheduled live session of the run in one calendar file."""
    run = _run(run_id)
    open_enrolment(run)
    events = [
        ics.event_lines(
            run, slot, external_url("courses.activity", run_id=run.id, activity_id=slot.activity.id)
        )
        for slot in run_slots(run)
        if slot.starts_at is not None
    ]
    return _calendar_response(ics.calendar(events), f"session-{run.id}")


@bp.route("/formateur/sessions/<int:run_id>/classes")
@trainer_required
def trainer_live(run_id: int):
    """The run's live sessions: date, place or link, replay, attendance counts."""
    run = _trained_run(run_id)
    slots = run_slots(run)
    return render_template(
        "courses/live/trainer_list.html",
        run=run,
        slots=slots,
        labels=labels,
        counts=attendance.counts(run),
        learners=len(attendance.attending_enrolments(run)),
    )


@bp.route("/formateur/sessions/<int:run_id>/classes/<int:activity_id>", methods=["GET", "POST"])
@trainer_required
def trainer_live_edit(run_id: int, activity_id: int):
    """Set the date, time zone, place and links of one live session of the run."""
    if request.method == "POST":
        begin_write()
    run = _trained_run(run_id)
    activity = _live_activity(run, activity_id)
    slot = slot_for(run, activity)
    form = ScheduleForm(zone_name=slot.timezone)
    if request.method == "GET":
        changes.fill_form(form, slot)
    elif form.validate_on_submit():
        row, announced = changes.save(
            run, activity, schedule_row(run, activity), changes.form_values(form)
        )
        sent = (
            changes.notify_learners(run, slot_for(run, activity))
            if announced and form.notify.data
            else 0
        )
        db.session.commit()
        flash(_("Le programme de la séance est enregistré."), "success")
        if sent:
            flash(
                ngettext(
                    "%(num)d apprenant est prévenu par e-mail.",
                    "%(num)d apprenants sont prévenus par e-mail.",
                    sent,
                ),
                "success",
            )
        return redirect(url_for("courses.trainer_live", run_id=run.id))
    status = 400 if form.errors else 200
    page = render_template("courses/live/edit.html", run=run, activity=activity, form=form)
    return page, status


@bp.route(
    "/formateur/sessions/<int:run_id>/classes/<int:activity_id>/presences",
    methods=["GET", "POST"],
)
@trainer_required
def trainer_attendance(run_id: int, activity_id: int):
    """Record who was present, absent or excused; « présent » completes the activity."""
    if request.method == "POST":
        begin_write()
    run = _trained_run(run_id)
    slot = slot_for(run, _live_activity(run, activity_id))
    enrolments = attendance.attending_enrolments(run)
    if request.method == "POST":
        _record(slot, enrolments)
        return redirect(
            url_for("courses.trainer_attendance", run_id=run.id, activity_id=activity_id)
        )
    recorded = attendance.statuses(activity_id, [e.id for e in enrolments])
    return render_template(
        "courses/live/attendance.html",
        run=run,
        slot=slot,
        when=labels(slot),
        enrolments=enrolments,
        recorded=recorded,
        choices=list(AttendanceStatus),
    )


def _record(slot, enrolments) -> None:
    """Save the posted statuses (CSRF checked) and commit; unknown values are ignored."""
    from flask_wtf import FlaskForm

    if not FlaskForm().validate_on_submit():
        abort(400)
    allowed = {status.value for status in AttendanceStatus}
    changed = 0
    for enrolment in enrolments:
        value = request.form.get(f"status-{enrolment.id}", "")
        if value in allowed:
            changed += attendance.record(slot, enrolment, value, current_user)
    db.session.commit()
    flash(
        ngettext("%(num)d présence enregistrée.", "%(num)d présences enregistrées.", changed),
        "success",
    )
