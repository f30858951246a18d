"""The free texts of one questionnaire in a run, one page at a time (:mod:`lms.pagination`).

A questionnaire's distributions and means do not grow with the run, its free texts do: the
trainer's page lists them 50 at a time, searched, filtered by question and sorted in SQL (the
text is read from the answer's JSON by the database), with a count per question of the whole
run. Exports do not use this: they list every text (:mod:`quizzes.results.questionnaires`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import sqlalchemy as sa

from lms.db import db
from lms.models import User
from lms.pagination import Listing, Page, paginate, search
from quizzes.models import Answer, Attempt, Instrument, Question
from quizzes.results import reports

#: Types whose answers are free text (``other`` texts of single/multiple too).
TEXTS = ("text", "essay", "short_answer")
NAMED_SORTS = ("name", "email", "question")
ANONYMOUS_SORTS = ("text", "question")


def text_questions(questions: list[Question]) -> list[int]:
    """Ids of the questions answered with a free text (text types, options with « Autre »)."""
    return [q.id for q in questions if q.type in TEXTS or (q.settings or {}).get("other")]


def text_column() -> sa.ColumnElement:
    """The answer's free text in SQL: ``response.text`` of text questions, else
    ``response.other`` (the « Autre » of a choice question). Needs ``Question`` joined."""
    return sa.case(
        (Question.type.in_(TEXTS), Answer.response["text"].as_string()),
        else_=Answer.response["other"].as_string(),
    )


def listing(
    args: Mapping[str, str], question_ids: list[int], named: bool, instrument_ids=()
) -> Listing:
    """What the trainer asked of the free texts (query string: page, q, question, sort, and
    ``questionnaire`` on a page of several questionnaires)."""
    sorts = NAMED_SORTS if named else ANONYMOUS_SORTS
    filters = {"question": question_ids}
    if instrument_ids:
        filters["questionnaire"] = instrument_ids
    return Listing.from_args(args, sorts, sorts[0], filters)


def _query(attempt_ids, question_ids: list[int]) -> sa.Select:
    text = text_column()
    return (
        sa.select(
            Answer.id,
            Answer.question_id,
            User.name,
            User.email,
            User.organisation,
            text.label("text"),
        )
        .join(Question, Question.id == Answer.question_id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .where(Answer.attempt_id.in_(attempt_ids), Answer.question_id.in_(question_ids))
        .where(sa.func.trim(text) != "")
    )


def counts(attempt_ids, question_ids: list[int]) -> dict[int, int]:
    """{question_id: non-empty free texts} over the finished attempts (one grouped query)."""
    if not question_ids:
        return {}
    text = text_column()
    rows = db.session.execute(
        sa.select(Answer.question_id, sa.func.count())
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.attempt_id.in_(attempt_ids), Answer.question_id.in_(question_ids))
        .where(sa.func.trim(text) != "")
        .group_by(Answer.question_id)
    ).all()
    return dict(rows)


def page(attempt_ids, question_ids: list[int], chosen: Listing, named: bool) -> Page:
    """One page of (answer id, question id, name, email, organisation, text) rows.

    Anonymous questionnaires are searched and sorted by the text only (a search by name would
    tell who wrote what)."""
    query = _query(attempt_ids, question_ids)
    if "question" in chosen.filters:
        query = query.where(Answer.question_id == int(chosen.filters["question"]))
    text = text_column()
    found = search(chosen.q, *((User.name, User.email, User.organisation) if named else (text,)))
    if found is not None:
        query = query.where(found)
    columns = {
        "name": [User.name, User.id, Question.position, Answer.id],
        "email": [User.email, User.id, Question.position, Answer.id],
        "question": [Question.position, sa.func.lower(text), Answer.id],
        "text": [sa.func.lower(text), Answer.id],
    }
    return paginate(
        query, chosen, chosen.order_by(columns), fetch=lambda s: db.session.execute(s).all()
    )


@dataclass
class TextsView:
    """What a page shows of the free texts of one of its questionnaires, a page at a time."""

    instrument: Instrument
    listing: Listing
    texts: Page
    questions: list[Question]

    def url(self, instrument_id: int, question_id: int) -> str:
        """The page with the free texts of one question of one questionnaire."""
        return self.listing.url(
            questionnaire=instrument_id if "questionnaire" in self.listing.filters else None,
            question=question_id,
            page=None,
        )


def texts_view(args, results: list, run_id: int, named: bool) -> TextsView | None:
    """The free texts of the questionnaire asked for (``?questionnaire=``; the first with free
    texts by default) among ``results`` (:class:`~quizzes.results.questionnaires.InstrumentResult`
    of a page of several questionnaires); None when none has a free-text question."""
    with_texts: dict[int, list[Question]] = {}
    for result in results:
        questions = [item.question for item in result.questions]
        keep = set(text_questions(questions))
        with_texts[result.instrument.id] = [q for q in questions if q.id in keep]
    ids = [iid for iid, questions in with_texts.items() if questions]
    if not ids:
        return None
    asked = args.get("questionnaire", "")
    chosen_id = int(asked) if asked.isdigit() and int(asked) in ids else ids[0]
    questions = with_texts[chosen_id]
    several = [str(i) for i in ids] if len(ids) > 1 else ()
    chosen = listing(args, [q.id for q in questions], named, several)
    if several:  # which questionnaire stays in every link (search, sort, pages)
        chosen = replace(chosen, filters={**chosen.filters, "questionnaire": str(chosen_id)})
    instrument = next(r.instrument for r in results if r.instrument.id == chosen_id)
    attempts = reports.finished_attempt_ids(chosen_id, run_id)
    found = page(attempts, [q.id for q in questions], chosen, named)
    return TextsView(instrument, chosen, found, questions)
