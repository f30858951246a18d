"""Every trainer page of the quizzes plugin: the run's trainers and admins only.

Anonymous visitors are sent to the login page; learners, and trainers of other runs, get 403
(exports included: no file leaks); unknown runs and foreign quizzes give 404.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.db import db
from quizzes.models import Answer
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run
from tests.quizzes.builders import (
    analysis_quiz,
    cohort,
    make_attempt,
    make_instrument,
    sign_out,
)


@pytest.fixture
def world(app, make_user):
    course, run, trainer, enrolments = cohort(make_user, ["Alice"])
    quiz = analysis_quiz(course)
    essay = make_instrument(course, "exam", [{"key": "e", "type": "essay", "max_score": 4}])
    attempt = make_attempt(quiz, enrolments["Alice"], {"q1": {"score": 1, "choices": ["a"]}})
    essay_attempt = make_attempt(essay, enrolments["Alice"], {"e": {"response": {"text": "Texte"}}})
    other_trainer = make_user("trainer", name="Autre Formateur")
    other_run = make_run(course, trainers=[other_trainer], title="Autre session")
    learner = make_user("learner", name="Léa Apprenante")
    enrol(run, learner)
    answer = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == essay_attempt.id))
    urls = [
        f"/formateur/sessions/{run.id}/resultats",
        f"/formateur/sessions/{run.id}/resultats?format=csv",
        f"/formateur/sessions/{run.id}/a-corriger",
        f"/formateur/sessions/{run.id}/besoins?format=xlsx",
        f"/formateur/sessions/{run.id}/besoins",
        f"/formateur/sessions/{run.id}/auto-evaluations",
        f"/formateur/sessions/{run.id}/satisfaction",
        f"/formateur/sessions/{run.id}/evaluation-formateur",
        f"/formateur/sessions/{run.id}/quiz/{quiz.id}/analyse",
        f"/formateur/tentatives/{attempt.id}",
        f"/formateur/tentatives/{essay_attempt.id}",
    ]
    return {
        "run": run,
        "other_run": other_run,
        "quiz": quiz,
        "trainer": trainer,
        "other_trainer": other_trainer,
        "learner": learner,
        "answer": answer,
        "urls": urls,
    }


def test_anonymous_visitors_are_sent_to_login(world, client):
    for url in world["urls"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/compte/connexion" in response.headers["Location"]
    response = client.post(f"/formateur/reponses/{world['answer'].id}/noter")
    assert response.status_code in (302, 400)


@pytest.mark.parametrize("who", ["learner", "other_trainer"])
def test_learners_and_other_trainers_get_403(world, client, login, who):
    login(world[who])
    for url in world["urls"]:
        assert client.get(url).status_code == 403, url
    answer = world["answer"]
    token = csrf_token(client, "/parcours" if who == "learner" else "/formateur/sessions")
    response = client.post(
        f"/formateur/reponses/{answer.id}/noter",
        data={f"a{answer.id}-csrf_token": token, f"a{answer.id}-score": "4"},
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).score is None


def test_run_trainer_and_admin_see_every_page(world, client, login, make_user):
    login(world["trainer"])
    for url in world["urls"]:
        assert client.get(url).status_code == 200, url
    sign_out(client)
    login(make_user("admin"))
    for url in world["urls"]:
        assert client.get(url).status_code == 200, url


def test_unknown_run_and_foreign_quiz_give_404(world, client, login):
    login(world["other_trainer"])
    other = world["other_run"]
    assert client.get("/formateur/sessions/999999/resultats").status_code == 404
    assert client.get("/formateur/tentatives/999999").status_code == 404
    foreign_run = make_run(make_course("autre"), trainers=[world["other_trainer"]])
    foreign = f"/formateur/sessions/{foreign_run.id}/quiz/{world['quiz'].id}/analyse"
    assert client.get(foreign).status_code == 404
    # The trainer of the other run of the same course sees that run's results, not the first's.
    assert client.get(f"/formateur/sessions/{other.id}/resultats").status_code == 200
    assert "Alice" not in client.get(f"/formateur/sessions/{other.id}/resultats").get_data(
        as_text=True
    )
