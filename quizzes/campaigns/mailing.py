"""The follow-up e-mails: personalised invitation and reminders, unsubscribe headers, previews,
administrator-editable templates, and bounces recorded on the invitation.

Templates live in ``quizzes/templates/quizzes/campaigns/mail/`` (``<name>.subject.txt``,
``<name>.txt``, ``<name>.html`` for ``invitation``, ``reminder`` and ``results``). A file with the
same name in ``<instance>/mail_templates/`` replaces the shipped one (see
docs/followups.md); restart the web server after changing one (``flask lms tick`` reads them at
each run).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask, current_app
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, TemplateNotFound

from courses.models import Course, CourseRun, Enrolment
from lms.db import db, utcnow
from lms.mail import queue_mail, render_mail
from lms.mail.models import OutboxMessage
from lms.models import User
from lms.urls import external_url
from quizzes.campaigns.models import Campaign, FollowUpWave, Invitation, InvitationState
from quizzes.campaigns.tokens import link_token, optout_token
from quizzes.models import Instrument

log = logging.getLogger(__name__)

MAIL_PREFIX = "quizzes/campaigns/mail/"
#: Outbox category of follow-up e-mails (the mail log filters on it).
CATEGORY = "followup"


class MailTemplateOverrides(BaseLoader):
    """Serve ``quizzes/campaigns/mail/<name>`` from ``<folder>/<name>`` when that file exists."""

    def __init__(self, folder: Path) -> None:
        self.files = FileSystemLoader(str(folder))

    def get_source(self, environment, template: str):
        """The overriding file's source, or TemplateNotFound to fall back to the shipped one."""
        if not template.startswith(MAIL_PREFIX):
            raise TemplateNotFound(template)
        return self.files.get_source(environment, template.removeprefix(MAIL_PREFIX))


def install_template_overrides(app: Flask) -> None:
    """Put ``<instance>/mail_templates/`` in front of the app's template loader."""
    folder = Path(app.instance_path) / "mail_templates"
    app.jinja_env.loader = ChoiceLoader([MailTemplateOverrides(folder), app.jinja_env.loader])


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: one-click unsubscribe through ``url``."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def local_date(moment: datetime) -> date:
    """The calendar day of a naive UTC moment in the platform's time zone."""
    zone = ZoneInfo(current_app.config["LMS_TIMEZONE"])
    return moment.replace(tzinfo=UTC).astimezone(zone).date()


@dataclass
class CampaignContext:
    """What every e-mail of a campaign shares (loaded once per campaign)."""

    campaign: Campaign
    wave: FollowUpWave
    run: CourseRun
    course: Course
    instrument: Instrument | None
    trainers: str


def campaign_context(campaign: Campaign) -> CampaignContext:
    """Load the run, course, trainers, wave and questionnaire of a campaign."""
    run = campaign.run
    return CampaignContext(
        campaign=campaign,
        wave=campaign.wave,
        run=run,
        course=run.course,
        instrument=campaign.wave.instrument,
        trainers=", ".join(t.name for t in run.trainers),
    )


def render_invitation(
    user: User, context: CampaignContext, reminder: int, link: str, unsubscribe: str, expires: date
) -> tuple[str, str, str]:
    """(subject, text, html) of an invitation (``reminder`` 0) or of reminder ``reminder``."""
    name = "reminder" if reminder else "invitation"
    return render_mail(
        MAIL_PREFIX + name,
        user.locale,
        user=user,
        course=context.course,
        run=context.run,
        trainers=context.trainers,
        questionnaire=context.instrument,
        months=context.wave.offset_months,
        reminder=reminder,
        link=link,
        unsubscribe_link=unsubscribe,
        expires_on=expires,
    )


def mail_key(invitation_id: int, reminder: int) -> str:
    """Outbox key of an invitation's e-mail: ``followup:<id>:invite`` or ``…:reminder:<n>``."""
    if reminder:
        return f"followup:{invitation_id}:reminder:{reminder}"
    return f"followup:{invitation_id}:invite"


def queue_invitation_mail(
    invitation: Invitation, user: User, context: CampaignContext, reminder: int, now: datetime
) -> OutboxMessage:
    """Queue the invitation (``reminder`` 0) or a reminder, in the current transaction.

    The message is due at ``now`` (the tick's moment, which ``--now`` may move), so the tick
    that queues it also sends it.
    """
    link = external_url("quizzes.followup_link", token=link_token(invitation.nonce))
    unsubscribe = external_url("quizzes.followup_unsubscribe", token=optout_token(user.id))
    subject, text, html = render_invitation(
        user, context, reminder, link, unsubscribe, local_date(invitation.expires_at)
    )
    message = queue_mail(
        mail_key(invitation.id, reminder),
        user.email,
        subject,
        text,
        html,
        to_name=user.name,
        user_id=user.id,
        category=CATEGORY,
        headers=unsubscribe_headers(unsubscribe),
    )
    due_now(message, now)
    return message


def due_now(message: OutboxMessage, now: datetime) -> None:
    """Make a message just queued due at ``now`` (the tick's moment, which ``--now`` may
    move), so that the tick that queues it also sends it."""
    if message.attempts == 0 and message.next_attempt_at > now:
        message.next_attempt_at = now


def sample_person(campaign: Campaign) -> User:
    """Someone to address a preview to: the run's first learner, else a made-up person."""
    user = db.session.scalar(
        sa.select(User)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.run_id == campaign.run_id)
        .order_by(User.name)
        .limit(1)
    )
    return user or User(name="Camille Exemple", email="camille@example.org")


def preview(campaign: Campaign, reminder: int) -> tuple[str, str, str]:
    """The e-mail as a learner would receive it, with a dummy link (nothing is queued)."""
    context = campaign_context(campaign)
    user = sample_person(campaign)
    link = external_url("quizzes.followup_link", token="EXEMPLE")  # noqa: S106 - a dummy link
    unsubscribe = external_url("quizzes.followup_unsubscribe", token="EXEMPLE")  # noqa: S106 - a dummy link
    expires = local_date(utcnow() + timedelta(days=context.wave.expiry_days))
    return render_invitation(user, context, reminder, link, unsubscribe, expires)


def on_mail_failed(sender, message: OutboxMessage, **_extra) -> None:
    """Record a permanent failure (bounced address) on the invitation the e-mail was for."""
    parts = (message.key or "").split(":")
    if len(parts) < 3 or parts[0] != "followup" or not parts[1].isdigit():
        return
    invitation = db.session.get(Invitation, int(parts[1]))
    if invitation is None or invitation.state == InvitationState.ANSWERED:
        return
    invitation.state = InvitationState.FAILED
    invitation.failed_at = utcnow()
    invitation.failure_reason = message.last_error
    invitation.next_reminder_at = None
    log.info("follow-up invitation %s failed: %s", invitation.id, message.last_error)
