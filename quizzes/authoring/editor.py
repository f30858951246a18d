"""Editing instruments in the web interface: the same parsers as the course folder, so a text
saved here is exactly what ``flask lms export`` writes and ``flask lms import`` reads back."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from courses.models import Activity, Course, CourseRun, Module, run_trainers
from lms.db import db
from lms.markdown import render
from quizzes.authoring import gift, survey
from quizzes.authoring.headers import SourceError, key_from_name
from quizzes.authoring.kinds import quiz_activity, survey_activity
from quizzes.authoring.quizfile import header_text
from quizzes.authoring.sync import sync_activity

SUFFIXES = {"gift": ".gift", "survey": ".survey"}


@dataclass
class SourceProblem:
    """An error in the source text, at a line and column of the text area (1-based)."""

    message: str
    line: int
    column: int


def editable_course_ids(user) -> list[int] | None:
    """Courses whose instruments ``user`` may edit: all for admins (None), else the courses of
    the runs they train."""
    if user.role == "admin":
        return None
    return list(
        db.session.scalars(
            sa.select(CourseRun.course_id)
            .join(run_trainers, run_trainers.c.run_id == CourseRun.id)
            .where(run_trainers.c.user_id == user.id)
            .distinct()
        )
    )


def can_edit(user, course_id: int | None) -> bool:
    """Whether ``user`` may edit the instruments of course ``course_id``."""
    allowed = editable_course_ids(user)
    return allowed is None or course_id in allowed


def _header(fmt: str, meta: dict) -> str:
    if fmt == "gift":
        return header_text(meta)
    return survey.export({"meta": meta, "intro": "", "questions": []})


def parse_source(fmt: str, meta: dict | None, source: str, filename: str, objectives=None):
    """Parse ``source`` (with the header made from ``meta``, if given) as a file would be.

    Return ``(activity data, None)`` or ``(None, SourceProblem)`` located in ``source``.
    """
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    head = _header(fmt, meta) + "\n" if meta is not None else ""
    offset = head.count("\n")
    try:
        if fmt == "gift":
            return quiz_activity(head + source, filename), None
        return survey_activity(head + source, filename, objectives), None
    except (SourceError, gift.GiftError) as error:
        line = max(error.line - offset, 1)
        return None, SourceProblem(error.message, line, error.column)


def objective_keys(course: Course | None) -> set[str] | None:
    """Objective keys of a course (None when it lists none: nothing to check against)."""
    keys = (
        {str(o.get("key")) for o in (course.objectives or []) if isinstance(o, dict)}
        if course
        else set()
    )
    return keys or None


def apply(activity: Activity, data: dict) -> None:
    """Store parsed data on the activity and re-sync its instrument (flushes, no commit)."""
    activity.title = data["title"]
    activity.settings = data["settings"]
    activity.body = data["body"]
    activity.body_html = render(data["body"])
    activity.hidden = bool(data.get("hidden"))
    db.session.flush()
    sync_activity(activity)


def unique_key(course_id: int, wanted: str) -> str:
    """``wanted``, or ``wanted-2``... if an activity of the course already has that key."""
    taken = set(
        db.session.scalars(
            sa.select(Activity.key).where(
                Activity.course_id == course_id, Activity.key.like(f"{wanted[:70]}%")
            )
        )
    )
    key, n = wanted[:80], 2
    while key in taken:
        key, n = f"{wanted[:70]}-{n}", n + 1
    return key


def create(
    module: Module, fmt: str, title: str, source: str
) -> tuple[Activity | None, SourceProblem | None]:
    """Create the activity (last in ``module``) and its instrument from pasted source."""
    filename = key_from_name(title) + SUFFIXES[fmt]
    data, problem = parse_source(fmt, None, source, filename, objective_keys(module.course))
    if problem:
        return None, problem
    key = unique_key(module.course_id, data["key"])
    position = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Activity.position), 0)).where(
            Activity.module_id == module.id
        )
    )
    activity = Activity(
        module_id=module.id,
        course_id=module.course_id,
        key=key,
        kind="quiz" if fmt == "gift" else "survey",
        position=position + 1,
        title=title,
        filename=key + SUFFIXES[fmt],
    )
    db.session.add(activity)
    apply(activity, {**data, "title": title})
    return activity, None
