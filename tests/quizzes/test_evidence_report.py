"""The session report: every figure of a hand-computed session, on the page and in the PDF."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from lms.db import db
from quizzes.evidence.models import ReportComment
from tests.conftest import csrf_token
from tests.factories import enrol
from tests.lms.test_translations import fresh_locale  # noqa: F401 - fixture
from tests.quizzes.builders import learner, make_attempt
from tests.quizzes.evidence_data import scale, session


@pytest.fixture
def reported(app, make_user):
    return session(make_user)


def _text(html: str) -> str:
    """The page's text, tags removed and spaces normalised (narrow no-break spaces too)."""
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def test_report_gives_every_figure_of_the_session(reported, client, login):
    run, trainer, _made = reported
    login(trainer)
    response = client.get(f"/formateur/sessions/{run.id}/rapport")
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    assert "Inscrits 5 100 %" in text
    assert "Ont commencé 4 80 %" in text
    assert "Ont terminé 3 60 %" in text
    # relation: pre (1.5 + 3 + 2) / 3, post (4.5 + 4) / 2; open data: (2 + 4 + 1) / 3, (3 + 4) / 2
    assert "Relation aux usagers 2,17 4,25 2,08 3 / 2" in text
    assert "Open data 2,33 3,50 1,17 3 / 2" in text
    assert "Examen final 3 2 67 %" in text
    assert "Taux de réponse : 60 % (3 sur 5 inscrits)" in text
    assert "Part de réponses satisfaites (haut de l’échelle) : 67 %" in text
    assert "Score de recommandation (NPS) : 33" in text
    assert "Contenus 3 moyenne : 3,67" in text
    assert "Groupe très impliqué" in text  # the trainers' evaluation
    assert "Suivi à 6 mois" in text
    assert "Taux de réponse : 67 % (2 réponses sur 3 personnes invitées)" in text
    assert "Mise en pratique 2 oui : 50 %" in text
    assert "Produit le" in text and "Sources" in text
    assert "Niveau déclaré 1 moyenne : 2,00" in text  # needs


def test_comments_appear_only_once_selected(reported, client, login):
    run, trainer, _made = reported
    login(trainer)
    page = client.get(f"/formateur/sessions/{run.id}/rapport").get_data(as_text=True)
    assert "Excellente formation" not in page and "Rythme trop dense" not in page
    form = client.get(f"/formateur/sessions/{run.id}/rapport/commentaires").get_data(as_text=True)
    ids = {
        text.strip(): int(i)
        for i, text in re.findall(
            r'value="(\d+)" id="c\d+">\s*<label[^>]*><span[^>]*>[^<]*</span>([^<]*)</label>', form
        )
    }
    assert set(ids) == {
        "Excellente formation, très concrète",
        "Rythme trop dense",
        "Je voudrais plus d'exemples".replace("'", "&#39;"),
    }
    token = csrf_token(client, f"/formateur/sessions/{run.id}/rapport/commentaires")
    response = client.post(
        f"/formateur/sessions/{run.id}/rapport/commentaires",
        data={"csrf_token": token, "answer": [ids["Rythme trop dense"], 999999]},
        follow_redirects=True,
    )
    text = _text(response.get_data(as_text=True))
    assert "Commentaires retenus pour le rapport : 1." in text
    assert "« Rythme trop dense »" in text
    assert "Excellente formation" not in text
    assert db.session.query(ReportComment).count() == 1
    client.post(f"/formateur/sessions/{run.id}/rapport/commentaires", data={"csrf_token": token})
    assert db.session.query(ReportComment).count() == 0


def test_comment_selection_needs_csrf(reported, client, login):
    run, trainer, _made = reported
    login(trainer)
    response = client.post(f"/formateur/sessions/{run.id}/rapport/commentaires", data={})
    assert response.status_code == 400
    assert db.session.query(ReportComment).count() == 0


