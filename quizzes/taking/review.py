"""What a learner may see of a submitted attempt, per the instrument's review options.

Right after the attempt: ``review_after_attempt``; once the quiz is closed (the run's end date
has come): ``review_after_close`` as well. Nothing before submission.
"""

from __future__ import annotations

from datetime import datetime

from courses.models import CourseRun
from quizzes.models import Attempt, AttemptState
from quizzes.taking.opening import local_today
from quizzes.taking.rules import Rules


def is_closed(run: CourseRun | None, now: datetime | None = None) -> bool:
    """Whether the quiz is closed: the run's end date has come."""
    return run is not None and local_today(now) >= run.ends_on


def review_items(
    attempt: Attempt, rules: Rules, run: CourseRun | None, now: datetime | None = None
) -> frozenset[str]:
    """The review items (score, correctness, feedback, correct_answers) the learner may see."""
    if attempt.state == AttemptState.IN_PROGRESS:
        return frozenset()
    return after_submission(rules, run, now)


def after_submission(
    rules: Rules, run: CourseRun | None, now: datetime | None = None
) -> frozenset[str]:
    """The review items of any submitted attempt at the instrument in ``run``, today."""
    items = rules.review_after_attempt
    if is_closed(run, now):
        items = items | rules.review_after_close
    return items
