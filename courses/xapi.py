"""xAPI statements of the courses plugin: an activity launched (first opened) and completed.

Activities shown on a page of another plugin (quizzes) are left to that plugin, which knows
the score.
"""

from __future__ import annotations

from lms.plugins import get_registry
from lms.signals import activity_completed, activity_started
from lms.xapi.queue import activity_id, enabled, queue_statement


def _ours(activity) -> bool:
    kind = get_registry().activity_kinds.get(activity.kind)
    return kind is None or not kind.endpoint or kind.endpoint == "courses.activity"


def _object(activity) -> dict:
    course_key = activity.module.course.key
    return {
        "id": activity_id(course_key, activity.key),
        "definition": {
            "name": {"fr": activity.title},
            "type": "http://adlnet.gov/expapi/activities/lesson",
        },
    }


def _queue(verb: str, enrolment, activity) -> None:
    if not enabled() or not _ours(activity):
        return
    queue_statement(
        f"{verb}:{enrolment.id}:{activity.id}",
        enrolment.user,
        verb,
        _object(activity),
        run_id=enrolment.run_id,
    )


def on_started(sender, enrolment, activity, **extra) -> None:
    """``launched``: the learner opened the activity for the first time."""
    _queue("launched", enrolment, activity)


def on_completed(sender, enrolment, activity, **extra) -> None:
    """``completed``: the learner completed the activity."""
    _queue("completed", enrolment, activity)


def setup(app) -> None:
    """Connect the handlers (blinker keeps one connection per function)."""
    activity_started.connect(on_started)
    activity_completed.connect(on_completed)
