"""Learner pages: « Mon parcours », a run's outline, an activity, marking it done, memo download."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO
from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.utils import secure_filename

from courses import progress, queries
from courses.access import open_run
from courses.blueprint import bp
from courses.live import attendance as live_attendance
from courses.live import schedule as live_schedule
from courses.models import CourseRun, Enrolment
from lms.db import begin_write, db, locks_itself, utcnow
from lms.plugins import get_registry


def _activity_or_404(run: CourseRun, activity_id: int):
    activity = queries.live_activity(run, activity_id)
    if activity is None:
        abort(404)
    return activity


def days_left(enrolment: Enrolment, now: datetime | None = None) -> int | None:
    """Whole days (rounded up) until the access period ends; None when it never ends."""
    if enrolment.access_ends_at is None:
        return None
    remaining = enrolment.access_ends_at - (now or utcnow())
    return max(0, -(-remaining // timedelta(days=1)))


@bp.route("/parcours")
@login_required
def my_courses():
    """My runs: progress per module and overall, where to resume, access period left."""
    cards = queries.learner_cards(current_user)
    return render_template("courses/learner/my_courses.html", cards=cards, days_left=days_left)


@bp.route("/parcours/sessions/<int:run_id>")
@login_required
def run_overview(run_id: int):
    """A run's course: description and module outline with ticks and percentages."""
    run, enrolment = open_run(run_id)
    outline = queries.course_outline(enrolment)
    resume = queries.resume_of(enrolment, outline)
    return render_template(
        "courses/learner/run_overview.html",
        upcoming=upcoming_live(run),
        run=run,
        enrolment=enrolment,
        outline=outline,
        resume_id=resume,
        kinds=get_registry().activity_kinds,
        days_left=days_left,
    )


def upcoming_live(run: CourseRun) -> list[dict]:
    """The run's live sessions not over yet, dated ones first (two queries)."""
    slots = [s for s in live_schedule.run_slots(run) if s.state() != "past"]
    slots.sort(key=lambda s: (s.starts_at is None, s.starts_at or datetime.min))
    return [{"slot": s, "state": s.state(), "when": live_schedule.labels(s)} for s in slots]


def video_url(activity) -> str | None:
    """The activity's video address if it is https on an allow-listed host, else None."""
    url = (activity.settings or {}).get("video")
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    hosts = {h.strip().lower() for h in current_app.config["LMS_VIDEO_HOSTS"].split(",")}
    if parts.scheme != "https" or (parts.hostname or "") not in hosts - {""}:
        return None
    if parts.username or parts.password:
        return None
    return url.strip()


def live_session(run: CourseRun, activity, enrolment: Enrolment) -> dict:
    """A live session as scheduled in ``run``: its slot, state, labels and attendance."""
    slot = live_schedule.slot_for(run, activity)
    return {
        "slot": slot,
        "state": slot.state(),
        "when": live_schedule.labels(slot),
        "attendance": live_attendance.status_of(enrolment, activity),
    }


def _attendance_decides(live: dict | None) -> bool:
    """A trainer recorded the learner present or absent: the learner no longer ticks it."""
    return bool(live) and live["attendance"] in ("present", "absent")


def _progress_of(outline, activity_id: int):
    """The learner's progress row of the activity as the outline read it: None (no row) or
    ``(completed_at,)``; :data:`courses.progress.UNREAD` for an activity outside the outline."""
    for stat in outline:
        for item in stat.items:
            if item.activity.id == activity_id:
                return None if item.started_at is None else (item.completed_at,)
    return progress.UNREAD


def _neighbours(outline, activity_id: int):
    flat = [item.activity for stat in outline for item in stat.items]
    ids = [a.id for a in flat]
    at = ids.index(activity_id) if activity_id in ids else -1
    previous = flat[at - 1] if at > 0 else None
    following = flat[at + 1] if 0 <= at < len(flat) - 1 else None
    return previous, following


