"""The e-mails of a list campaign: the invitation and its reminders, with the personal link and
a one-click unsubscribe (headers of :mod:`quizzes.campaigns.mailing`), queued in the outbox
with the keys ``survey:<recipient id>:invite`` and ``survey:<recipient id>:reminder:<n>``."""

from __future__ import annotations

from datetime import datetime

from lms.db import db, utcnow
from lms.mail import queue_mail, render_mail
from lms.mail.models import OutboxMessage
from lms.urls import external_url
from quizzes.campaigns.mailing import due_now, local_date, unsubscribe_headers
from quizzes.campaigns.tokens import link_token, optout_token
from quizzes.surveys.models import Respondent, RespondentState, SurveyCampaign

#: Outbox category of survey e-mails (the mail log filters on it).
CATEGORY = "survey"
#: Salt of the unsubscribe tokens (a recipient's id), distinct from the follow-ups'.
OPTOUT_SALT = "parcours-survey-optout"


def mail_key(respondent_id: int, reminder: int) -> str:
    """Outbox key of a recipient's e-mail."""
    if reminder:
        return f"survey:{respondent_id}:reminder:{reminder}"
    return f"survey:{respondent_id}:invite"


def queue_invitation(
    respondent: Respondent, campaign: SurveyCampaign, reminder: int, now: datetime
) -> OutboxMessage:
    """Queue the invitation (``reminder`` 0) or reminder ``reminder`` in this transaction."""
    link = external_url("quizzes.survey_link", token=link_token(respondent.nonce))
    unsubscribe = external_url(
        "quizzes.survey_unsubscribe", token=optout_token(respondent.id, OPTOUT_SALT)
    )
    subject, text, html = render_mail(
        "quizzes/surveys/mail/invitation",
        None,
        name=respondent.name,
        campaign=campaign,
        questionnaire=campaign.instrument,
        reminder=reminder,
        link=link,
        unsubscribe_link=unsubscribe,
        expires_on=local_date(respondent.expires_at),
    )
    message = queue_mail(
        mail_key(respondent.id, reminder),
        respondent.email,
        subject,
        text,
        html,
        to_name=respondent.name,
        category=CATEGORY,
        headers=unsubscribe_headers(unsubscribe),
    )
    due_now(message, now)
    return message


def on_mail_failed(sender, message: OutboxMessage, **_extra) -> None:
    """Record a permanent failure (bounced address) on the recipient the e-mail was for."""
    parts = (message.key or "").split(":")
    if len(parts) < 3 or parts[0] != "survey" or not parts[1].isdigit():
        return
    respondent = db.session.get(Respondent, int(parts[1]))
    if respondent is None or respondent.state == RespondentState.ANSWERED:
        return
    respondent.state = RespondentState.FAILED
    respondent.failed_at = utcnow()
    respondent.next_reminder_at = None
