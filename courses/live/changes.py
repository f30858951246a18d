"""Saving a run's live-session schedule, and telling the learners when it changes."""

from __future__ import annotations

from datetime import UTC, datetime

from courses.live.attendance import attending_enrolments
from courses.live.forms import ScheduleForm
from courses.live.models import LiveSchedule
from courses.live.schedule import Slot, labels, zone
from courses.models import Activity, CourseRun
from lms.db import db, utcnow
from lms.mail import queue_mail, render_mail
from lms.urls import external_url

#: Fields whose change is announced to the learners (and bumps the calendar SEQUENCE).
ANNOUNCED = ("starts_at", "timezone", "place", "join_url")


def form_values(form: ScheduleForm) -> dict:
    """The schedule the form describes, start as naive UTC."""
    starts = None
    if form.day.data and form.time.data:
        local = datetime.combine(form.day.data, form.time.data, tzinfo=zone(form.timezone.data))
        starts = local.astimezone(UTC).replace(tzinfo=None)
    return {
        "starts_at": starts,
        "timezone": form.timezone.data,
        "place": (form.place.data or "").strip() or None,
        "join_url": (form.join_url.data or "").strip() or None,
        "replay_url": (form.replay_url.data or "").strip() or None,
    }


def fill_form(form: ScheduleForm, slot: Slot) -> None:
    """Put the current schedule into the form (GET)."""
    local = slot.local(slot.starts_at)
    form.day.data = local.date() if local else None
    form.time.data = local.time().replace(tzinfo=None) if local else None
    form.timezone.data = slot.timezone
    form.place.data, form.join_url.data = slot.place, slot.join_url
    form.replay_url.data = slot.replay_url
    form.notify.data = True


def save(run: CourseRun, activity: Activity, row: LiveSchedule | None, values: dict) -> tuple:
    """Write ``values`` into the run's schedule row (created if needed). Flushes.

    Returns ``(row, announced)``: ``announced`` tells whether the date, zone, place or join
    link changed (the calendar ``SEQUENCE`` is then bumped).
    """
    if row is None:
        row = LiveSchedule(run_id=run.id, activity_id=activity.id, sequence=0)
        db.session.add(row)
        announced = True
    else:
        announced = any(getattr(row, name) != values[name] for name in ANNOUNCED)
        if announced:
            row.sequence = (row.sequence or 0) + 1
    for name, value in values.items():
        setattr(row, name, value)
    db.session.flush()
    return row, announced


def notify_learners(run: CourseRun, slot: Slot) -> int:
    """Queue an e-mail to each attending learner about the new schedule; returns how many.

    Nothing is sent for a session already over. The outbox key carries the ``SEQUENCE``, so a
    learner gets each change once.
    """
    if slot.state(utcnow()) == "past":
        return 0
    link = external_url("courses.activity", run_id=run.id, activity_id=slot.activity.id)
    ics = external_url("courses.live_ics", run_id=run.id, activity_id=slot.activity.id)
    sent = 0
    for enrolment in attending_enrolments(run):
        user = enrolment.user
        start = _when(slot, user.locale)
        subject, text, html = render_mail(
            "courses/mail/live_changed",
            user.locale,
            user=user,
            run=run,
            slot=slot,
            when=start,
            link=link,
            ics=ics,
        )
        queue_mail(
            f"live:{run.id}:{slot.activity.id}:{slot.sequence}:{enrolment.id}",
            user.email,
            subject,
            text,
            html,
            to_name=user.name,
            user_id=user.id,
            category="live",
        )
        sent += 1
    return sent


def _when(slot: Slot, locale: str | None) -> str | None:
    """« jeudi 9 décembre 2027, 09:00 – 16:00 (Europe/Paris) » in the learner's language."""
    parts = labels(slot, locale or "fr")
    if parts is None:
        return None
    return f"{parts['date']}, {parts['start']} – {parts['end']} ({parts['zone']})"
