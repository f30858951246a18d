"""Data of the learner's pages: the questions of an attempt as the page shows them, the
attempt list of an activity."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from flask import abort
from markupsafe import Markup

from lms.db import db
from quizzes.models import Attempt, Instrument, Purpose, Question
from quizzes.qtypes import make_review, render_question
from quizzes.taking.attempts import is_empty
from quizzes.taking.layout import (
    answerable,
    answerable_types,
    field_name,
    layout_options,
    layout_questions,
)

#: Who answers: instruments for the trainer are not the learner's.
TRAINER_PURPOSES = (Purpose.TRAINER_REVIEW,)


def learner_instrument(activity_id: int) -> Instrument:
    """The instrument behind an activity, if learners answer it; 404 otherwise."""
    return learner_instrument_counted(activity_id)[0]


def learner_instrument_counted(activity_id: int) -> tuple[Instrument, int]:
    """:func:`learner_instrument` and how many of its questions take an answer (their types
    only; not archived), in one statement: the quiz page shows the count."""
    statement = _counted_instrument_of_activity(tuple(answerable_types()))
    found = db.session.execute(statement, {"activity_id": activity_id}).first()
    if found is None or for_trainer(found[0]):
        abort(404)
    return found[0], found[1]


@cache
def _counted_instrument_of_activity(types: tuple[str, ...]) -> sa.Select:
    """The statement for these answerable types (the registry's, the same on every request),
    built once: each type a parameter of its own, not an expanding ``IN`` that SQLAlchemy
    renders again on each execution."""
    count = (
        sa.select(sa.func.count(Question.id))
        .where(
            Question.instrument_id == Instrument.id,
            Question.archived.is_(False),
            sa.or_(sa.false(), *(Question.type == type_ for type_ in types)),
        )
        .correlate(Instrument)
        .scalar_subquery()
    )
    return sa.select(Instrument, count).where(Instrument.activity_id == sa.bindparam("activity_id"))


def for_trainer(instrument: Instrument) -> bool:
    """Whether the instrument is answered by the trainer (their evaluation of the session)."""
    respondent = (instrument.settings or {}).get("respondent")
    return respondent == "trainer" or instrument.purpose in TRAINER_PURPOSES


@dataclass
class Item:
    """One question of an attempt page: its number, anchor and rendered HTML."""

    question: Question
    number: int | None
    html: Markup
    answered: bool
    missing: bool = False

    @property
    def dom_id(self) -> str:
        """Anchor of the question on the page."""
        return f"question-{self.question.id}"


def attempt_items(
    attempt: Attempt, shown: frozenset[str] | None = None, missing: set[int] | None = None
) -> list[Item]:
    """The attempt's questions in its layout order, numbered, rendered with saved responses.

    ``shown`` (review pages only) is what the review options let the reader see; the page is
    then read-only. ``missing`` are the ids of required questions left unanswered.
    """
    answers = {a.question_id: a for a in attempt.answers}
    found, number = [], 0
    for question in layout_questions(attempt):
        number += 1 if answerable(question) else 0
        item = _item(attempt, question, answers.get(question.id), shown, number)
        item.missing = question.id in (missing or set())
        found.append(item)
    return found


def answer_counts(attempt: Attempt) -> tuple[int, int]:
    """How many of the attempt's questions are answered, out of those that take an answer:
    what the confirmation page says, counted as :func:`attempt_items` would number and mark
    them, without rendering a question."""
    responses = {a.question_id: a.response for a in attempt.answers}
    answered = total = 0
    for question in layout_questions(attempt):
        if answerable(question):
            total += 1
            answered += not is_empty(question, responses.get(question.id))
    return answered, total


def _item(attempt: Attempt, question: Question, answer, shown, number: int) -> Item:
    """Render one question of the attempt; text-only blocks get no number."""
    takes_answer = answerable(question)
    response = answer.response if answer is not None else None
    review = None
    if shown is not None and takes_answer:
        review = make_review(question, response, shown, answer)
    number = number if takes_answer else None
    html = render_question(
        question,
        field_name(question),
        response=response,
        readonly=shown is not None,
        review=review,
        options=layout_options(attempt, question),
        number=number,
    )
    return Item(question, number, html, takes_answer and not is_empty(question, response))
