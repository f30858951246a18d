"""Question types seen through the registry, and the layout of an attempt (order of questions
and of their options), drawn once when the attempt starts and stored in ``attempt.layout``."""

from __future__ import annotations

import random
from functools import cache

import sqlalchemy as sa

from lms.db import db
from lms.plugins import QuestionType, get_registry
from quizzes.models import Answer, Attempt, Instrument, Question
from quizzes.taking.rules import Rules

#: Types that only show text: no answer, no number.
TEXT_ONLY = ("description", "info")
#: Types whose options may be shuffled (true/false and scales keep their natural order).
SHUFFLED_OPTIONS = ("single_choice", "multiple_choice", "matching")


def qtype(question: Question) -> QuestionType | None:
    """The registered type of ``question`` (None if no loaded plugin provides it)."""
    return get_registry().question_types.get(question.type)


def handler(question: Question, name: str):
    """The handler ``name`` of the question's type, or None."""
    found = qtype(question)
    return found.handlers.get(name) if found else None


def answerable(question: Question) -> bool:
    """Whether the question takes an answer (description and info blocks do not)."""
    return answerable_type(question.type)


def answerable_types() -> list[str]:
    """The registered question types that take an answer (:func:`answerable_type`)."""
    return [type_ for type_ in get_registry().question_types if answerable_type(type_)]


def answerable_type(type_: str) -> bool:
    """Whether questions of type ``type_`` take an answer (see :func:`answerable`)."""
    found = get_registry().question_types.get(type_)
    return type_ not in TEXT_ONLY and found is not None and found.handlers.get("parse") is not None


def graded(question: Question) -> bool:
    """Whether the question counts towards the score."""
    found = qtype(question)
    return bool(found and found.graded and answerable(question))


def field_name(question: Question) -> str:
    """Name of the form field(s) of ``question`` on the attempt page."""
    return f"q{question.id}"


def option_keys(question: Question) -> list[str]:
    """Keys of the question's options in their natural order (empty for types without any).

    Uses the type's ``options`` handler when it has one, else the ``choices`` (or ``options``)
    listed by its ``public`` handler.
    """
    direct = handler(question, "options")
    if direct is not None:
        return [str(k) for k in direct(question)]
    public = handler(question, "public")
    data = public(question) if public else {}
    if not isinstance(data, dict):
        return []
    items = data.get("choices") or data.get("options") or []
    return [str(c["key"]) for c in items if isinstance(c, dict) and "key" in c]


def _shuffle_movable(questions: list[Question], rng: random.Random) -> list[Question]:
    """Shuffle the questions that take answers; text-only blocks keep their slots."""
    movable = [q for q in questions if q.type not in TEXT_ONLY]
    rng.shuffle(movable)
    picked = iter(movable)
    return [q if q.type in TEXT_ONLY else next(picked) for q in questions]


def live_questions(instrument: Instrument) -> list[Question]:
    """The instrument's questions that are not archived, in authored order (one query)."""
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.instrument_id == instrument.id, Question.archived.is_(False))
            .order_by(Question.position, Question.id)
        )
    )


def make_layout(instrument: Instrument, rules: Rules, rng: random.Random | None = None) -> dict:
    """Draw the order of questions and options for a new attempt.

    ``{"questions": [question ids], "options": {"<question id>": [option keys]}}``.
    """
    rng = rng or random.Random()
    questions = live_questions(instrument)
    if rules.shuffle_questions:
        questions = _shuffle_movable(questions, rng)
    options: dict[str, list[str]] = {}
    for question in questions:
        keys = option_keys(question) if answerable(question) else []
        if rules.shuffle_answers and question.type in SHUFFLED_OPTIONS:
            rng.shuffle(keys)
        if keys:
            options[str(question.id)] = keys
    return {"questions": [q.id for q in questions], "options": options}


def layout_questions(attempt: Attempt) -> list[Question]:
    """The attempt's questions in its layout order (one query).

    Questions archived since the attempt started stay (answers may refer to them); questions
    added since are not part of it.
    """
    ids = [int(i) for i in (attempt.layout or {}).get("questions", [])]
    if not ids:
        return _unlaid_questions(attempt)
    found = {q.id: q for q in db.session.scalars(_questions_by_id(), {"ids": ids})}
    return [found[i] for i in ids if i in found]


@cache
def _questions_by_id() -> sa.Select:
    return sa.select(Question).where(Question.id.in_(sa.bindparam("ids", expanding=True)))


def layout_options(attempt: Attempt, question: Question) -> list[str]:
    """The display order of the question's options in this attempt."""
    stored = (attempt.layout or {}).get("options", {}).get(str(question.id))
    return list(stored) if stored is not None else option_keys(question)


def _unlaid_questions(attempt: Attempt) -> list[Question]:
    """Questions of an attempt recorded without a layout (typed in by staff, imported): the
    instrument's live questions and any archived one it answered, in authored order."""
    answered = sa.select(Answer.question_id).where(Answer.attempt_id == attempt.id)
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(
                Question.instrument_id == attempt.instrument_id,
                sa.or_(Question.archived.is_(False), Question.id.in_(answered)),
            )
            .order_by(Question.position, Question.id)
        )
    )