@bp.route("/parcours/sessions/<int:run_id>/activites/<int:activity_id>")
@login_required
def activity(run_id: int, activity_id: int):
    """Show a lesson, memo sheet or live session; other kinds go to their plugin's page."""
    run, enrolment = open_run(run_id)
    current = _activity_or_404(run, activity_id)
    kind = get_registry().activity_kinds.get(current.kind)
    if kind is not None and kind.endpoint and kind.endpoint != "courses.activity":
        return redirect(url_for(kind.endpoint, run_id=run.id, activity_id=current.id))
    outline = queries.course_outline(enrolment)
    visited = _progress_of(outline, current.id)
    if progress.record_visit(enrolment, current, bool(kind and kind.complete_on_view), visited):
        db.session.commit()
        outline = queries.course_outline(enrolment)
    previous, following = _neighbours(outline, current.id)
    done = any(
        item.done for stat in outline for item in stat.items if item.activity.id == current.id
    )
    live = live_session(run, current, enrolment) if current.kind == "live" else None
    body = None
    if kind is not None and kind.render is not None:
        body = Markup(kind.render(current, enrolment, done))  # noqa: S704 - contract: safe HTML
    elif kind is not None and kind.learner_marks_done:
        body = Markup(current.body_html or "")  # noqa: S704 - sanitised on import
    return render_template(
        "courses/learner/activity.html",
        run=run,
        activity=current,
        kind=kind,
        kinds=get_registry().activity_kinds,
        outline=outline,
        done=done,
        previous=previous,
        following=following,
        video=video_url(current),
        live=live,
        body=body,
        markable=kind is not None and kind.learner_marks_done and not _attendance_decides(live),
    )


@bp.route("/parcours/sessions/<int:run_id>/activites/<int:activity_id>/terminer", methods=["POST"])
@login_required
@locks_itself
def activity_done(run_id: int, activity_id: int):
    """Mark an activity done (``done=1``) or not done (``done=0``), or submit a plugin's form.

    Kinds with a ``submit`` hook decide themselves whether the learner's answer completes them.
    The person, the session and the activity are read as a page reads them; the write lock
    is taken only then, the enrolment read again under it (its row locked on PostgreSQL, as a
    page view that records progress does).
    """
    run, enrolment = open_run(run_id)
    current = _activity_or_404(run, activity_id)
    kind = get_registry().activity_kinds.get(current.kind)
    if kind is None or (kind.submit is None and not kind.learner_marks_done):
        abort(400)
    back = url_for("courses.activity", run_id=run.id, activity_id=current.id)
    begin_write()
    db.session.refresh(enrolment, with_for_update=True)
    if kind.submit is not None:
        _submit(kind, enrolment, current)
    elif current.kind == "live" and live_attendance.status_of(enrolment, current) in (
        "present",
        "absent",
    ):
        flash(_("Votre présence à cette séance a été enregistrée par le formateur."), "warning")
        return redirect(back)
    elif request.form.get("done", "1") == "0":
        progress.uncomplete_activity(enrolment, current)
        flash(_("Activité marquée comme non terminée."), "success")
    else:
        progress.complete_activity(enrolment, current)
        flash(_("Activité marquée comme terminée."), "success")
    db.session.commit()
    return redirect(back)


def _submit(kind, enrolment: Enrolment, current) -> None:
    """Hand the learner's form to the kind; complete the activity when it says so."""
    missing = kind.submit(current, enrolment, request.form)
    if missing:
        flash(missing, "error")
    elif progress.complete_activity(enrolment, current):
        flash(_("Activité marquée comme terminée."), "success")


@bp.route("/parcours/sessions/<int:run_id>/activites/<int:activity_id>/telecharger")
@login_required
def memo_download(run_id: int, activity_id: int):
    """Download a memo sheet: its attached file, else a printable HTML page."""
    run, _enrolment = open_run(run_id)
    current = _activity_or_404(run, activity_id)
    if current.kind != "memo":
        abort(404)
    attached = queries.first_file(current)
    if attached is not None:
        return send_file(
            BytesIO(attached.data),
            mimetype=attached.content_type,
            as_attachment=True,
            download_name=attached.filename,
        )
    page = render_template("courses/learner/memo_print.html", run=run, activity=current)
    response = make_response(page)
    response.mimetype = "text/html"
    name = secure_filename(current.key) or "fiche-memo"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.html"'
    return response
