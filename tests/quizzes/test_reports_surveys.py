"""Questionnaire reports: needs (named, before the run starts), satisfaction (anonymous, NPS),
and the trainer's own evaluation of the session."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.db import db
from quizzes.models import Attempt, AttemptState, Instrument
from tests.factories import enrol, make_run
from tests.quizzes.builders import (
    cohort,
    learner,
    make_attempt,
    make_instrument,
    option_settings,
    sign_out,
)
from tests.quizzes.test_questionnaire_results import free_texts


@pytest.fixture
def needs(app, make_user):
    course, _run, trainer, _enrolments = cohort(make_user, [], key="besoins")
    run = make_run(
        course,
        trainers=[trainer],
        title="Session d'automne",
        starts_on=date.today() + timedelta(days=20),
    )
    enrolments = {n: enrol(run, learner(n)) for n in ("Alice", "Bruno", "Chloé")}
    survey = make_instrument(
        course,
        "besoins",
        [
            {
                "key": "format",
                "type": "single",
                "title": "Format préféré",
                "settings": option_settings(
                    ("presentiel", "Présentiel"), ("distanciel", "Classe virtuelle")
                )
                | {"other": True},
            },
            {"key": "attentes", "type": "text", "title": "Vos attentes"},
            {
                "key": "niveau",
                "type": "scale",
                "title": "Niveau",
                "settings": option_settings(*[(str(v), f"niveau {v}") for v in range(1, 6)]),
            },
        ],
        kind="questionnaire",
        purpose="needs",
        title="Questionnaire pédagogique",
    )
    answers = {
        "Alice": {
            "format": {"choices": ["presentiel"]},
            "attentes": {"response": {"text": "Mieux utiliser les réseaux sociaux"}},
            "niveau": {"choices": ["2"], "value": 2},
        },
        "Bruno": {
            "format": {"choices": ["distanciel"]},
            "attentes": {"response": {"text": "Ouvrir nos données"}},
            "niveau": {"choices": ["4"], "value": 4},
        },
        "Chloé": {
            "format": {"choices": ["_other"], "response": {"choice": "_other", "other": "Hybride"}}
        },
    }
    for name, spec in answers.items():
        make_attempt(survey, enrolments[name], spec)
    return run, trainer


def test_needs_page_names_who_needs_what_before_the_run(needs, client, login):
    run, trainer = needs
    login(trainer)
    response = client.get(f"/formateur/sessions/{run.id}/besoins")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Questionnaire pédagogique" in html and "3 répondants" in html
    assert re.search(r"Présentiel</th>\s*<td class=\"num\">1</td>", html)
    assert re.search(r"Autre \(précisez\)</th>\s*<td class=\"num\">1</td>", html)
    texts = {(who, text) for who, _question, text in free_texts(html)}
    assert ("Alice", "Mieux utiliser les réseaux sociaux") in texts
    assert ("Bruno", "Ouvrir nos données") in texts
    assert ("Chloé", "Hybride") in texts
    assert "Moyenne : 3,00 (2 réponses)" in html


@pytest.fixture
def satisfaction(app, make_user):
    course, run, trainer, enrolments = cohort(
        make_user, ["Alice", "Bruno", "Chloé", "David"], "satis"
    )
    survey = make_instrument(
        course,
        "satisfaction",
        [
            {"key": "reco", "type": "score", "title": "Recommandation"},
            {"key": "utile", "type": "yesno", "title": "Utile"},
            {"key": "commentaire", "type": "text", "title": "Commentaires"},
        ],
        kind="questionnaire",
        purpose="satisfaction",
        title="Évaluation à chaud",
    )
    rows = [
        ("Alice", 10, "yes", "Zèbre final"),
        ("Bruno", 9, "yes", "Accueil parfait"),
        ("Chloé", 7, "no", None),
        ("David", 3, None, None),
    ]
    for name, score, useful, text in rows:
        spec = {"reco": {"value": score, "response": {"value": score}}}
        if useful:
            spec["utile"] = {"value": 1.0 if useful == "yes" else 0.0, "choices": [useful]}
        if text:
            spec["commentaire"] = {"response": {"text": text}}
        make_attempt(survey, enrolments[name], spec)
    return run, trainer


def test_satisfaction_gives_means_nps_and_anonymous_comments(satisfaction, client, login):
    run, trainer = satisfaction
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}/satisfaction").get_data(as_text=True)
    assert "Moyenne : 7,25 (4 réponses)" in html
    # 2 promoters (9-10), 1 passive (7-8), 1 detractor (0-6): (2 - 1) / 4 = 25.
    assert "Score de recommandation (NPS) : 25" in html
    assert "2 promoteurs (9–10), 1 neutres (7–8), 1 détracteurs (0–6)" in html
    assert re.search(r"Oui</th>\s*<td class=\"num\">2</td>\s*<td class=\"num\">67", html)
    assert html.index("Accueil parfait") < html.index("Zèbre final")  # sorted, not by learner
    for name in ("Alice", "Bruno", "Chloé", "David"):
        assert name not in html


def test_satisfaction_export_has_no_names_either(satisfaction, client, login):
    run, trainer = satisfaction
    login(trainer)
    text = client.get(f"/formateur/sessions/{run.id}/satisfaction?format=csv").data.decode(
        "utf-8-sig"
    )
    assert "Accueil parfait" in text and "Recommandation;score;4;7,25;25" in text
    assert "Alice" not in text


@pytest.fixture
def review(app, make_user):
    course, run, trainer, _enrolments = cohort(make_user, ["Alice"])
    make_instrument(
        course,
        "evaluation-formateur",
        [
            {
                "key": "deroulement",
                "type": "scale",
                "title": "Déroulement",
                "required": True,
                "settings": option_settings(*[(str(v), f"niveau {v}") for v in range(1, 6)]),
            },
            {"key": "remarques", "type": "text", "title": "Remarques"},
        ],
        kind="questionnaire",
        purpose="trainer_review",
        title="Évaluation de la session par le formateur",
        settings={"respondent": "trainer"},
    )
    return run, trainer


def _token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_trainer_fills_in_and_sends_their_evaluation(review, client, login, make_user):
    run, trainer = review
    url = f"/formateur/sessions/{run.id}/evaluation-formateur"
    login(trainer)
    assert "Remplir mon évaluation" in client.get(url).get_data(as_text=True)
    assert (
        client.post(url, data={"csrf_token": _token(client, url), "action": "start"}).status_code
        == 303
    )
    attempt = db.session.scalar(sa.select(Attempt))
    assert attempt.user_id == trainer.id and attempt.run_id == run.id
    ids = {q.key: q.id for q in attempt.instrument.questions}
    missing = client.post(
        url,
        data={
            "csrf_token": _token(client, url),
            "action": "submit",
            f"q{ids['remarques']}": "Groupe motivé",
        },
    )
    assert missing.status_code == 400
    assert "Il manque des réponses obligatoires" in missing.get_data(as_text=True)
    sent = client.post(
        url,
        data={
            "csrf_token": _token(client, url),
            "action": "submit",
            f"q{ids['deroulement']}": "4",
            f"q{ids['remarques']}": "Groupe motivé",
        },
    )
    assert sent.status_code == 303
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == AttemptState.SUBMITTED
    assert sorted(a.value for a in attempt.answers if a.value is not None) == [4.0]
    page = client.get(url).get_data(as_text=True)
    assert "Évaluation envoyée le" in page and "Groupe motivé" in page


def test_admin_reads_trainers_reviews_other_trainers_do_not(review, client, login, make_user):
    run, trainer = review
    colleague = make_user("trainer", name="Gaspard Collègue")
    run.trainers.append(colleague)
    db.session.commit()
    survey = db.session.scalar(sa.select(Instrument).where(Instrument.purpose == "trainer_review"))
    make_attempt(
        survey,
        None,
        {
            "deroulement": {"value": 5, "choices": ["5"], "response": {"choice": "5"}},
            "remarques": {"response": {"text": "Très bonne dynamique"}},
        },
        user=trainer,
        run=run,
    )
    login(colleague)
    assert "Très bonne dynamique" not in client.get(
        f"/formateur/sessions/{run.id}/evaluation-formateur"
    ).get_data(as_text=True)
    sign_out(client)
    login(make_user("admin"))
    html = client.get(f"/formateur/sessions/{run.id}/evaluation-formateur").get_data(as_text=True)
    assert trainer.name in html and "Très bonne dynamique" in html
    assert "Remplir mon évaluation" not in html  # an admin not assigned to the run reads only
