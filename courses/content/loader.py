"""Write checked course data to the database, matching by key so that ids and progress survive."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from courses.content.activities import ActivityData
from courses.content.errors import ContentError, ContentErrors
from courses.content.reader import COURSE_FILE, CourseData, ModuleData, read_course
from courses.models import Activity, ActivityFile, Course, Module
from lms.db import begin_write, db
from lms.markdown import render
from lms.plugins import get_registry


@dataclass
class ImportReport:
    """What one import did to one course."""

    course: Course
    created: bool = False
    modules: int = 0
    activities: int = 0
    added: int = 0
    archived: int = 0
    restored: int = 0


def _set_course(course: Course, data: CourseData) -> None:
    for name in ("code", "title", "subtitle", "family", "language", "duration_hours"):
        setattr(course, name, getattr(data, name))
    course.audience, course.audience_html = data.audience, render(data.audience)
    course.description, course.description_html = data.description, render(data.description)
    course.objectives, course.extra = data.objectives, data.extra


def _set_module(module: Module, data: ModuleData, position: int) -> None:
    module.position, module.title, module.duration = position, data.title, data.duration
    module.summary, module.summary_html = data.summary, render(data.summary)


def _set_activity(activity: Activity, data: ActivityData, module: Module, position: int) -> None:
    activity.module, activity.position = module, position
    for name in ("kind", "title", "filename", "duration_minutes", "body", "settings", "hidden"):
        setattr(activity, name, getattr(data, name))
    activity.body_html = render(data.body)
    wanted = {item.filename: item for item in data.files}
    for row in list(activity.files):
        if row.filename not in wanted:
            activity.files.remove(row)
    existing = {row.filename: row for row in activity.files}
    for name, item in wanted.items():
        row = existing.get(name) or ActivityFile(filename=name)
        row.content_type, row.data = item.content_type, item.data
        if name not in existing:
            activity.files.append(row)


def _restore(row, report: ImportReport) -> None:
    if row.archived:
        row.archived = False
        report.restored += 1


def _write_activities(
    course: Course, module: Module, items: list, activities: dict, report: ImportReport
) -> None:
    """Create or update the activities of one module; remember them in ``activities``."""
    for rank, item in enumerate(items, start=1):
        activity = activities.get(item.key)
        if activity is None:
            activity = Activity(course_id=course.id, key=item.key)
            db.session.add(activity)
            activities[item.key] = activity
            report.added += 1
        _restore(activity, report)
        _set_activity(activity, item, module, rank)


def _write_modules(course: Course, data: CourseData, report: ImportReport) -> list[Activity]:
    """Write modules and activities; archive what the folder no longer has; return the present."""
    modules = {module.key: module for module in course.modules}
    activities = {
        activity.key: activity
        for activity in db.session.scalars(
            sa.select(Activity)
            .where(Activity.course_id == course.id)
            .options(selectinload(Activity.files))
        )
    }
    for position, module_data in enumerate(data.modules, start=1):
        module = modules.get(module_data.key) or Module(course=course, key=module_data.key)
        _set_module(module, module_data, position)
        _write_activities(course, module, module_data.activities, activities, report)
    present = {module.key for module in data.modules}
    for key, module in modules.items():
        module.archived = key not in present
    ordered = [item.key for module in data.modules for item in module.activities]
    present = set(ordered)
    for key, activity in activities.items():
        if key not in present and not activity.archived:
            activity.archived = True
            report.archived += 1
    return [activities[key] for key in ordered]


def _after_import(activities: list[Activity]) -> None:
    """Let each kind's ``on_import`` hook sync its own tables from the flushed activity."""
    kinds = get_registry().activity_kinds
    for activity in activities:
        kind = kinds.get(activity.kind)
        if kind is not None and kind.on_import is not None:
            kind.on_import(activity)


def write_course(data: CourseData) -> ImportReport:
    """Create or update the course of ``data`` (flushes; the caller commits)."""
    course = db.session.scalar(
        sa.select(Course).where(Course.key == data.key).options(selectinload(Course.modules))
    )
    report = ImportReport(
        course=course,
        created=course is None,
        modules=len(data.modules),
        activities=sum(len(module.activities) for module in data.modules),
    )
    if course is None:
        course = report.course = Course(key=data.key)
        db.session.add(course)
    _set_course(course, data)
    db.session.flush()
    present = _write_modules(course, data, report)
    db.session.flush()
    _after_import(present)
    return report


def read_folders(paths) -> list[CourseData]:
    """Read every course folder; raise :class:`ContentErrors` with the errors of all of them."""
    courses, errors, keys = [], [], {}
    for path in paths:
        try:
            course = read_course(path)
        except ContentErrors as exc:
            errors.extend(exc.errors)
            continue
        if course.key in keys:
            message = f"course key '{course.key}' is also the key of {keys[course.key]}"
            error = ContentError(COURSE_FILE, course.key_line, f"{message}; import one of them")
            error.folder = str(path)
            errors.append(error)
            continue
        keys[course.key] = str(path)
        courses.append(course)
    if errors:
        raise ContentErrors(errors)
    return courses


def import_folders(paths) -> list[ImportReport]:
    """Import course folders, all or nothing, in one transaction; raise ContentErrors if invalid."""
    courses = read_folders(paths)
    begin_write()
    try:
        reports = [write_course(course) for course in courses]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return reports
