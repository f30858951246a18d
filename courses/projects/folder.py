"""The ``project`` activity kind in a course folder: instructions, deadline, files, rubric.

A project is a Markdown file (the instructions) whose front matter holds::

    kind: project
    due_days: 30            # the deadline: this many days after the session starts (23:59)
    accepted: [pdf, docx]   # file types a learner may submit (see FILE_TYPES)
    max_size_mb: 10         # largest file
    max_files: 3            # how many files at most (default 3)
    pass_mark: 12           # points needed to pass
    rubric:                 # criteria x levels, one level chosen per criterion
      - key: diagnostic
        criterion: Diagnostic du territoire
        levels:
          - {label: Insuffisant, points: 0}
          - {label: Solide, points: 4}
"""

from __future__ import annotations

from pathlib import Path

from courses.content.errors import ContentError
from courses.content.fields import Fields, check_key
from courses.content.kinds import load_with

#: Accepted file types: name in the course folder -> (label, content types).
FILE_TYPES = {
    "pdf": ("PDF", "application/pdf"),
    "docx": (
        "Word (.docx)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pptx": (
        "PowerPoint (.pptx)",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "xlsx": ("Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ("OpenDocument texte (.odt)", "application/vnd.oasis.opendocument.text"),
    "odp": ("OpenDocument présentation (.odp)", "application/vnd.oasis.opendocument.presentation"),
    "png": ("PNG", "image/png"),
    "jpg": ("JPEG", "image/jpeg"),
    "zip": ("ZIP", "application/zip"),
}
#: Largest file a course folder may allow.
MAX_SIZE_MB = 50
MAX_FILES = 10
MAX_CRITERIA = 20
MAX_LEVELS = 10


def _points(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1000:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _levels(reader: Fields, criterion, line: int) -> list[dict]:
    levels = criterion.get("levels")
    if not isinstance(levels, list) or not levels or len(levels) > MAX_LEVELS:
        _add(reader, line, f"a criterion needs 'levels': a list of 1 to {MAX_LEVELS} levels")
        return []
    result = []
    for index, level in enumerate(levels):
        at = levels.line_of(index) if hasattr(levels, "line_of") else line
        label = level.get("label") if isinstance(level, dict) else None
        points = _points(level.get("points")) if isinstance(level, dict) else None
        if not isinstance(label, str) or not label.strip() or len(label) > 200:
            _add(reader, at, "each level needs a 'label' (text, at most 200 characters)")
        elif points is None or set(level) - {"label", "points"}:
            _add(reader, at, f"level '{label}': 'points' must be a number from 0 to 1000")
        else:
            result.append({"label": label.strip(), "points": points})
    return result


def _add(reader: Fields, line: int, message: str) -> None:
    reader.errors.append(ContentError(reader.file, line, message))


def _criterion(reader: Fields, item, line: int, keys: set) -> dict | None:
    key, title = item.get("key"), item.get("criterion")
    problem = check_key(key) if isinstance(key, str) else "a criterion needs a 'key'"
    if problem or key in keys:
        _add(reader, line, problem or f"criterion key '{key}' is used twice")
        return None
    keys.add(key)
    if not isinstance(title, str) or not title.strip() or len(title) > 300:
        _add(reader, line, f"criterion '{key}' needs a 'criterion' title (at most 300 characters)")
        return None
    unknown = set(item) - {"key", "criterion", "levels"}
    if unknown:
        _add(reader, line, f"criterion '{key}': unknown field '{sorted(unknown)[0]}'")
    levels = _levels(reader, item, line)
    return {"key": key, "criterion": title.strip(), "levels": levels} if levels else None


def _rubric(reader: Fields) -> list[dict]:
    items = reader.mapping_list("rubric", required=True)
    if items is None:
        return []
    if not items or len(items) > MAX_CRITERIA:
        reader.error("rubric", f"'rubric' needs 1 to {MAX_CRITERIA} criteria")
        return []
    keys: set = set()
    rubric = [_criterion(reader, item, items.line_of(i), keys) for i, item in enumerate(items)]
    return [criterion for criterion in rubric if criterion]


def max_points(rubric: list[dict]) -> float:
    """The most points the rubric gives (the best level of every criterion)."""
    return sum(max(level["points"] for level in c["levels"]) for c in rubric)


def _accepted(reader: Fields) -> list[str]:
    names = reader.name_list("accepted", required=True) or []
    accepted = []
    for name, line in names:
        if name.lower() not in FILE_TYPES:
            known = ", ".join(FILE_TYPES)
            _add(reader, line, f"file type '{name}' is not known; use one of: {known}")
        elif name.lower() not in accepted:
            accepted.append(name.lower())
    return accepted


def _bounded(reader: Fields, name: str, highest: int, default: int | None = None):
    value = reader.integer(name, required=default is None)
    if value is not None and value > highest:
        reader.error(name, f"'{name}' is at most {highest}, not {value}")
        return None
    return value if value is not None else default


def _project(reader: Fields, path: Path, result: dict) -> dict:
    rubric = _rubric(reader)
    settings = {
        "due_days": _bounded(reader, "due_days", 3650),
        "accepted": _accepted(reader),
        "max_size_mb": _bounded(reader, "max_size_mb", MAX_SIZE_MB),
        "max_files": _bounded(reader, "max_files", MAX_FILES, default=3),
        "pass_mark": None,
        "rubric": rubric,
    }
    value = reader.mapping.get("pass_mark")
    reader.seen["pass_mark"] = True
    mark = _points(value)
    if mark is None:
        reader.error("pass_mark", "'pass_mark' (points needed to pass) must be a number")
    elif rubric and not reader.errors and mark > max_points(rubric):  # else: fix those first
        top = max_points(rubric)
        reader.error("pass_mark", f"'pass_mark' {mark} is above the rubric's maximum ({top})")
    settings["pass_mark"] = mark
    return settings


def load_project(path: Path, text: str) -> dict:
    """Loader of ``kind: project``: Markdown instructions and the settings above."""
    return load_with(path, text, _project, body_required=True)
