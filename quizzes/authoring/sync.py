"""Instrument and Question rows kept in step with an activity's settings (import and web edits).

Questions are matched by key: a kept question keeps its id (and so its answers); a question no
longer in the source is archived, never deleted; an archived one coming back is restored.
"""

from __future__ import annotations

import copy

import sqlalchemy as sa

from lms.db import db
from lms.markdown import render
from quizzes.authoring.quizfile import SETTINGS as QUIZ_SETTINGS
from quizzes.models import Instrument, Question
from quizzes.qtypes import HANDLERS
from quizzes.qtypes.base import text_html
from quizzes.qtypes.survey import stem_html as survey_stem_html

SURVEY_SETTINGS = ("opens", "respondent", "hidden")
BLANK = "_____"


def _prepare(kind: str, settings: dict) -> dict:
    prepare = HANDLERS.get(kind, {}).get("prepare")
    data = copy.deepcopy(settings)
    return prepare(data) if prepare else data


def _gift_stem(settings: dict) -> str:
    stem = dict(settings.get("stem") or {"text": "", "format": "moodle"})
    after = settings.get("stem_after")
    if after is not None:
        stem["text"] = " ".join(p for p in (stem.get("text", ""), BLANK, after) if p)
    return text_html(stem)


def quiz_rows(questions: list[dict]) -> list[dict]:
    """Question rows of a quiz (GIFT questions data of ``quizfile.read_quiz``)."""
    rows = []
    for q in questions:
        rows.append(
            {
                "key": q["key"],
                "type": q["type"],
                "title": (q.get("title") or None) and q["title"][:300],
                "stem_html": _gift_stem(q["settings"]),
                "settings": _prepare(q["type"], q["settings"]),
                "max_score": 0.0 if q["type"] == "description" else 1.0,
                "competency": None,
                "section": None,  # a Moodle category is for the question bank, not learners
                "required": False,
            }
        )
    return rows


def survey_rows(questions: list[dict]) -> list[dict]:
    """Question rows of a questionnaire (blocks of ``survey.parse``)."""
    rows = []
    for q in questions:
        settings = {k: q.get(k) for k in ("text", "options", "other", "lines")}
        rows.append(
            {
                "key": q["key"],
                "type": q["type"],
                "title": None,
                "stem_html": survey_stem_html(q),
                "settings": _prepare(q["type"], settings),
                "max_score": 0.0,
                "competency": q.get("competency"),
                "section": q.get("section"),
                "required": bool(q.get("required")) and q["type"] != "info",
            }
        )
    return rows


def find_instrument(activity) -> Instrument | None:
    """The instrument of ``activity``: linked to it, else the course's one with its key."""
    found = db.session.scalar(sa.select(Instrument).where(Instrument.activity_id == activity.id))
    if found is None:
        found = db.session.scalar(
            sa.select(Instrument).where(
                Instrument.course_id == activity.course_id, Instrument.key == activity.key
            )
        )
    return found


def sync_activity(activity) -> Instrument:
    """Create or update the instrument of a quiz or survey activity, and its questions. Flushes."""
    data = activity.settings or {}
    instrument = find_instrument(activity)
    if instrument is None:
        instrument = Instrument(course_id=activity.course_id, key=activity.key, settings={})
        db.session.add(instrument)
    is_quiz = data.get("format") != "survey"
    instrument.activity_id = activity.id
    instrument.course_id = activity.course_id
    instrument.key = activity.key
    instrument.kind = "quiz" if is_quiz else data.get("kind", "questionnaire")
    instrument.purpose = data.get("purpose") or ("practice" if is_quiz else "survey")
    instrument.title = activity.title
    instrument.intro = activity.body or ""
    instrument.intro_html = activity.body_html or render(activity.body or "")
    names = QUIZ_SETTINGS if is_quiz else SURVEY_SETTINGS
    instrument.settings = {n: data.get(n) for n in names if n in data and n != "purpose"}
    instrument.source = data.get("source") or ""
    questions = data.get("questions") or []
    sync_questions(instrument, quiz_rows(questions) if is_quiz else survey_rows(questions))
    db.session.flush()
    return instrument


def sync_questions(instrument: Instrument, rows: list[dict]) -> None:
    """Match rows to the instrument's questions by key; archive those no longer there."""
    existing = {q.key: q for q in instrument.questions} if instrument.id else {}
    seen = set()
    for position, row in enumerate(rows, start=1):
        question = existing.get(row["key"])
        if question is None:
            question = Question(key=row["key"], position=position, type=row["type"])
            instrument.questions.append(question)
        for name, value in row.items():
            setattr(question, name, value)
        question.position = position
        question.archived = False
        seen.add(row["key"])
    last = len(rows)
    for key, question in existing.items():
        if key not in seen and not question.archived:
            last += 1
            question.archived = True
            question.position = last
