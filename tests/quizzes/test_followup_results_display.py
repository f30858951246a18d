"""Follow-up results as an administrator reads them: questions headed by a name a person can
read (never the slug of a .survey file) and how the answers arrived (e-mailed link or phone)."""

from __future__ import annotations

import sqlalchemy as sa

from lms.db import db
from quizzes.models import Channel, Question
from tests.quizzes.builders import make_attempt
from tests.quizzes.campaign_builders import followup_setup, wave


def _answer(instrument, enrolment, channel: str):
    attempt = make_attempt(
        instrument,
        enrolment,
        {"applique": {"response": {"choice": "yes"}, "choices": ["yes"], "value": 1.0}},
    )
    attempt.channel = channel
    db.session.commit()


def test_questions_are_not_headed_by_slugs_and_channels_are_shown(app, client, login, make_user):
    run, plan, enrolments = followup_setup(learners=3)
    instrument = wave(plan, 6).instrument
    db.session.execute(sa.update(Question).values(title=None))  # what a .survey import stores
    db.session.commit()
    _answer(instrument, enrolments[0], Channel.EMAIL_LINK)
    _answer(instrument, enrolments[1], Channel.PHONE)
    _answer(instrument, enrolments[2], Channel.PHONE)
    login(make_user("admin"))
    for url in (
        f"/admin/suivi/sessions/{run.id}/reponses",
        f"/admin/suivi/formations/{run.course_id}/reponses",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "applique</h3>" not in page and "frequence</h3>" not in page
        assert "Question 1</h3>" in page and "Question 2</h3>" in page
        assert "1 réponse par le lien de l'e-mail" in page
        assert "2 réponses saisies lors d’un appel téléphonique" in page
