"""Invitation e-mails for many learners at once, rendered once per language and case.

Rendering the three invitation templates for each of 5,000 learners costs seconds; the texts only
differ by the greeting name and the link. So the templates are rendered once per (language,
needs a password) with placeholders, and each message fills them in: as is in the subject and
text, HTML-escaped in the HTML part. The result is the same as ``render_mail`` per learner
(asserted by the tests).
"""

from __future__ import annotations

from markupsafe import escape

from courses.enrolments import INVITE_LIFETIME
from courses.models import CourseRun
from lms.mail import render_mail
from lms.urls import external_url

_NAME = "\ue000name\ue001"
_TOKEN = "LINK0placeholder0LINK"  # noqa: S105 - replaced by each learner's token


class _Someone:
    """Stands for the learner while the templates are rendered."""

    name = greeting_name = _NAME


class InvitationRenderer:
    """Builds the outbox message of each learner invited to ``run``."""

    def __init__(self, run: CourseRun) -> None:
        self.run = run
        self.trainers = ", ".join(t.name for t in run.trainers)
        self.link = external_url("courses.accept_invitation", token=_TOKEN)
        self._texts: dict[tuple[str | None, bool], tuple[str, str, str]] = {}

    def texts(self, locale: str | None, needs_password: bool) -> tuple[str, str, str]:
        """(subject, text, html) with placeholders, rendered once per language and case."""
        key = (locale, needs_password)
        if key not in self._texts:
            self._texts[key] = render_mail(
                "courses/mail/invitation",
                locale,
                user=_Someone(),
                run=self.run,
                course=self.run.course,
                trainers=self.trainers,
                link=self.link,
                valid_days=INVITE_LIFETIME.days,
                needs_password=needs_password,
            )
        return self._texts[key]

    def message(self, invitee, raw_token: str) -> dict:
        """The outbox fields (see ``lms.mail.queue_many``) of one invitation."""
        user, row = invitee.user, invitee.row
        if user is None:
            locale, needs_password, email, name = None, True, row.email, row.name
            greeting = row.first_name or row.name
        else:
            locale, needs_password = user.locale, user.password_hash is None
            email, name, greeting = user.email, user.name, user.greeting_name
        subject, text, html = self.texts(locale, needs_password)
        return {
            "key": f"invite:{invitee.enrolment_id}:{invitee.count}",
            "to_addr": email,
            "to_name": name,
            "user_id": invitee.user_id,
            "category": "invitation",
            "subject": _fill(subject, greeting, raw_token),
            "body_text": _fill(text, greeting, raw_token),
            "body_html": _fill(html, str(escape(greeting)), raw_token),
        }


def _fill(template: str, name: str, token: str) -> str:
    return template.replace(_NAME, name).replace(_TOKEN, token)
