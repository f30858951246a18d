"""Taking a quiz in a real browser: autosave, reload in the middle, submit; the countdown."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from lms.db import db, utcnow
from quizzes.models import Attempt, AttemptState
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.quizzes.taking_data import FEEDBACK_TEXTS, add_quiz, setup_course


@pytest.fixture
def data(app, make_user):
    return setup_course(make_user)


def open_quiz(page, server, data, quiz):
    """Sign in, open the quiz page and press « Commencer »."""
    sign_in(page, server, data.learner.email, TEST_PASSWORD)
    page.goto(f"{server}/parcours/sessions/{data.run.id}/evaluations/{quiz.activity_id}")
    page.get_by_role("button", name="Commencer").click()
    page.wait_for_url(re.compile(r"/parcours/tentatives/\d+$"))


def test_answers_autosave_survive_a_reload_and_are_submitted(server, page, data, axe):
    quiz = add_quiz(data.course, review_after_attempt="score,feedback")
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    open_quiz(page, server, data, quiz)
    assert axe(page) == []
    page.get_by_label("Paris").check()
    page.get_by_text("Réponses enregistrées.").wait_for()
    page.get_by_label("Votre réponse (un nombre)").fill("4217")
    page.get_by_label("Votre réponse (un nombre)").blur()
    page.wait_for_timeout(400)
    page.get_by_text("Réponses enregistrées.").wait_for()
    page.reload()
    assert page.get_by_label("Paris").is_checked()
    assert page.get_by_label("Votre réponse (un nombre)").input_value() == "4217"
    page.get_by_role("button", name="Terminer et envoyer").click()
    page.get_by_role("heading", name="Envoyer vos réponses ?").wait_for()
    page.get_by_role("button", name="Envoyer définitivement").click()
    page.wait_for_url(re.compile(r"/resultat$"))
    body = page.content()
    assert "2,00 / 6,00" in body and FEEDBACK_TEXTS[0] in body
    assert not [e for e in errors if "Content Security Policy" in e]


def test_countdown_submits_when_time_is_up(server, page, data):
    quiz = add_quiz(data.course, time_limit=5)
    open_quiz(page, server, data, quiz)
    assert page.locator("#countdown .countdown-value").inner_text().startswith("Temps restant")
    db.session.rollback()
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.deadline_at = utcnow() + timedelta(seconds=3)
    db.session.commit()
    page.reload()
    page.get_by_label("Votre réponse (un nombre)").fill("4217")
    page.wait_for_url(re.compile(r"/resultat$"), timeout=20_000)
    db.session.rollback()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == AttemptState.NEEDS_GRADING  # the essay waits; the rest is graded
    assert attempt.score == 1.0
