"""Follow-up campaigns ("évaluations à froid" at 6 and 12 months): plans, invitations by e-mail
with reminders, answers by personal link or by phone, campaign pages, and the "droit de suite".

The plugin wires :func:`setup` (mail template overrides, bounce handling) and :func:`tick`
(scheduled work of ``flask lms tick``). See docs/followups.md.

May import: ``lms``, ``courses``, :mod:`quizzes.models`, :mod:`quizzes.taking`,
:mod:`quizzes.results`. Never :mod:`quizzes.views` or the demo.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def setup(app: Flask) -> None:
    """Let ``<instance>/mail_templates/`` override the e-mails; record bounces on invitations."""
    from lms.signals import mail_failed
    from quizzes.campaigns.mailing import install_template_overrides, on_mail_failed

    install_template_overrides(app)
    mail_failed.connect(on_mail_failed)


def tick(now: datetime) -> None:
    """Scheduled work: expire links, send the waves that are due, queue due reminders."""
    from quizzes.campaigns.scheduling import tick as run

    run(now)
