"""When a support request's first answer is due: calendar hours, or business hours if set.

``LMS_SUPPORT_DELAY_HOURS`` (48) is the delay. ``LMS_SUPPORT_BUSINESS_HOURS`` empty means the
clock runs day and night; ``09:00-18:00`` makes it run only Monday to Friday between those times
(local time of ``LMS_TIMEZONE``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import current_app

from courses.live.schedule import zone


def business_hours() -> tuple[time, time] | None:
    """The configured working day ``(start, end)``, or None (calendar hours)."""
    raw = (current_app.config.get("LMS_SUPPORT_BUSINESS_HOURS") or "").strip()
    if not raw:
        return None
    start, _, end = raw.partition("-")
    opening, closing = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    if closing <= opening:
        raise ValueError(f"LMS_SUPPORT_BUSINESS_HOURS: {raw!r} must be like 09:00-18:00")
    return opening, closing


def delay() -> timedelta:
    """The configured delay for a first answer."""
    return timedelta(hours=float(current_app.config.get("LMS_SUPPORT_DELAY_HOURS") or 48))


def due_at(opened: datetime) -> datetime:
    """Deadline (naive UTC) of a request opened at ``opened`` (naive UTC)."""
    hours = business_hours()
    if hours is None:
        return opened + delay()
    local = opened.replace(tzinfo=UTC).astimezone(zone(None))
    left = delay()
    day = local.date()
    while True:
        if day.weekday() < 5:
            start = datetime.combine(day, hours[0], tzinfo=local.tzinfo)
            end = datetime.combine(day, hours[1], tzinfo=local.tzinfo)
            begin = max(start, local)
            if begin < end:
                if begin + left <= end:
                    return (begin + left).astimezone(UTC).replace(tzinfo=None)
                left -= end - begin
        day += timedelta(days=1)
