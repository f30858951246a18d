"""Manual grading of essays by a trainer: score, comment, new attempt total, e-mail to the learner.

:func:`grade_answer` flushes; the view commits (the e-mail leaves with the grade or not at all).
"""

from __future__ import annotations

import math

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.db import db, utcnow
from lms.mail import queue_mail, render_mail
from lms.mail.models import OutboxMessage
from lms.models import User
from lms.signals import attempt_graded
from lms.urls import external_url
from quizzes.models import Answer, AttemptState
from quizzes.taking.scoring import recompute

#: Question types a trainer grades by hand.
MANUAL_TYPES = ("essay",)


class GradingError(ValueError):
    """The grade cannot be recorded; ``message`` says why (translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_score(text: str | None) -> float | None:
    """A score typed by a person (« 7,5 » or « 7.5 »); None when it is not a number."""
    try:
        value = float((text or "").strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def check_gradable(answer: Answer) -> None:
    """Raise :class:`GradingError` unless ``answer`` is a submitted answer graded by hand."""
    if answer.question.type not in MANUAL_TYPES:
        raise GradingError(_("Cette question est corrigée automatiquement."))
    if answer.attempt.state == AttemptState.IN_PROGRESS:
        raise GradingError(_("Cette tentative n'a pas encore été envoyée."))


def grade_answer(answer: Answer, score: float, comment: str, grader: User) -> None:
    """Record ``score`` (0..max of the question) and ``comment`` on ``answer``.

    Recomputes the attempt's total, state and passed flag (which completes the activity when
    it is now passed), and queues the e-mail telling the learner. Flushes; the caller commits.
    """
    check_gradable(answer)
    top = answer.question.max_score or 0.0
    if not 0 <= score <= top:
        raise GradingError(_("La note doit être comprise entre 0 et %(max)s.", max=f"{top:g}"))
    answer.score = float(score)
    answer.comment = (comment or "").strip() or None
    answer.graded_by_id = grader.id
    answer.graded_at = utcnow()
    db.session.flush()
    recompute(answer.attempt)
    notify_learner(answer)
    attempt_graded.send(current_app._get_current_object(), attempt=answer.attempt)


def _review_link(attempt_id: int) -> str:
    return external_url("quizzes.review", attempt_id=attempt_id)


def notify_learner(answer: Answer) -> OutboxMessage:
    """Queue the « your answer was graded » e-mail; key ``graded:<answer id>:<n>``.

    ``n`` counts the gradings of this answer, so a second grading sends a second e-mail and
    the same grading is never queued twice.
    """
    attempt = answer.attempt
    user = db.session.get(User, attempt.user_id)
    previous = db.session.scalar(
        sa.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.key.like(f"graded:{answer.id}:%")
        )
    )
    subject, text, html = render_mail(
        "quizzes/mail/graded",
        user.locale,
        user=user,
        answer=answer,
        question=answer.question,
        attempt=attempt,
        instrument=attempt.instrument,
        link=_review_link(attempt.id),
    )
    return queue_mail(
        f"graded:{answer.id}:{(previous or 0) + 1}",
        user.email,
        subject,
        text,
        html,
        to_name=user.name,
        user_id=user.id,
        category="grading",
    )
