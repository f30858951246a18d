"""Retention: ``flask lms tick`` anonymises people inactive for the configured period."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.db import db, utcnow
from lms.models import Erasure, User
from quizzes.evidence.retention import anonymise_inactive
from tests.quizzes.builders import cohort, make_attempt, make_instrument
from tests.quizzes.evidence_data import SCALE


def _age(user, enrolment, attempt, days: int) -> None:
    then = utcnow() - timedelta(days=days)
    user.created_at = then
    user.last_login_at = None
    enrolment.completed_at = then
    enrolment.last_seen_at = then
    attempt.submitted_at = then
    db.session.commit()


@pytest.fixture
def people(app, make_user):
    course, _run, _trainer, enrolments = cohort(make_user, ["Ancienne", "Récente"], key="ret")
    survey = make_instrument(
        course,
        "avis",
        [{"key": "note", "type": "scale", "settings": SCALE}],
        kind="questionnaire",
        purpose="satisfaction",
    )
    for name, days in (("Ancienne", 4 * 365), ("Récente", 2 * 365)):
        attempt = make_attempt(survey, enrolments[name], {"note": {"value": 4, "choices": ["4"]}})
        _age(enrolments[name].user, enrolments[name], attempt, days)
    return enrolments


def test_tick_anonymises_people_inactive_for_three_years(people, app):
    result = app.test_cli_runner().invoke(args=["lms", "tick"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    old = db.session.get(User, people["Ancienne"].user_id)
    recent = db.session.get(User, people["Récente"].user_id)
    assert old.name != "Ancienne" and old.email.endswith("@efface.invalid")
    assert recent.name == "Récente"
    record = db.session.scalar(sa.select(Erasure))
    assert record.user_id == old.id and record.reason == "retention"
    assert anonymise_inactive(utcnow()) == 0  # done once


def test_a_recent_follow_up_keeps_a_person(people, app):
    from quizzes.campaigns.models import Invitation
    from tests.quizzes.evidence_data import invite_people

    survey = db.session.scalar(sa.select(Invitation))
    assert survey is None
    course_instrument = make_instrument(
        people["Ancienne"].run.course,
        "suivi",
        [{"key": "applique", "type": "yesno"}],
        kind="questionnaire",
        purpose="followup_6m",
    )
    invite_people(course_instrument, people["Ancienne"].run, people, {"Ancienne": None})
    db.session.execute(sa.update(Invitation).values(sent_at=utcnow() - timedelta(days=300)))
    db.session.commit()
    assert anonymise_inactive(utcnow()) == 0


def test_retention_can_be_turned_off(people, app):
    app.config["LMS_RETENTION_DAYS"] = 0
    assert anonymise_inactive(utcnow()) == 0
    app.config["LMS_RETENTION_DAYS"] = 365
    assert anonymise_inactive(utcnow()) == 2
