"""Satisfaction comments of the session report: a trainer or administrator picks which free-text
answers appear in it (none by default); the others stay on the satisfaction page only."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lms.db import db
from quizzes.evidence.models import ReportComment
from quizzes.models import Answer, Attempt, Instrument, Purpose, Question
from quizzes.results.questionnaires import TEXTS
from quizzes.results.reports import FINISHED


@dataclass
class Candidate:
    """A free-text satisfaction answer that may go in the report."""

    answer_id: int
    instrument_id: int
    question: str
    text: str
    selected: bool


def _text(response) -> str:
    value = response.get("text") if isinstance(response, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _free_texts(run_ids: list[int]):
    """Select of the satisfaction free-text answers of the runs, with their selection."""
    return (
        sa.select(
            Answer.id,
            Instrument.id.label("instrument_id"),
            sa.func.coalesce(Question.title, Question.key).label("question"),
            Answer.response,
            ReportComment.id.label("selected"),
        )
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Instrument, Instrument.id == Attempt.instrument_id)
        .outerjoin(ReportComment, ReportComment.answer_id == Answer.id)
        .where(
            Attempt.run_id.in_(run_ids),
            Attempt.state.in_(FINISHED),
            Instrument.purpose == Purpose.SATISFACTION,
            Question.type.in_(TEXTS),
        )
        .order_by(Question.position, Answer.id)
    )


def candidates(run_id: int) -> list[Candidate]:
    """Every non-empty satisfaction comment of the run, selected or not (one query)."""
    found = []
    for row in db.session.execute(_free_texts([run_id])):
        text = _text(row.response)
        if text:
            found.append(
                Candidate(row.id, row.instrument_id, row.question, text, row.selected is not None)
            )
    return found


def selected_comments(run_ids: list[int]) -> list[tuple[int, str]]:
    """(instrument_id, text) of the comments selected for the runs' reports, alphabetical."""
    if not run_ids:
        return []
    query = _free_texts(run_ids).where(ReportComment.id.is_not(None))
    found = [(row.instrument_id, _text(row.response)) for row in db.session.execute(query)]
    return sorted((c for c in found if c[1]), key=lambda c: c[1].casefold())


def save_selection(run_id: int, answer_ids: set[int], user_id: int) -> int:
    """Keep exactly ``answer_ids`` (those that are comments of the run) selected; return how
    many are selected. Flushes; the view commits."""
    known = {c.answer_id: c for c in candidates(run_id)}
    wanted = {i for i in answer_ids if i in known}
    db.session.execute(
        sa.delete(ReportComment).where(
            ReportComment.run_id == run_id, ReportComment.answer_id.not_in(wanted or {0})
        )
    )
    for answer_id in sorted(wanted):
        if not known[answer_id].selected:
            db.session.add(
                ReportComment(run_id=run_id, answer_id=answer_id, selected_by_id=user_id)
            )
    db.session.flush()
    return len(wanted)
