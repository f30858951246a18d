"""Loaders and dumpers of the Markdown kinds of the courses plugin: lesson, memo, live.

A loader has the signature of :attr:`lms.plugins.ActivityKind.loader`: ``loader(path, text)``
returns ``{"key", "title", "settings", "body"}`` and may add ``duration_minutes``, ``hidden``
(true: not in the learner's outline), ``files`` (a list of ``{"filename", "content_type",
"data"}``) and ``key_line`` (the line of the key, used in "duplicate key" errors). It raises
:class:`ContentError` (or :class:`ContentErrors` for several). ``settings`` must hold plain JSON
values (text, numbers, true/false, lists, mappings with text keys).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import current_app

from courses.content.errors import ContentError, ContentErrors
from courses.content.fields import Fields
from courses.content.frontmatter import check_markdown, dump_front_matter, split_front_matter
from courses.content.yamltext import inside, outside_message

#: Largest attachment of a memo sheet.
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
TITLE_MAX = 300
#: Settings of each kind, in the order they are written back.
SETTINGS_ORDER = ("video", "attachment", "starts_at", "place", "join_url", "replay_url")


def video_hosts() -> set[str]:
    """The hosts a lesson may embed videos from (setting ``LMS_VIDEO_HOSTS``)."""
    raw = current_app.config.get("LMS_VIDEO_HOSTS") or ""
    names = raw.split(",") if isinstance(raw, str) else raw
    return {name.strip().lower() for name in names if name.strip()}


def _load(path: Path, text: str, read_settings, body_required: bool = False) -> dict:
    """Read the front matter and body shared by every Markdown kind, then the kind's settings."""
    file = str(path)
    fields, body, first_line, errors = split_front_matter(file, text)
    if fields is None:
        raise ContentErrors(errors)
    reader = Fields(fields, file, errors)
    result = {
        "key": reader.key(),
        "kind": reader.text("kind", required=True),
        "title": reader.text("title", required=True, max_length=TITLE_MAX),
        "duration_minutes": reader.integer("duration_minutes"),
        "key_line": reader.line("key"),
        "files": [],
    }
    settings = read_settings(reader, path, result) if read_settings else {}
    reader.finish()
    if body_required and not body and not settings.get("video"):
        errors.append(ContentError(file, first_line, "the page is empty: write its Markdown text"))
    errors.extend(check_markdown(file, body, first_line))
    if errors:
        raise ContentErrors(errors)
    return {**result, "settings": settings, "body": body}


def _video(reader: Fields, path: Path, result: dict) -> dict:
    video = reader.https_url("video", hosts=video_hosts())
    return {"video": video} if video else {}


def _attachment(reader: Fields, path: Path, result: dict) -> dict:
    settings = _video(reader, path, result)
    name = reader.text("attachment", max_length=200)
    if name is None:
        return settings
    target = path.parent / name
    if Path(name).suffix.lower() in (".md", ".yml", ".yaml", ".gift", ".survey"):
        reader.error("attachment", f"attachment '{name}' must be a document (PDF...), not text")
        return settings
    if name != Path(name).name or name.startswith(".") or not target.is_file():
        reader.error("attachment", f"attachment '{name}' is not a file of this module's folder")
        return settings
    if not inside(path.parent, target) or not inside(path.parent.parent, target):
        reader.error("attachment", outside_message(name))
        return settings
    size = target.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        reader.error(
            "attachment",
            f"attachment '{name}' is {size / 1024 / 1024:.1f} MB; the limit is 5 MB",
        )
        return settings
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    data = target.read_bytes()
    result["files"] = [{"filename": name, "content_type": content_type, "data": data}]
    return {**settings, "attachment": name}


def _live(reader: Fields, path: Path, result: dict) -> dict:
    if reader.mapping.get("duration_minutes") in (None, ""):
        reader.error(None, "missing required field 'duration_minutes' (length of the session)")
    place = reader.text("place", max_length=300)
    settings = {
        "starts_at": reader.local_datetime("starts_at", required=True),
        "place": place,
        "join_url": reader.https_url("join_url", required=place is None),
        "replay_url": reader.https_url("replay_url"),
    }
    return {name: value for name, value in settings.items() if value}


def load_with(path: Path, text: str, read_settings, body_required: bool = False) -> dict:
    """Load a Markdown kind whose settings ``read_settings(reader, path, result)`` reads (the
    ``project`` kind of :mod:`courses.projects` uses it)."""
    return _load(path, text, read_settings, body_required)


def load_markdown(path: Path, text: str) -> dict:
    """Loader of Markdown kinds without settings of their own (front matter and body only)."""
    return _load(path, text, None)


def load_lesson(path: Path, text: str) -> dict:
    """Loader of ``kind: lesson``: a Markdown page, optionally an allow-listed ``video``."""
    return _load(path, text, _video, body_required=True)


def load_memo(path: Path, text: str) -> dict:
    """Loader of ``kind: memo``: a printable page, optionally an ``attachment`` to download."""
    return _load(path, text, _attachment, body_required=True)


def load_live(path: Path, text: str) -> dict:
    """Loader of ``kind: live``: ``starts_at``, ``duration_minutes``, ``place`` or ``join_url``,
    ``replay_url``. These are the defaults of each new session (see :mod:`courses.live`)."""
    return _load(path, text, _live)


def dump_markdown(activity) -> tuple[str, str]:
    """Dumper of every Markdown kind: front matter (common fields, then settings) and body."""
    settings = activity.settings or {}
    fields = {"key": activity.key, "kind": activity.kind, "title": activity.title}
    if "starts_at" not in settings:
        fields["duration_minutes"] = activity.duration_minutes
    for name in SETTINGS_ORDER:
        if name in settings:
            fields[name] = settings[name]
        if name == "starts_at" and name in settings:
            fields["duration_minutes"] = activity.duration_minutes
    fields.update({name: value for name, value in settings.items() if name not in fields})
    filename = activity.filename or f"{activity.key}.md"
    return filename, dump_front_matter(fields, activity.body or "")
