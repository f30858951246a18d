"""Builders of the survey campaign tests: a catalogue questionnaire, a campaign made through the
real admin form, and the links found in the e-mails."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from lms.db import db
from quizzes.models import Question
from quizzes.surveys.models import SurveyCampaign
from tests.conftest import csrf_token
from tests.factories import make_course
from tests.quizzes.builders import make_instrument, option_settings

LINK = re.compile(r"http://localhost/enquete/([A-Za-z0-9_-]{20,})")
UNSUBSCRIBE = re.compile(r"http://localhost/enquete-desinscription/([A-Za-z0-9_.-]+)")
PUBLIC = re.compile(r"http://localhost/enquete-publique/([A-Za-z0-9_-]{20,})")

QUESTIONS = [
    {"key": "usage", "type": "yesno", "required": True, "stem": "<p>Utilisez-vous un outil ?</p>"},
    {
        "key": "frequence",
        "type": "scale",
        "settings": option_settings(("1", "Jamais"), ("2", "Parfois"), ("3", "Souvent")),
        "stem": "<p>À quelle fréquence ?</p>",
    },
    {"key": "commentaire", "type": "text", "stem": "<p>Vos commentaires.</p>"},
]


def barometer():
    """A questionnaire of the catalogue (yes/no required, scale, free text)."""
    course = make_course("observatoire", modules=1, activities=1)
    return make_instrument(
        course,
        "barometre",
        QUESTIONS,
        kind="questionnaire",
        purpose="survey",
        title="Baromètre test",
        settings={},
    )


def create_campaign(client, instrument, mode: str = "list", **extra) -> SurveyCampaign:
    """Create a campaign through the admin form (the client is signed in as an admin)."""
    today = date.today()
    data = {
        "title": extra.pop("title", f"Enquête {mode}"),
        "instrument_id": str(instrument.id),
        "mode": mode,
        "opens_on": (today - timedelta(days=1)).isoformat(),
        "closes_on": extra.pop("closes_on", (today + timedelta(days=30)).isoformat()),
        "max_responses": extra.pop("max_responses", ""),
        "first_reminder_days": "7",
        "reminder_interval_days": "7",
        "max_reminders": "2",
        "expiry_days": "20",
        "csrf_token": csrf_token(client, "/admin/enquetes/nouvelle"),
        **extra,
    }
    response = client.post("/admin/enquetes/nouvelle", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.expire_all()
    return db.session.scalars(sa.select(SurveyCampaign).order_by(SurveyCampaign.id.desc())).first()


def fields(instrument) -> dict[str, str]:
    """Form field name of each question, by key."""
    query = sa.select(Question).where(Question.instrument_id == instrument.id)
    return {q.key: f"q{q.id}" for q in db.session.scalars(query)}


def answer(instrument, usage: str = "yes", frequence: str = "3", text: str = "") -> dict:
    """The form data of a complete answer, sent."""
    names = fields(instrument)
    return {
        names["usage"]: usage,
        names["frequence"]: frequence,
        names["commentaire"]: text,
        "action": "submit",
    }


def links(messages, pattern=LINK) -> list[str]:
    """Tokens found in the text bodies of ``messages``."""
    found = []
    for message in messages:
        body = message.get_body(("plain",)).get_content()
        found += pattern.findall(body)
    return found
