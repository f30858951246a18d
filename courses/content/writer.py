"""Write a course back to a course folder, in the format that ``flask lms import`` reads."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from courses.content.kinds import dump_markdown
from courses.content.reader import COURSE_FILE, MODULE_FILE
from courses.content.yamltext import dump_yaml
from courses.models import Activity, Course
from lms.db import db
from lms.plugins import get_registry


class ExportError(Exception):
    """A course cannot be exported (unknown key, destination in the way, kind not available)."""


def _course_yaml(course: Course, folders: list[str]) -> str:
    fields = {
        "key": course.key,
        "code": course.code,
        "title": course.title,
        "subtitle": course.subtitle,
        "family": course.family,
        "language": course.language,
        "duration_hours": course.duration_hours,
        "audience": course.audience,
        "description": course.description,
        "objectives": course.objectives,
        "extra": course.extra,
        "modules": folders,
    }
    return dump_yaml(
        {name: value for name, value in fields.items() if value not in (None, "", [], {})}
    )


def _activities_by_module(course: Course) -> dict[int, list[Activity]]:
    rows = db.session.scalars(
        sa.select(Activity)
        .where(Activity.course_id == course.id, Activity.archived.is_(False))
        .options(selectinload(Activity.files))
        .order_by(Activity.module_id, Activity.position)
    )
    grouped = defaultdict(list)
    for activity in rows:
        grouped[activity.module_id].append(activity)
    return grouped


def _write_activity(folder: Path, activity: Activity) -> str:
    kind = get_registry().activity_kinds.get(activity.kind)
    if kind is None:
        raise ExportError(
            f"activity '{activity.key}' is of kind '{activity.kind}', "
            "which no enabled plugin provides"
        )
    filename, text = (kind.dumper or dump_markdown)(activity)
    (folder / filename).write_text(text, encoding="utf-8", newline="\n")
    for attachment in activity.files:
        (folder / attachment.filename).write_bytes(attachment.data)
    return filename


def _write_course(course: Course, target: Path) -> None:
    grouped = _activities_by_module(course)
    folders = []
    modules = [module for module in course.modules if not module.archived]
    for position, module in enumerate(modules, start=1):
        folder = f"{position:02d}-{module.key}"
        (target / folder).mkdir()
        names = [_write_activity(target / folder, a) for a in grouped.get(module.id, [])]
        fields = {"key": module.key, "title": module.title, "duration": module.duration}
        fields.update({"summary": module.summary, "activities": names})
        fields = {name: value for name, value in fields.items() if value not in (None, "")}
        (target / folder / MODULE_FILE).write_text(dump_yaml(fields), encoding="utf-8")
        folders.append(folder)
    (target / COURSE_FILE).write_text(_course_yaml(course, folders), encoding="utf-8")


def export_course(key: str, dest: str | Path) -> Path:
    """Write course ``key`` into ``dest/<key>/`` (which must not exist or be empty)."""
    course = db.session.scalar(
        sa.select(Course).where(Course.key == key).options(selectinload(Course.modules))
    )
    if course is None:
        raise ExportError(f"no course has the key '{key}'")
    dest = Path(dest)
    target = dest / course.key
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportError(f"{target} already exists and is not empty; choose another destination")
    dest.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{course.key}-", dir=dest))
    try:
        _write_course(course, work)
        work.chmod(0o755)
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def export_all(dest: str | Path) -> list[Path]:
    """Export every course into ``dest/<key>/``."""
    keys = db.session.scalars(sa.select(Course.key).order_by(Course.key)).all()
    return [export_course(key, dest) for key in keys]
