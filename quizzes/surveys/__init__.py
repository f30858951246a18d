"""Survey campaigns (« campagnes d'enquête »): a questionnaire sent to people who are not
enrolled, either to an imported list of recipients (personal links, reminders, expiry,
unsubscribe, all mail through the outbox) or through an anonymous public link with a close date
and a response cap. See docs/surveys.md.

The machinery of the follow-ups is reused, not copied: link secrets
(:mod:`quizzes.campaigns.tokens`), reminder timing (:mod:`quizzes.campaigns.timing`), mail
headers (:mod:`quizzes.campaigns.mailing`), the questionnaire form and the attempt service
(:mod:`quizzes.taking`), the list reader of learners (:mod:`courses.csv_import`), the
questionnaire results (:mod:`quizzes.results`) and the open-data suppression
(:mod:`quizzes.evidence`).

May import: ``lms``, ``courses``, :mod:`quizzes.models`, :mod:`quizzes.taking`,
:mod:`quizzes.results`, :mod:`quizzes.campaigns`, :mod:`quizzes.evidence`. Never
:mod:`quizzes.views` or the demo.
"""

from __future__ import annotations

from datetime import datetime


def tick(now: datetime) -> None:
    """Scheduled work: expire links, queue due reminders, close campaigns past their date."""
    from quizzes.surveys.scheduling import tick as run

    run(now)
