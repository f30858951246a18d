"""The score of an attempt: each answer graded by its question type, the attempt's total,
maximum, pass/fail and state, and the activity completed when the rules say so.

:func:`grade_answers` runs at submission; :func:`recompute` runs then and again after a trainer
grades an essay (:mod:`quizzes.taking.grading`). Both flush; the view commits.
"""

from __future__ import annotations

import sqlalchemy as sa

from courses.models import Activity, Enrolment
from courses.progress import complete_activity
from lms.db import db
from quizzes.models import (
    Answer,
    AnswerChoice,
    Attempt,
    AttemptState,
    Instrument,
    InstrumentKind,
    Purpose,
)
from quizzes.taking.layout import answerable, graded, handler, layout_questions
from quizzes.taking.rules import Rules


def grade_answers(attempt: Attempt, questions: list | None = None) -> dict[int, float | None]:
    """Grade every answerable question; unanswered ones get an empty answer (item analysis).
    Return the score of each (by question id), as :func:`recompute` takes them.

    ``questions``: the attempt's :func:`layout_questions` if the caller has them already. The
    empty answers are inserted in one statement with their grades (the ORM inserts rows whose
    ids it needs one at a time on SQLite: a quiz sent without answers cost one per question).
    """
    existing = {a.question_id: a for a in attempt.answers}
    grades, empty = [], []
    scores: dict[int, float | None] = {}
    for question in layout_questions(attempt) if questions is None else questions:
        if not answerable(question):
            continue
        answer = existing.get(question.id)
        response = (answer.response or {}) if answer is not None else {}
        grade = handler(question, "grade")(question, response)
        scores[question.id] = _number(grade.score)
        if answer is None:
            empty.append((question, grade))
            continue
        answer.score = _number(grade.score)
        answer.value = _number(grade.value)
        grades.append((question.id, answer.id, grade))
    db.session.flush()
    if empty:
        rows = db.session.execute(
            sa.insert(Answer).returning(Answer.id, Answer.question_id),
            [
                {
                    "attempt_id": attempt.id,
                    "question_id": question.id,
                    "response": {},
                    "score": _number(grade.score),
                    "value": _number(grade.value),
                }
                for question, grade in empty
            ],
        )
        ids = {question_id: answer_id for answer_id, question_id in rows}
        grades += [(q.id, ids[q.id], grade) for q, grade in empty]
        db.session.expire(attempt, ["answers"])  # read again with the new rows when asked
    choices = [
        {"answer_id": answer_id, "choice_key": key, "question_id": question_id}
        for question_id, answer_id, grade in grades
        for key in dict.fromkeys(str(k) for k in grade.choice_keys or ())
    ]
    if choices:
        db.session.execute(sa.insert(AnswerChoice), choices)
    return scores


def _number(value) -> float | None:
    return None if value is None else float(value)


def recompute(
    attempt: Attempt, questions: list | None = None, scores: dict[int, float | None] | None = None
) -> None:
    """Set the attempt's score, maximum, passed and state from its answers; complete the
    activity when the rules say so. Call it again after a trainer grades an essay.

    ``questions``: the attempt's :func:`layout_questions` if the caller has them already;
    ``scores``: its answers' scores by question id if the caller has just set them
    (:func:`grade_answers`), else they are read. What is read comes first, so that the
    changes are flushed in one UPDATE (a lazy load flushes).
    """
    instrument = attempt.instrument
    laid_out = layout_questions(attempt) if questions is None else questions
    questions = [q for q in laid_out if graded(q)]
    if scores is None:
        scores = {a.question_id: a.score for a in attempt.answers}
    pending = any(scores.get(q.id) is None for q in questions)
    attempt.max_score = float(sum(q.max_score for q in questions))
    attempt.score = float(sum(scores.get(q.id) or 0.0 for q in questions))
    if pending:
        attempt.state = AttemptState.NEEDS_GRADING
    elif attempt.state in (AttemptState.NEEDS_GRADING, AttemptState.GRADED):
        attempt.state = AttemptState.GRADED
    else:
        attempt.state = AttemptState.SUBMITTED
    rules = Rules.of(instrument)
    if not rules.is_quiz or pending:
        attempt.passed = None
    else:
        ratio = attempt.score / attempt.max_score if attempt.max_score else 1.0
        attempt.passed = ratio * 100 >= rules.pass_mark - 1e-9
    db.session.flush()
    _complete(attempt, instrument)


def _complete(attempt: Attempt, instrument: Instrument) -> None:
    """Feed the learner's progress: a validation quiz counts once passed, the rest once sent."""
    if attempt.enrolment_id is None or instrument.activity_id is None:
        return
    closes_module = (
        instrument.kind == InstrumentKind.QUIZ and instrument.purpose == Purpose.VALIDATION
    )
    if closes_module and not attempt.passed:
        return
    enrolment = db.session.get(Enrolment, attempt.enrolment_id)
    activity = db.session.get(Activity, instrument.activity_id)
    if enrolment is not None and activity is not None:
        complete_activity(enrolment, activity, when=attempt.submitted_at)


def percent(attempt: Attempt) -> float | None:
    """The attempt's score as a share of its maximum (0..1), None before grading."""
    if attempt.score is None or not attempt.max_score:
        return None
    return attempt.score / attempt.max_score
