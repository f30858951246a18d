"""The schedule of a run's live activities: stored rows, course-folder defaults, states.

A run's live activity takes its date, time zone, place and links from its
:class:`~courses.live.models.LiveSchedule` row. Runs created before live schedules existed (or
activities added to the course later) have no row: they show the course folder's values as they
are. A new run gets rows when it is created: the folder's date only when it falls within the
run's dates (a 2022 date never shows in a 2027 session), the links and place always.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask import current_app

from courses.live.models import LiveSchedule
from courses.models import Activity, CourseRun, Module
from courses.progress import live_activities
from lms.db import db, utcnow

#: The join link shows this long before the start.
JOIN_EARLY = timedelta(minutes=15)
DEFAULT_MINUTES = 60


def default_zone() -> str:
    """The platform's time zone (setting ``LMS_TIMEZONE``)."""
    return current_app.config.get("LMS_TIMEZONE") or "Europe/Paris"


def zone(name: str | None) -> ZoneInfo:
    """The ``ZoneInfo`` of ``name``, the platform's zone when it is unknown."""
    try:
        return ZoneInfo(name or default_zone())
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default_zone())


def web_link(value) -> str | None:
    """``value`` if it is an http(s) address, else None (never a ``javascript:`` link)."""
    if isinstance(value, str) and urlsplit(value.strip()).scheme in ("http", "https"):
        return value.strip()
    return None


@dataclass
class Slot:
    """A live activity as scheduled in one run."""

    activity: Activity
    starts_at: datetime | None  # naive UTC
    timezone: str
    place: str | None
    join_url: str | None
    replay_url: str | None
    sequence: int = 0
    stored: bool = False

    @property
    def minutes(self) -> int:
        """Length of the session in minutes."""
        return int(self.activity.duration_minutes or DEFAULT_MINUTES)

    @property
    def ends_at(self) -> datetime | None:
        """End as naive UTC."""
        return self.starts_at + timedelta(minutes=self.minutes) if self.starts_at else None

    def local(self, moment: datetime | None) -> datetime | None:
        """``moment`` (naive UTC) in the session's time zone."""
        if moment is None:
            return None
        return moment.replace(tzinfo=UTC).astimezone(zone(self.timezone))

    def state(self, now: datetime | None = None) -> str:
        """``unscheduled``, ``upcoming``, ``open`` (join link shown), ``ongoing`` or ``past``."""
        if self.starts_at is None:
            return "unscheduled"
        now = now or utcnow()
        if now >= self.ends_at:
            return "past"
        if now >= self.starts_at:
            return "ongoing"
        return "open" if now >= self.starts_at - JOIN_EARLY else "upcoming"


def _folder_start(activity: Activity) -> datetime | None:
    """The folder's ``starts_at`` (local time of ``LMS_TIMEZONE``) as naive UTC."""
    raw = (activity.settings or {}).get("starts_at")
    try:
        moment = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(None))
    return moment.astimezone(UTC).replace(tzinfo=None)


def folder_slot(activity: Activity) -> Slot:
    """The course folder's values, as they are."""
    settings = activity.settings or {}
    place = settings.get("place")
    return Slot(
        activity=activity,
        starts_at=_folder_start(activity),
        timezone=default_zone(),
        place=place if isinstance(place, str) and place.strip() else None,
        join_url=web_link(settings.get("join_url")),
        replay_url=web_link(settings.get("replay_url")),
    )


def _within(run: CourseRun, moment: datetime | None) -> bool:
    if moment is None:
        return False
    day: date = moment.replace(tzinfo=UTC).astimezone(zone(None)).date()
    return run.starts_on <= day <= run.ends_on


def _stored_slot(activity: Activity, row: LiveSchedule) -> Slot:
    return Slot(
        activity=activity,
        starts_at=row.starts_at,
        timezone=row.timezone,
        place=row.place,
        join_url=web_link(row.join_url),
        replay_url=web_link(row.replay_url),
        sequence=row.sequence,
        stored=True,
    )


def live_activities_of(course_id: int) -> list[Activity]:
    """The course's live activities shown to learners, in outline order (one query)."""
    return list(db.session.scalars(_live_activities_of(), {"course_id": course_id}))


@cache
def _live_activities_of() -> sa.Select:
    return (
        sa.select(Activity)
        .join(Module, Module.id == Activity.module_id)
        .where(
            Activity.course_id == sa.bindparam("course_id"),
            Activity.kind == "live",
            live_activities(),
        )
        .order_by(Module.position, Activity.position)
    )


def _rows(run: CourseRun, activity_ids: list[int]) -> dict[int, LiveSchedule]:
    if not activity_ids:
        return {}
    rows = db.session.scalars(_schedule_rows(), {"run_id": run.id, "ids": activity_ids})
    return {row.activity_id: row for row in rows}


@cache
def _schedule_rows() -> sa.Select:
    return sa.select(LiveSchedule).where(
        LiveSchedule.run_id == sa.bindparam("run_id"),
        LiveSchedule.activity_id.in_(sa.bindparam("ids", expanding=True)),
    )


def run_slots(run: CourseRun) -> list[Slot]:
    """Every live activity of ``run`` with its schedule (two queries)."""
    activities = live_activities_of(run.course_id)
    rows = _rows(run, [a.id for a in activities])
    return [_stored_slot(a, rows[a.id]) if a.id in rows else folder_slot(a) for a in activities]


def slot_for(run: CourseRun, activity: Activity) -> Slot:
    """The schedule of one live activity in ``run`` (one query)."""
    row = _rows(run, [activity.id]).get(activity.id)
    return _stored_slot(activity, row) if row else folder_slot(activity)


def schedule_row(run: CourseRun, activity: Activity) -> LiveSchedule | None:
    """The stored schedule row, if any."""
    return _rows(run, [activity.id]).get(activity.id)


def create_defaults(run: CourseRun) -> list[LiveSchedule]:
    """Give a new run a schedule row per live activity from the course folder. Flushes."""
    rows = []
    activities = live_activities_of(run.course_id)
    existing = _rows(run, [a.id for a in activities])
    for activity in activities:
        if activity.id in existing:
            continue
        folder = folder_slot(activity)
        row = LiveSchedule(
            run_id=run.id,
            activity_id=activity.id,
            starts_at=folder.starts_at if _within(run, folder.starts_at) else None,
            timezone=folder.timezone,
            place=folder.place,
            join_url=folder.join_url,
            replay_url=folder.replay_url,
            sequence=0,
        )
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows


def labels(slot: Slot, locale=None) -> dict | None:
    """Date, start and end of ``slot`` written in its own time zone, in ``locale``.

    ``locale`` defaults to the current request's language; None when the date is not set.
    """
    from babel.dates import format_datetime
    from flask_babel import get_locale

    start, end = slot.local(slot.starts_at), slot.local(slot.ends_at)
    if start is None:
        return None
    locale = locale or get_locale() or "fr"

    def fmt(moment: datetime, pattern: str) -> str:
        return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=locale)

    return {
        "date": fmt(start, "EEEE d MMMM y"),
        "start": fmt(start, "HH:mm"),
        "end": fmt(end, "HH:mm"),
        "zone": slot.timezone,
    }
