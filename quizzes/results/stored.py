"""Item analysis stored per (run, quiz): computed once after its attempts change, then read.

The figures of an item analysis are aggregates over every first attempt of the run; with
5,000 learners they take seconds. They are stored (:class:`quizzes.models.StoredAnalysis`)
with a **version**: the number of finished attempts, the last submission time, the sum of
their scores, the highest attempt id, how many wait for grading, and the analysed questions.
Submitting, grading, regrading or deleting an attempt, or re-importing the quiz, changes it;
the page then computes the figures again and stores them (a short write transaction). A page
whose version matches reads them: two small queries, whatever the size of the run.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lms.db import begin_write, db, utcnow
from quizzes.models import Attempt, AttemptState, Instrument, StoredAnalysis
from quizzes.results import graphs, item_analysis, reports


def version_query(instrument_id: int, run_id: int) -> sa.Select:
    """The aggregate the version is made of; answered from the attempts' covering index
    ``ix_attempts_run_instrument_state`` without reading the table."""
    return sa.select(
        sa.func.count(Attempt.id),
        sa.func.max(Attempt.submitted_at),
        sa.func.sum(Attempt.score),
        sa.func.max(Attempt.id),
        sa.func.sum(sa.case((Attempt.state == AttemptState.NEEDS_GRADING, 1), else_=0)),
    ).where(
        Attempt.instrument_id == instrument_id,
        Attempt.run_id == run_id,
        Attempt.state.in_(reports.FINISHED),
    )


def version(instrument: Instrument, run_id: int, questions: list) -> str:
    """What the stored figures depend on, in one aggregate over the run's attempts."""
    row = db.session.execute(version_query(instrument.id, run_id)).one()
    count, last, total, highest, waiting = row
    shape = ",".join(f"{q.id}:{q.max_score:g}:{q.type}" for q in questions)
    digest = hashlib.sha256(shape.encode()).hexdigest()[:16]
    parts = (count, last.isoformat() if last else "", round(total or 0, 6), highest, waiting)
    return "|".join(str(p) for p in parts) + "|" + digest


def _store(instrument: Instrument, run_id: int, key: str, data: dict) -> None:
    """Keep the figures (insert or replace), in a short write transaction of its own."""
    begin_write()
    found = db.session.scalar(
        sa.select(StoredAnalysis).where(
            StoredAnalysis.run_id == run_id, StoredAnalysis.instrument_id == instrument.id
        )
    )
    try:
        with db.session.begin_nested():
            if found is None:
                found = StoredAnalysis(run_id=run_id, instrument_id=instrument.id)
                db.session.add(found)
            found.version, found.data, found.computed_at = key, data, utcnow()
    except IntegrityError:  # another request stored the same figures first
        pass
    db.session.commit()


def figures(instrument: Instrument, run_id: int, questions: list | None = None) -> dict:
    """The analysis figures and first-attempt scores: stored ones when still current, else
    computed now and stored. ``questions``: the quiz's analysed questions, when read already."""
    if questions is None:
        questions = item_analysis.analysed_questions(instrument)
    key = version(instrument, run_id, questions)
    stored = db.session.execute(
        sa.select(StoredAnalysis.version, StoredAnalysis.data).where(
            StoredAnalysis.run_id == run_id, StoredAnalysis.instrument_id == instrument.id
        )
    ).first()
    if stored is not None and stored.version == key and "score_counts" in stored.data:
        return stored.data
    data = item_analysis.figures(instrument, run_id, questions)
    data["score_counts"] = graphs.score_counts(graphs.first_scores(instrument.id, run_id))
    _store(instrument, run_id, key, data)
    return data


def analysis(instrument: Instrument, run_id: int) -> tuple[int, list, list]:
    """(first attempts, statistics per question, first-attempt scores in % as (score, people)
    pairs) of a quiz."""
    questions = item_analysis.analysed_questions(instrument)
    data = figures(instrument, run_id, questions)
    attempts, stats = item_analysis.analyse(instrument, run_id, data, questions)
    return attempts, stats, [tuple(pair) for pair in data["score_counts"]]
