"""A trainer reviews a run in a real browser: grades an essay from the queue, reads the reports."""

from __future__ import annotations

import os

import sqlalchemy as sa

from lms.db import db
from lms.mail.models import OutboxMessage
from quizzes.models import Answer
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.quizzes.builders import (
    analysis_attempts,
    analysis_quiz,
    cohort,
    make_attempt,
    make_instrument,
)
from tests.quizzes.test_reports import self_assessed  # noqa: F401 - fixture
from tests.quizzes.test_reports_surveys import needs, satisfaction  # noqa: F401 - fixtures

SHOTS = os.environ.get("PARCOURS_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_trainer_grades_an_essay_and_reads_the_reports(server, page, axe, make_user):
    course, run, trainer, enrolments = cohort(make_user, ["Alice", "Bruno", "Chloé", "David"])
    quiz = analysis_quiz(course)
    analysis_attempts(quiz, enrolments)
    exam = make_instrument(
        course,
        "examen",
        [{"key": "projet", "type": "essay", "title": "Votre projet", "max_score": 4}],
        title="Examen final",
    )
    attempt = make_attempt(
        exam, enrolments["Alice"], {"projet": {"response": {"text": "Un portail citoyen."}}}
    )
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, server, trainer.email, TEST_PASSWORD)

    page.goto(f"{server}/formateur/sessions/{run.id}/resultats")
    _shot(page, "results")
    assert axe(page) == []
    page.get_by_role("link", name="Quiz de validation — module 1").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Statistiques par question").is_visible()
    _shot(page, "item-analysis")
    assert axe(page) == []

    page.get_by_role("link", name="À corriger").click()
    page.get_by_role("link", name="Votre projet").click()
    page.wait_for_load_state()
    assert page.get_by_text("Un portail citoyen.").is_visible()
    page.get_by_label("Note", exact=True).fill("3,5")
    page.get_by_label("Commentaire pour l'apprenant").fill("Projet clair, à chiffrer.")
    _shot(page, "attempt-grading")
    assert axe(page) == []
    page.get_by_role("button", name="Enregistrer la note").click()
    page.wait_for_load_state()
    assert page.get_by_text("Note enregistrée").is_visible()
    assert page.get_by_role("heading", name="Modifier la note").is_visible()

    db.session.rollback()  # end this thread's read transaction: see the server's writes
    answer = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == attempt.id))
    assert answer.score == 3.5 and answer.comment == "Projet clair, à chiffrer."
    assert db.session.scalar(sa.select(OutboxMessage.key)) == f"graded:{answer.id}:1"
    page.goto(f"{server}/formateur/sessions/{run.id}/a-corriger")
    assert page.get_by_text("Aucune donnée pour le moment.").is_visible()
    assert not [e for e in errors if "Content Security Policy" in e]


def test_questionnaire_reports_are_accessible(server, page, axe, make_user, request):
    runs = {
        "besoins": request.getfixturevalue("needs")[0],
        "satisfaction": request.getfixturevalue("satisfaction")[0],
        "auto-evaluations": request.getfixturevalue("self_assessed")[0],
    }
    admin = make_user("admin", name="Admin")
    sign_in(page, server, admin.email, TEST_PASSWORD)
    for path, run in runs.items():
        page.goto(f"{server}/formateur/sessions/{run.id}/{path}")
        assert page.locator("h1").is_visible()
        _shot(page, path)
        assert axe(page) == [], path