def test_pdf_is_a_real_pdf_with_the_figures(reported, client, login):
    run, trainer, _made = reported
    login(trainer)
    response = client.get(f"/formateur/sessions/{run.id}/rapport?format=pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert f"rapport-session-{run.id}.pdf" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(
        " ".join(page.extract_text().replace("\u202f", " ").replace("\xa0", " ").split())
        for page in reader.pages
    )
    assert "Rapport de session" in text
    assert "Relation aux usagers" in text and "2,17" in text and "4,25" in text
    assert "Examen final" in text and "67 %" in text
    assert "NPS" in text and "33" in text
    assert "Suivi à 6 mois" in text


def test_course_report_over_a_period_adds_up_sessions(reported, client, login, make_user):
    run, _trainer, made = reported
    other = type(run)(
        course_id=run.course_id, title="Session 2", starts_on=run.starts_on, ends_on=run.ends_on
    )
    db.session.add(other)
    db.session.commit()
    gaelle = enrol(other, learner("Gaëlle"))
    make_attempt(made["exam"], gaelle, {"q1": {"score": 1}})
    admin = make_user("admin")
    login(admin)
    day = run.ends_on.isoformat()
    url = f"/admin/formations/{run.course_id}/rapport?du={day}&au={day}"
    text = _text(client.get(url).get_data(as_text=True))
    assert "2 sessions" in text
    assert "Inscrits 6" in text
    assert "Examen final 4 3 75 %" in text
    bad = client.get(f"/admin/formations/{run.course_id}/rapport?du=2024-13-01&au={day}")
    assert bad.status_code == 400
    assert "Période invalide" in bad.get_data(as_text=True)
    assert client.get(url + "&format=pdf").data.startswith(b"%PDF-")


def test_course_report_queries_do_not_grow_with_sessions(
    reported, client, login, make_user, count_queries
):
    run, _trainer, made = reported
    login(make_user("admin"))
    day = run.ends_on.isoformat()
    url = f"/admin/formations/{run.course_id}/rapport?du={day}&au={day}"
    client.get(url)
    with count_queries() as one:
        assert client.get(url).status_code == 200
    for n in range(3):
        other = type(run)(
            course_id=run.course_id, title=f"S{n}", starts_on=run.starts_on, ends_on=run.ends_on
        )
        db.session.add(other)
        db.session.commit()
        person = enrol(other, learner(f"Personne {n}"))
        make_attempt(made["satisfaction"], person, {"contenus": scale(4)})
    client.get(url)
    with count_queries() as four:
        text = _text(client.get(url).get_data(as_text=True))
    assert "4 sessions" in text
    assert four.count == one.count


def test_report_queries_do_not_grow_with_learners(reported, client, login, count_queries):
    run, trainer, made = reported
    login(trainer)
    url = f"/formateur/sessions/{run.id}/rapport"
    client.get(url)
    with count_queries() as before:
        assert client.get(url).status_code == 200
    for n in range(6):
        enrolment = enrol(run, learner(f"Nouveau {n}"))
        make_attempt(made["exam"], enrolment, {"q1": {"score": 1}})
        make_attempt(made["pre"], enrolment, {"r1": scale(3), "o1": scale(2)})
        make_attempt(made["satisfaction"], enrolment, {"contenus": scale(4)})
    client.get(url)
    with count_queries() as after:
        assert client.get(url).status_code == 200
    assert after.count == before.count


def test_trainer_of_another_session_and_learners_get_nothing(reported, client, login, make_user):
    run, _trainer, _made = reported
    login(make_user("trainer"))
    assert client.get(f"/formateur/sessions/{run.id}/rapport").status_code == 403
    assert client.get(f"/formateur/sessions/{run.id}/rapport?format=pdf").status_code == 403
    assert client.get(f"/admin/formations/{run.course_id}/rapport").status_code == 403


@pytest.mark.usefixtures("fresh_locale")
def test_report_reads_in_english(reported, client, login):
    run, trainer, _made = reported
    login(trainer)
    path = f"/formateur/sessions/{run.id}/rapport"
    client.post(
        "/langue",
        data={"lang": "en", "next": path, "csrf_token": csrf_token(client, path)},
    )
    text = _text(client.get(path).get_data(as_text=True))
    assert "Session report" in text and "Level at entry and progress per objective" in text
    assert "Response rate: 60% (3 out of 5 enrolled)" in text
