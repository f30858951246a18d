"""Read one activity file through the loader of its activity kind."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from courses.content.errors import ContentError, ContentErrors
from courses.content.fields import check_key, plain_value
from courses.content.frontmatter import split_front_matter
from courses.content.kinds import MAX_ATTACHMENT_BYTES, TITLE_MAX, load_markdown
from courses.content.yamltext import read_text
from lms.plugins import ActivityKind, Registry

log = logging.getLogger(__name__)


@dataclass
class FileData:
    """A file attached to an activity."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass
class ActivityData:
    """An activity as read from its file."""

    key: str
    kind: str
    title: str
    filename: str
    duration_minutes: int | None
    body: str
    settings: dict
    files: list[FileData]
    #: Hidden activities are not in the learner's outline (a trainer's form, follow-ups).
    hidden: bool = False
    key_line: int = field(default=1, compare=False)


def _markdown_kind(
    relative: str, text: str, registry: Registry, errors: list[ContentError]
) -> ActivityKind | None:
    """The kind named by the front matter of a Markdown file."""
    fields, _body, _line, problems = split_front_matter(relative, text)
    if fields is None:
        errors.extend(problems)
        return None
    markdown_kinds = sorted(n for n, k in registry.activity_kinds.items() if not k.suffixes)
    name = fields.get("kind")
    line = fields.line_of("kind")
    if name in (None, ""):
        message = f"missing required field 'kind' (one of: {', '.join(markdown_kinds)})"
        errors.append(ContentError(relative, fields.line, message))
        return None
    kind = registry.activity_kinds.get(name) if isinstance(name, str) else None
    if kind is None:
        message = f"unknown kind '{name}'; known kinds: {', '.join(markdown_kinds)}"
        errors.append(ContentError(relative, line, message))
    elif kind.suffixes:
        message = f"kind '{name}' is written in {' or '.join(kind.suffixes)} files, not Markdown"
        errors.append(ContentError(relative, line, message))
        return None
    return kind


def _suffix_kind(relative: str, registry: Registry, errors: list) -> ActivityKind | None:
    """The kind that reads files with this suffix."""
    suffix = Path(relative).suffix
    kind = registry.kind_for_suffix(suffix)
    if kind is None or kind.loader is None:
        known = sorted({".md"} | {s for k in registry.activity_kinds.values() for s in k.suffixes})
        message = f"no activity kind reads '{suffix}' files (known: {', '.join(known)})"
        errors.append(ContentError(relative, 1, message))
        return None
    return kind


def _files(value) -> list[FileData]:
    files = [FileData(f["filename"], f["content_type"], f["data"]) for f in value or []]
    if len({item.filename for item in files}) != len(files):
        raise ValueError("two files have the same name")
    for item in files:
        if not (isinstance(item.filename, str) and isinstance(item.content_type, str)):
            raise TypeError("file names and content types must be text")
        if not 0 < len(item.filename) <= 200 or len(item.content_type) > 100:
            raise ValueError("file names have 1 to 200 characters, content types 100 at most")
        if not isinstance(item.data, bytes) or len(item.data) > MAX_ATTACHMENT_BYTES:
            raise ValueError(f"file {item.filename} must be bytes of at most 5 MB")
    return files


def _activity(result: dict, kind: str, relative: str) -> ActivityData:
    """Build the activity from a loader's result; raise ContentError when it is unusable."""
    line = result.get("key_line") or 1 if isinstance(result, dict) else 1
    try:
        key, title, body = result["key"], result["title"], result.get("body") or ""
        settings, duration = result.get("settings") or {}, result.get("duration_minutes")
        problem = check_key(key) if isinstance(key, str) else "the key is missing"
        if problem:
            raise ContentError(relative, line, problem)
        if not isinstance(title, str) or not title.strip() or len(title) > TITLE_MAX:
            raise ValueError(f"the title must be text of 1 to {TITLE_MAX} characters")
        if not isinstance(body, str) or not isinstance(settings, dict) or not plain_value(settings):
            raise TypeError("the body must be text and the settings plain values")
        if duration is not None and (not isinstance(duration, int) or duration <= 0):
            raise ValueError("duration_minutes must be a positive whole number")
        files, hidden = _files(result.get("files")), result.get("hidden", False)
        if not isinstance(hidden, bool):
            raise TypeError("hidden must be true or false")
    except (KeyError, TypeError, ValueError) as exc:
        raise ContentError(
            relative, line, f"the '{kind}' reader gave unusable data: {exc}"
        ) from exc
    filename = Path(relative).name
    return ActivityData(
        key, kind, title, filename, duration, body, settings, files, hidden, key_line=line
    )


def _run_loader(kind: ActivityKind, root: Path, relative: str, text: str) -> dict:
    loader = kind.loader or load_markdown
    try:
        return loader(root / relative, text)
    except (ContentError, ContentErrors):
        raise
    except Exception as exc:  # noqa: BLE001 - a plugin's bug must not crash the import
        log.exception("the loader of kind %s failed on %s", kind.name, relative)
        raise ContentError(relative, 1, f"the '{kind.name}' reader failed: {exc}") from exc


def read_activity(
    root: Path, relative: str, registry: Registry, errors: list[ContentError]
) -> ActivityData | None:
    """Read ``root/relative`` with its kind's loader; add problems to ``errors``."""
    text, problems = read_text(root, relative)
    if text is None:
        errors.extend(problems)
        return None
    if relative.endswith(".md"):
        kind = _markdown_kind(relative, text, registry, errors)
    else:
        kind = _suffix_kind(relative, registry, errors)
    if kind is None:
        return None
    try:
        return _activity(_run_loader(kind, root, relative, text), kind.name, relative)
    except ContentErrors as exc:
        errors.extend(error.relative_to(root) for error in exc.errors)
    except ContentError as exc:
        errors.append(exc.relative_to(root))
    return None
