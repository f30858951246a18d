"""xAPI statements of the quizzes plugin.

A quiz: ``attempted`` when an attempt starts; ``answered`` per question, ``completed`` with its
score, then ``passed`` or ``failed`` when it is submitted (once graded). A self-assessment:
``completed``. A follow-up questionnaire: ``responded``; other questionnaires: ``completed``.
"""

from __future__ import annotations

from courses.models import Course
from lms.db import db
from lms.models import Role, User
from lms.signals import attempt_submitted
from lms.xapi.queue import activity_id, enabled, queue_statement

ACTIVITY_TYPES = {
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "self_assessment": "http://adlnet.gov/expapi/activities/assessment",
    "questionnaire": "http://adlnet.gov/expapi/activities/survey",
}


def _object(instrument) -> dict:
    course = db.session.get(Course, instrument.course_id) if instrument.course_id else None
    return {
        "id": activity_id(course.key if course else "instruments", instrument.key),
        "definition": {
            "name": {"fr": instrument.title},
            "type": ACTIVITY_TYPES.get(instrument.kind, ACTIVITY_TYPES["quiz"]),
        },
    }


def _result(attempt) -> dict | None:
    if attempt.score is None or not attempt.max_score:
        return {"completion": True}
    result = {
        "completion": True,
        "score": {
            "raw": attempt.score,
            "min": 0,
            "max": attempt.max_score,
            "scaled": round(attempt.score / attempt.max_score, 4),
        },
    }
    if attempt.passed is not None:
        result["success"] = attempt.passed
    return result


def on_started(attempt) -> None:
    """``attempted``: a learner started an attempt at a quiz (called by the taking room)."""
    if not enabled() or attempt.instrument.kind != "quiz":
        return
    user = db.session.get(User, attempt.user_id)
    key = f"attempted:{attempt.id}"
    obj = _object(attempt.instrument)
    queue_statement(key, user, "attempted", obj, run_id=attempt.run_id, when=attempt.started_at)


def _verbs(attempt) -> list[str]:
    instrument = attempt.instrument
    if instrument.kind == "quiz":
        verdict = {True: ["passed"], False: ["failed"], None: []}[attempt.passed]
        return ["completed", *verdict]
    if instrument.kind == "questionnaire" and instrument.purpose.startswith("followup"):
        return ["responded"]
    return ["completed"]


def _answered(attempt, user, obj: dict) -> None:
    """``answered``: one statement per answered question of a quiz, with its score."""
    for answer in attempt.answers:
        question = answer.question
        result = {"response": str(answer.response)[:500]}
        if answer.score is not None and question.max_score:
            result["score"] = {"raw": answer.score, "min": 0, "max": question.max_score}
            result["success"] = answer.score >= question.max_score
        question_obj = {
            "id": f"{obj['id']}/{question.key}",
            "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction"},
        }
        queue_statement(
            f"answered:{attempt.id}:{question.id}",
            user,
            "answered",
            question_obj,
            run_id=attempt.run_id,
            result=result,
            when=attempt.submitted_at,
        )


def on_submitted(sender, attempt, **extra) -> None:
    """Statements of a submitted attempt, with its score."""
    if not enabled():
        return
    user = db.session.get(User, attempt.user_id)
    if user is None or user.role == Role.RESPONDENT:  # anonymous survey answers: no statement
        return
    obj, result = _object(attempt.instrument), _result(attempt)
    if attempt.instrument.kind == "quiz":
        _answered(attempt, user, obj)
    for verb in _verbs(attempt):
        queue_statement(
            f"{verb}:{attempt.id}",
            user,
            verb,
            obj,
            run_id=attempt.run_id,
            result=result,
            when=attempt.submitted_at,
        )


def setup(app) -> None:
    """Connect the handlers."""
    attempt_submitted.connect(on_submitted)
