"""Signals that cross plugin boundaries (blinker, through Flask's namespace)."""

from blinker import Namespace

_signals = Namespace()

#: Sent when the outbox gives up on a message (permanent failure: bounced address...).
#: ``sender`` is the app; keyword ``message`` is the :class:`~lms.mail.models.OutboxMessage`.
mail_failed = _signals.signal("mail-failed")

#: Sent the first time a learner opens an activity. Keywords: ``enrolment``, ``activity``.
activity_started = _signals.signal("activity-started")

#: Sent when a learner completes an activity. Keywords: ``enrolment``, ``activity``.
activity_completed = _signals.signal("activity-completed")

#: Sent when an enrolment becomes completed. Keyword: ``enrolment``.
enrolment_completed = _signals.signal("enrolment-completed")

#: Sent when a course run's end date has passed (by ``flask lms tick``). Keyword: ``run``.
run_ended = _signals.signal("run-ended")

#: Sent when a learner submits an attempt at an instrument. Keyword: ``attempt``.
attempt_submitted = _signals.signal("attempt-submitted")

#: Sent when a trainer's grading of an answer changed an attempt's score. Keyword: ``attempt``.
attempt_graded = _signals.signal("attempt-graded")
