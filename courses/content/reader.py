"""Read and check a course folder into plain data (no database); every problem is reported."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from courses.content.activities import read_activity
from courses.content.errors import ContentError, ContentErrors
from courses.content.fields import Fields, describe
from courses.content.yamltext import LineDict, load_yaml, read_text
from lms.plugins import Registry, get_registry

COURSE_FILE = "course.yml"
MODULE_FILE = "module.yml"
#: Suffixes of activity files: such a file in a module folder must be listed in module.yml.
CONTENT_SUFFIXES = {".md", ".gift", ".survey"}
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")


@dataclass
class ModuleData:
    """A module as read from its folder."""

    key: str
    title: str
    duration: str | None
    summary: str
    activities: list
    #: Folder name; not part of the content (an export names folders after position and key).
    folder: str = field(default="", compare=False)


@dataclass
class CourseData:
    """A course as read from its folder."""

    key: str
    code: str | None
    title: str
    subtitle: str | None
    family: str | None
    language: str
    duration_hours: int | None
    audience: str
    description: str
    objectives: list[dict]
    extra: dict
    modules: list[ModuleData]
    path: Path = field(default=Path("."), compare=False)
    key_line: int = field(default=1, compare=False)


def plain_name(name: str, root: Path, max_length: int = 200) -> str | None:
    """Return what is wrong with a folder or file name listed in a YAML file, if anything."""
    if name != Path(name).name or name in (".", "..") or "\\" in name or name.startswith("."):
        return f"'{name}' must be a plain name of this folder (no '/', no leading '.')"
    if len(name) > max_length:
        return f"'{name}' is too long ({len(name)} characters, at most {max_length})"
    if not (root / name).resolve().is_relative_to(root.resolve()):
        return f"'{name}' points outside the course folder"
    return None


def read_mapping(root: Path, relative: str, errors: list[ContentError]) -> LineDict | None:
    """Read a YAML file that must hold one mapping."""
    if not (root / relative).is_file():
        errors.append(ContentError(relative, 1, f"missing file {relative}"))
        return None
    text, problems = read_text(root, relative)
    if text is None:
        errors.extend(problems)
        return None
    data, problems = load_yaml(relative, text)
    errors.extend(problems)
    if data is None and problems:
        return None
    if not isinstance(data, LineDict):
        what = "empty" if data is None else describe(data)
        message = f"{relative} must hold fields ('name: value' lines), but it is {what}"
        errors.append(ContentError(relative, 1, message))
        return None
    return data


def _objectives(reader: Fields) -> list[dict]:
    items = reader.mapping_list("objectives") or []
    objectives, seen = [], set()
    for item in items:
        sub = Fields(item, reader.file, reader.errors)
        key, text = sub.key(), sub.text("text", required=True)
        sub.finish()
        if key in seen:
            sub.error("key", f"objective key '{key}' is given twice")
        elif key and text:
            seen.add(key)
            objectives.append({"key": key, "text": text})
    return objectives


def _course_fields(data: LineDict, errors: list[ContentError]) -> dict:
    reader = Fields(data, COURSE_FILE, errors)
    values = {
        "key": reader.key(),
        "code": reader.text("code", max_length=40),
        "title": reader.text("title", required=True, max_length=300),
        "subtitle": reader.text("subtitle", max_length=300),
        "family": reader.text("family", max_length=200),
        "language": reader.text("language") or "fr",
        "duration_hours": reader.integer("duration_hours"),
        "audience": reader.text("audience") or "",
        "description": reader.text("description") or "",
        "objectives": _objectives(reader),
        "extra": reader.json_mapping("extra") or {},
        "modules": reader.name_list("modules", required=True) or [],
        "key_line": reader.line("key"),
    }
    if not _LANGUAGE.fullmatch(values["language"]):
        reader.error(
            "language", f"language must be a code like 'fr' or 'en', not '{values['language']}'"
        )
    if "modules" in data and not values["modules"] and isinstance(data["modules"], list):
        reader.error("modules", "'modules' lists no module folder")
    reader.finish()
    return values


class _Keys:
    """Stable keys already used in the course, with where they were first seen."""

    def __init__(self, errors: list[ContentError], what: str) -> None:
        self.errors, self.what, self.seen = errors, what, {}

    def add(self, key: str, file: str, line: int) -> bool:
        """Record ``key``; report it when it was already used."""
        if key in self.seen:
            first_file, first_line = self.seen[key]
            message = (
                f"{self.what} key '{key}' is already used in {first_file} (line {first_line}); "
                f"{self.what} keys must be unique in the course"
            )
            self.errors.append(ContentError(file, line, message))
            return False
        self.seen[key] = (file, line)
        return True


def _suffixes(registry: Registry) -> set[str]:
    """Suffixes of activity files (a module folder must list every such file)."""
    return CONTENT_SUFFIXES | {s for k in registry.activity_kinds.values() for s in k.suffixes}


def _unlisted(root: Path, folder: str, listed: set[str], suffixes: set[str]) -> list[str]:
    """Activity files of a module folder that module.yml does not list."""
    names = []
    for path in sorted((root / folder).iterdir()):
        visible = path.is_file() and not path.name.startswith(".")
        if visible and path.suffix in suffixes and path.name not in listed:
            names.append(path.name)
    return names


def _module_activities(
    root: Path, folder: str, reader: Fields, registry: Registry, keys: _Keys
) -> list:
    file = reader.file
    entries = reader.name_list("activities", required=True) or []
    activities, listed = [], set()
    for name, line in entries:
        problem = plain_name(name, root / folder)
        if problem is None and name in listed:
            problem = f"'{name}' is listed twice"
        elif problem is None and not (root / folder / name).is_file():
            problem = f"activity file '{name}' does not exist in {folder}/"
        listed.add(name)
        if problem:
            reader.errors.append(ContentError(file, line, problem))
            continue
        activity = read_activity(root, f"{folder}/{name}", registry, reader.errors)
        if activity is not None and keys.add(activity.key, f"{folder}/{name}", activity.key_line):
            activities.append(activity)
    for name in _unlisted(root, folder, listed, _suffixes(registry)):
        message = f"file '{name}' is not listed in 'activities' (list it or move it elsewhere)"
        reader.error("activities", message)
    return activities


def _read_module(
    root: Path, folder: str, registry: Registry, keys: dict[str, _Keys], errors: list
) -> ModuleData | None:
    file = f"{folder}/{MODULE_FILE}"
    data = read_mapping(root, file, errors)
    if data is None:
        # Still check the activity files, so that one run reports every error.
        for name in _unlisted(root, folder, set(), _suffixes(registry)):
            activity = read_activity(root, f"{folder}/{name}", registry, errors)
            if activity is not None:
                keys["activity"].add(activity.key, f"{folder}/{name}", activity.key_line)
        return None
    reader = Fields(data, file, errors)
    key = reader.key()
    title = reader.text("title", required=True, max_length=300)
    duration = reader.text("duration", max_length=80)
    summary = reader.text("summary") or ""
    activities = _module_activities(root, folder, reader, registry, keys["activity"])
    reader.finish()
    if key is None or title is None or not keys["module"].add(key, file, reader.line("key")):
        return None
    return ModuleData(key, title, duration, summary, activities, folder=folder)


def _modules(root: Path, values: dict, registry: Registry, errors: list) -> list[ModuleData]:
    keys = {"module": _Keys(errors, "module"), "activity": _Keys(errors, "activity")}
    modules, listed = [], set()
    for folder, line in values["modules"]:
        problem = plain_name(folder, root)
        if problem is None and folder in listed:
            problem = f"module folder '{folder}' is listed twice"
        elif problem is None and not (root / folder).is_dir():
            problem = f"module folder '{folder}' does not exist"
        listed.add(folder)
        if problem:
            errors.append(ContentError(COURSE_FILE, line, problem))
            continue
        module = _read_module(root, folder, registry, keys, errors)
        if module is not None:
            modules.append(module)
    for path in sorted(root.iterdir()):
        if path.is_dir() and path.name not in listed and (path / MODULE_FILE).is_file():
            line = values["modules"][0][1] if values["modules"] else 1
            message = f"folder '{path.name}' has a module.yml but is not listed in 'modules'"
            errors.append(ContentError(COURSE_FILE, line, message))
    return modules


def read_course(path: str | Path, registry: Registry | None = None) -> CourseData:
    """Read and check the course folder ``path``; raise :class:`ContentErrors` with every error."""
    root = Path(path)
    registry = registry or get_registry()
    errors: list[ContentError] = []
    if not root.is_dir():
        errors.append(ContentError(".", 1, f"{root} is not a folder"))
    data = read_mapping(root, COURSE_FILE, errors) if not errors else None
    course = None
    if data is None and root.is_dir():
        # Still check the module folders, so that one run reports every error.
        found = [(p.name, 1) for p in sorted(root.iterdir()) if (p / MODULE_FILE).is_file()]
        _modules(root, {"modules": found}, registry, errors)
    elif data is not None:
        values = _course_fields(data, errors)
        modules = _modules(root, values, registry, errors)
        values.pop("modules")
        if not errors:
            course = CourseData(**values, modules=modules, path=root)
    if errors or course is None:
        raise ContentErrors(_located(errors, root, str(path)))
    return course


def _located(errors: list[ContentError], root: Path, folder: str) -> list[ContentError]:
    """Make every error's file relative to the course folder and remember that folder."""
    located = []
    for error in errors:
        error = error.relative_to(root) if Path(error.file).is_absolute() else error
        error.folder = folder
        located.append(error)
    return located
