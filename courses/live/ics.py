"""Calendar files (RFC 5545) for a run's live sessions.

Times are written in UTC (``DTSTART:20271208T080000Z``), which every calendar converts to the
reader's own zone without a ``VTIMEZONE`` block; the UID is stable per run and activity, and
``SEQUENCE`` grows with each change so that an imported event is updated, not duplicated.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app

from courses.live.schedule import Slot
from lms.db import utcnow

PRODID = "-//Parcours//Classes virtuelles//FR"


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (§3.1), never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def uid(run_id: int, activity_id: int) -> str:
    """Stable identifier of a run's live session, the same in every download."""
    host = urlsplit(current_app.config["LMS_BASE_URL"]).hostname or "parcours.local"
    return f"parcours-live-{run_id}-{activity_id}@{host}"


def event_lines(run, slot: Slot, url: str, now: datetime | None = None) -> list[str]:
    """The ``VEVENT`` lines of one scheduled live session (``slot.starts_at`` must be set)."""
    description = slot.activity.title + "\n" + url
    if slot.join_url:
        description += "\n" + slot.join_url
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(run.id, slot.activity.id)}",
        f"DTSTAMP:{_utc(now or utcnow())}",
        f"DTSTART:{_utc(slot.starts_at)}",
        f"DTEND:{_utc(slot.ends_at)}",
        f"SEQUENCE:{slot.sequence}",
        f"SUMMARY:{escape_text(slot.activity.title + ' — ' + run.course.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
    ]
    location = slot.place or slot.join_url
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: list[list[str]]) -> bytes:
    """A ``VCALENDAR`` holding ``events``, folded, CRLF line ends, UTF-8."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines += ["METHOD:PUBLISH", *[line for event in events for line in event], "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
