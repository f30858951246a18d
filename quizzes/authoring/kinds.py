"""The ``quiz`` (``.gift``) and ``survey`` (``.survey``) activity kinds: loaders, dumpers, import.

A loader turns a file into the activity's ``{"key", "title", "settings", "body", "hidden"}``
(bad input: ``ContentError`` at the file's line); ``on_import`` syncs the instrument and its
questions from ``activity.settings``; a dumper writes the activity back to an equivalent file.
"""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from courses.content.errors import ContentError
from courses.content.yamltext import inside
from quizzes.authoring import gift, survey
from quizzes.authoring.headers import SourceError
from quizzes.authoring.quizfile import SETTINGS as QUIZ_SETTINGS
from quizzes.authoring.quizfile import read_quiz, write_quiz
from quizzes.authoring.survey.meta import FIELDS as SURVEY_FIELDS
from quizzes.authoring.sync import sync_activity

log = logging.getLogger(__name__)


def quiz_activity(text: str, filename: str) -> dict:
    """Read a quiz file into activity data; raises ``GiftError`` or ``SourceError``."""
    data = read_quiz(text, filename)
    meta = data["meta"]
    settings = {"format": "gift", **{n: meta[n] for n in QUIZ_SETTINGS}}
    settings["questions"] = data["questions"]
    settings["source"] = data["source"]
    return {
        "key": meta["key"],
        "title": meta["title"],
        "settings": settings,
        "body": "",
        "hidden": False,
    }


def survey_activity(text: str, filename: str, objectives: set[str] | None = None) -> dict:
    """Read a ``.survey`` file into activity data; raises ``SurveyError``.

    With ``objectives`` (the course's objective keys), every ``competency=`` must name one.
    """
    data = survey.parse(text, filename)
    meta = data["meta"]
    if objectives is not None:
        for question in data["questions"]:
            if question["competency"] and question["competency"] not in objectives:
                raise survey.SurveyError(
                    f"competency {question['competency']!r} is not an objective of the course"
                    f" (objectives: {', '.join(sorted(objectives)) or 'none'})",
                    question["line"],
                    1,
                    filename,
                )
    settings = {
        "format": "survey",
        **{n: meta[n] for n in SURVEY_FIELDS if n not in ("key", "title")},
    }
    settings["questions"] = data["questions"]
    settings["source"] = _survey_body(text)
    return {
        "key": meta["key"],
        "title": meta["title"],
        "settings": settings,
        "body": data["intro"],
        "hidden": meta["hidden"],
    }


def _survey_body(text: str) -> str:
    """The text after the front matter (what the web editor shows)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index < len(lines) and lines[index].strip() == "---":
        index += 1
        while index < len(lines) and lines[index].strip() != "---":
            index += 1
        index += 1
    else:
        index = 0
    return "\n".join(lines[index:]).strip("\n")


def _content_error(path, error: SourceError | gift.GiftError) -> ContentError:
    return ContentError(path, error.line, f"{error.message} (column {error.column})")


def load_quiz(path, text: str) -> dict:
    """Loader of ``.gift`` activity files (``ContentError`` at the GIFT error's line)."""
    try:
        return quiz_activity(text, Path(path).name)
    except (SourceError, gift.GiftError) as error:
        raise _content_error(path, error) from None


def course_objectives(path) -> set[str] | None:
    """Objective keys of the ``course.yml`` two folders up from an activity file, if readable."""
    try:
        folder = Path(path).parent.parent
        course_file = folder / "course.yml"
        if not course_file.is_file() or not inside(folder, course_file):
            return None
        data = yaml.safe_load(course_file.read_text(encoding="utf-8")) or {}
        objectives = data.get("objectives") or []
        return {str(o["key"]) for o in objectives if isinstance(o, dict) and o.get("key")}
    except (OSError, ValueError, yaml.YAMLError, AttributeError, TypeError):
        return None


def load_survey(path, text: str) -> dict:
    """Loader of ``.survey`` activity files (``ContentError`` at the faulty line)."""
    try:
        return survey_activity(text, Path(path).name, course_objectives(path))
    except SourceError as error:
        raise _content_error(path, error) from None


def _filename(activity, suffix: str) -> str:
    name = activity.filename or ""
    return name if name.endswith(suffix) else f"{activity.key}{suffix}"


def quiz_text(activity) -> str:
    """The quiz file of an activity: header from its settings, then its GIFT source."""
    settings = activity.settings or {}
    meta = {"key": activity.key, "title": activity.title}
    meta |= {n: settings.get(n) for n in QUIZ_SETTINGS if n in settings}
    source = settings.get("source")
    return write_quiz(meta, settings.get("questions") or [], source or None)


def dump_quiz(activity) -> tuple[str, str]:
    """Dumper of quiz activities: ``(filename, text)``."""
    return _filename(activity, ".gift"), quiz_text(activity)


def survey_text(activity) -> str:
    """The ``.survey`` file of an activity: front matter from its settings, then its body."""
    settings = activity.settings or {}
    meta = {"key": activity.key, "title": activity.title}
    meta |= {n: settings[n] for n in SURVEY_FIELDS if n in settings and n not in meta}
    source = settings.get("source")
    if not source:
        data = {"meta": meta, "intro": activity.body, "questions": settings.get("questions") or []}
        return survey.export(data)
    head = survey.export({"meta": meta, "intro": "", "questions": []})
    return head + "\n" + source.strip("\n") + "\n"


def dump_survey(activity) -> tuple[str, str]:
    """Dumper of survey activities: ``(filename, text)``."""
    return _filename(activity, ".survey"), survey_text(activity)


def on_import(activity) -> None:
    """After the importer wrote ``activity``: sync its instrument and questions (flushes)."""
    instrument = sync_activity(activity)
    log.debug("instrument %s synced: %d questions", instrument.key, len(instrument.questions))
