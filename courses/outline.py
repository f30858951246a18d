"""A course's outline, computed once per version of the course and kept in memory.

What a learner page shows of a course — its live modules, their activities, titles, kinds and
durations, the modules' rendered summaries — changes only when the course is imported or
edited, not between requests. :func:`course_outline` builds it with two queries and keeps it,
keyed by the course id and its ``updated_at``: every change to a course, module or activity
through the ORM moves ``updated_at`` (see :func:`_touch_courses`), so a worker never serves a
stale outline, whichever worker made the change. The cache is per application, holds at most
:data:`MAX_ENTRIES` outlines and item texts (least recently used dropped), and keeps plain
frozen data, never ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import get_template_attribute, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from courses.models import Activity, Course, Module
from lms.cache import LRU, app_cache
from lms.db import db, utcnow
from lms.plugins import get_registry

MAX_ENTRIES = 256
_EXTENSION = "courses.outlines"


@dataclass(frozen=True)
class OutlineActivity:
    """What the pages show of an activity of the outline."""

    id: int
    module_id: int
    kind: str
    title: str
    duration_minutes: int | None


@dataclass(frozen=True)
class OutlineModule:
    """A live module with its live activities, in order."""

    id: int
    title: str
    summary_html: str
    activities: tuple[OutlineActivity, ...]
    position: int = 0


@dataclass(frozen=True)
class Outline:
    """A course's live modules in order, and every live activity by id."""

    modules: tuple[OutlineModule, ...]
    by_id: dict[int, OutlineActivity]

    @property
    def activities(self) -> list[OutlineActivity]:
        """Every live activity in the order a learner follows them."""
        return [a for m in self.modules for a in m.activities]


def _cache() -> LRU:
    return app_cache(_EXTENSION, MAX_ENTRIES)


def course_outline(course: Course) -> Outline:
    """The live outline of ``course`` (cached per course version; two queries on a miss)."""
    return course_outlines([course])[course.id]


def course_outlines(courses) -> dict[int, Outline]:
    """The outlines of ``courses`` by course id; those not cached yet are loaded together (two
    queries whatever their number)."""
    cache = _cache()
    found, missing = {}, {}
    for course in courses:
        found[course.id] = cache.get((course.id, course.updated_at))
        if found[course.id] is None:
            missing[course.id] = course.updated_at
    if missing:
        for course_id, outline in _load(list(missing)).items():
            cache.put((course_id, missing[course_id]), outline)
            found[course_id] = outline
    return found


def item_texts(course: Course, run_id: int) -> dict[int, tuple[str, str]]:
    """Per live activity: the address of its page in run ``run_id`` and « kind, duration » in
    the current language — what an outline repeats for each of its items, cached like the
    outline (per course version, run and language), so a page translates nothing per item."""
    key = ("texts", course.id, course.updated_at, run_id, str(get_locale()))
    cache = _cache()
    found = cache.get(key)
    if found is None:
        kinds = get_registry().activity_kinds
        found = {}
        for a in course_outline(course).activities:
            meta = str(kinds[a.kind].label) if a.kind in kinds else a.kind
            if a.duration_minutes:
                meta += ", " + _("%(n)s min", n=a.duration_minutes)
            found[a.id] = (url_for("courses.activity", run_id=run_id, activity_id=a.id), meta)
        cache.put(key, found)
    return found


#: Modules' activity lists kept as HTML per worker (about a kilobyte each).
LIST_ENTRIES = 1024
_LISTS = "courses.outline_lists"


def outline_list(items, current_id: int | None = None) -> Markup:
    """One module's activity list in an outline — the ``outline_list`` macro of
    ``courses/learner/_progress.html`` — kept as HTML for the same items (their address,
    title, « kind, duration » and done flag), current activity and language: learners at the
    same point of a course see the same lists, and a page shows a list per module."""
    key = (
        str(get_locale()),
        current_id,
        tuple((i.href, i.activity.id, i.activity.title, i.meta, i.done) for i in items),
    )
    cache = app_cache(_LISTS, LIST_ENTRIES)
    html = cache.get(key)
    if html is None:
        macro = get_template_attribute("courses/learner/_progress.html", "outline_list")
        html = Markup(macro(items, current_id))  # noqa: S704 - the macro escapes
        cache.put(key, html)
    return html


def resume_point(outline: Outline, last_activity_id: int | None, completed) -> int | None:
    """Where a learner resumes: the last activity opened if it is still live, else the first
    activity not completed, else the first activity; None when the course has none."""
    if last_activity_id in outline.by_id:
        return last_activity_id
    ordered = outline.activities
    todo = next((a.id for a in ordered if a.id not in completed), None)
    return todo or (ordered[0].id if ordered else None)


def _load(course_ids: list[int]) -> dict[int, Outline]:
    modules = db.session.execute(
        sa.select(Module.id, Module.course_id, Module.title, Module.summary_html, Module.position)
        .where(Module.course_id.in_(course_ids), Module.archived.is_(False))
        .order_by(Module.position, Module.id)
    ).all()
    rows = db.session.execute(
        sa.select(Activity.id, Activity.module_id, Activity.kind, Activity.title)
        .add_columns(Activity.duration_minutes)
        .where(
            Activity.course_id.in_(course_ids),
            Activity.archived.is_(False),
            Activity.hidden.is_(False),
        )
        .order_by(Activity.position, Activity.id)
    ).all()
    per_module: dict[int, list[OutlineActivity]] = {m.id: [] for m in modules}
    for row in rows:
        if row.module_id in per_module:
            per_module[row.module_id].append(OutlineActivity(*row))
    per_course: dict[int, list[OutlineModule]] = {course_id: [] for course_id in course_ids}
    for m in modules:
        activities = tuple(per_module[m.id])
        per_course[m.course_id].append(
            OutlineModule(m.id, m.title, m.summary_html or "", activities, m.position)
        )
    return {
        course_id: Outline(tuple(built), {a.id: a for m in built for a in m.activities})
        for course_id, built in per_course.items()
    }


def _touch_courses(session: Session, _context, _instances) -> None:
    """Before a flush: move ``updated_at`` of every course whose modules or activities change,
    so that cached outlines keyed by it are not used any more."""
    course_ids = set()
    changed = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    for obj in (*session.new, *changed, *session.deleted):
        if isinstance(obj, Module | Activity):
            course = obj.__dict__.get("course")  # set through the relationship: no SQL
            course_id = obj.course_id or (course.id if course is not None else None)
            if course_id is not None:
                course_ids.add(course_id)
        elif isinstance(obj, Course) and obj.id is not None:
            course_ids.add(obj.id)
    if not course_ids:
        return
    now = utcnow()
    for course_id in course_ids:
        course = session.get(Course, course_id) if course_id else None
        if course is not None and course not in session.deleted:
            course.updated_at = now


sa.event.listen(Session, "before_flush", _touch_courses)  # every session, once per process
