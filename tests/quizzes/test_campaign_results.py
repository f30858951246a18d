"""Follow-up answers per run and per course, and the "droit de suite": the thank-you e-mail with
the satisfaction results (aggregates only, sent once, after the questionnaire closes)."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.db import db, utcnow
from lms.mail.models import OutboxMessage
from quizzes.campaigns.models import ResultsReport
from quizzes.taking.opening import local_today
from tests.conftest import csrf_token
from tests.factories import enrol, make_run
from tests.quizzes.builders import make_attempt, make_instrument, option_settings
from tests.quizzes.campaign_builders import followup_setup, wave


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin", name="Claire Admin")
    login(user)
    return user


def _answer_followup(plan, months: int, enrolment, applique: str, text: str):
    instrument = wave(plan, months).instrument
    make_attempt(
        instrument,
        enrolment,
        {
            "applique": {
                "response": {"choice": applique},
                "choices": [applique],
                "value": 1.0 if applique == "yes" else 0.0,
            },
            "frequence": {"response": {"choice": "3"}, "choices": ["3"], "value": 3.0},
            "commentaire": {"response": {"text": text}},
        },
    )


def test_followup_answers_per_run_and_per_course(app, client, admin, make_user):
    run, plan, enrolments = followup_setup(learners=2)
    _answer_followup(plan, 6, enrolments[0], "yes", "Nous avons ouvert un portail.")
    _answer_followup(plan, 6, enrolments[1], "no", "Pas de budget cette année.")
    other_run = make_run(run.course, title="Autre session")
    person = make_user("learner", name="Quelqu'un d'autre")
    _answer_followup(
        plan, 6, enrol(other_run, person, status="completed"), "yes", "Un jeu de données publié."
    )

    page = client.get(f"/admin/suivi/sessions/{run.id}/reponses").get_data(as_text=True)
    assert "2 répondants" in page
    assert "Nous avons ouvert un portail." in page and "Pas de budget cette année." in page
    assert "Un jeu de données publié." not in page
    assert "Stagiaire 0" not in page and "Stagiaire 1" not in page  # anonymous
    assert '<table class="data free-texts">' in page  # a page at a time, searched by text
    assert "Voir les 2 réponses libres" in page
    found = client.get(f"/admin/suivi/sessions/{run.id}/reponses?q=budget").get_data(as_text=True)
    assert "Pas de budget cette année." in found and "Nous avons ouvert un portail." not in found

    course = client.get(f"/admin/suivi/formations/{run.course_id}/reponses").get_data(as_text=True)
    assert "3 répondants" in course and "Un jeu de données publié." in course
    assert "Moyenne : 3,00 (3 réponses)" in course


def _satisfaction(run, enrolments, notes: list[int]) -> None:
    instrument = make_instrument(
        run.course,
        "satisfaction",
        [
            {
                "key": "note",
                "type": "scale",
                "settings": option_settings(*[(str(i), f"Niveau {i}") for i in range(1, 6)]),
                "stem": "<p>Êtes-vous satisfait de la formation ?</p>",
            },
            {"key": "remarques", "type": "text", "stem": "<p>Remarques</p>"},
        ],
        kind="questionnaire",
        purpose="satisfaction",
        settings={},
    )
    for enrolment, note in zip(enrolments, notes, strict=False):
        make_attempt(
            instrument,
            enrolment,
            {
                "note": {
                    "response": {"choice": str(note)},
                    "choices": [str(note)],
                    "value": float(note),
                },
                "remarques": {"response": {"text": f"Confidentiel de {enrolment.user.name}"}},
            },
        )


def test_results_mail_is_previewed_then_sent_once_with_aggregates_only(app, client, admin):
    ended = local_today(utcnow()) - timedelta(days=20)
    run, _plan, enrolments = followup_setup(learners=3, ends_on=ended)
    _satisfaction(run, enrolments, [5, 4, 3])
    path = f"/admin/suivi/sessions/{run.id}/droit-de-suite"

    page = client.get(path).get_data(as_text=True)
    assert "Êtes-vous satisfait de la formation ?" in page and "Moyenne : 4,0" in page
    assert "Confidentiel" not in page
    assert client.post(path, data={"csrf_token": csrf_token(client, path)}).status_code == 303
    messages = list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.to_addr)))
    assert [m.to_addr for m in messages] == [e.user.email for e in enrolments]
    assert all(
        "Moyenne : 4,0" in m.body_text and "Confidentiel" not in m.body_text for m in messages
    )
    assert all("Confidentiel" not in (m.body_html or "") for m in messages)
    assert messages[0].headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(list((Path(app.instance_path) / "mail").glob("*.eml"))) == 3

    client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 3
    assert db.session.scalar(sa.select(ResultsReport.recipients)) == 3
    assert "E-mail envoyé le" in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize(
    ("days_ago", "notes", "reason"),
    [(5, [5, 4, 3], "encore ouvert"), (20, [5, 4], "Moins de 3 participants ont répondu")],
)
def test_results_mail_waits_for_the_close_and_enough_answers(
    app, client, admin, days_ago, notes, reason
):
    run, _plan, enrolments = followup_setup(
        learners=3, ends_on=local_today(utcnow()) - timedelta(days=days_ago)
    )
    _satisfaction(run, enrolments, notes)
    path = f"/admin/suivi/sessions/{run.id}/droit-de-suite"
    assert reason in client.get(path).get_data(as_text=True)
    client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0
