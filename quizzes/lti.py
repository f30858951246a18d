"""Scores of submitted quizzes handed to LTI platforms' gradebooks (AGS).

When a learner who came through an LTI link submits a quiz of that session, and again when a
trainer's grading changes its score, the score is queued by
:func:`courses.lti.ags.queue_score` in the same transaction; ``flask lms tick`` posts it.
Quizzes may import courses; courses never imports quizzes.
"""

from __future__ import annotations

from courses.lti.ags import queue_score
from lms.db import utcnow
from lms.signals import attempt_graded, attempt_submitted
from quizzes.models import AttemptState


def on_submitted(sender, attempt, **extra) -> None:
    """Queue the score of a submitted quiz attempt for the session's LTI links."""
    _queue(attempt, attempt.submitted_at, None)


def on_graded(sender, attempt, **extra) -> None:
    """Queue the new score of an attempt a trainer graded (sent again, with a later time)."""
    now = utcnow()
    _queue(attempt, now, now.isoformat(timespec="microseconds"))


def _queue(attempt, when, revision: str | None) -> None:
    instrument = attempt.instrument
    if (
        instrument.kind != "quiz"
        or attempt.run_id is None
        or instrument.activity_id is None
        or attempt.score is None
        or not attempt.max_score
    ):
        return
    queue_score(
        {
            "id": attempt.id,
            "user_id": attempt.user_id,
            "run_id": attempt.run_id,
            "activity_id": instrument.activity_id,
            "title": instrument.title,
            "score": attempt.score,
            "max_score": attempt.max_score,
            "final": attempt.state != AttemptState.NEEDS_GRADING,
            "exam": instrument.purpose == "exam",
            "when": when,
            "revision": revision,
        }
    )


def setup(app) -> None:
    """Connect the handler."""
    attempt_submitted.connect(on_submitted)
    attempt_graded.connect(on_graded)
