"""Survey campaigns, administrator's side: creating one (list or public link), its page with
figures, importing recipients with the learners' reader (all or nothing, errors by line and
column), pause / resume / close, and the list page's queries."""

from __future__ import annotations

import io

import sqlalchemy as sa

from lms.db import db
from lms.models import User
from quizzes.surveys.models import Respondent, SurveyCampaign, SurveyOptOut
from tests.conftest import csrf_token
from tests.quizzes.survey_builders import barometer, create_campaign


def _admin(make_user, login):
    admin = make_user("admin")
    login(admin)
    return admin


def _upload(client, campaign, content: bytes, name: str = "liste.csv"):
    path = f"/admin/enquetes/{campaign.id}"
    return client.post(
        f"{path}/destinataires",
        data={"file": (io.BytesIO(content), name), "csrf_token": csrf_token(client, path)},
        content_type="multipart/form-data",
    )


def test_creating_a_campaign_gives_it_an_anonymous_account_that_cannot_sign_in(
    client, make_user, login
):
    _admin(make_user, login)
    instrument = barometer()
    campaign = create_campaign(client, instrument, "public", title="Baromètre 2026")
    owner = db.session.get(User, campaign.owner_id)
    assert owner.role == "respondent" and not owner.active and owner.password_hash is None
    assert owner.email.endswith(".invalid")
    page = client.get(f"/admin/enquetes/{campaign.id}").get_data(as_text=True)
    assert "Baromètre 2026" in page and "Lien public" in page
    assert "/enquete-publique/" in page
    # the account is not listed among people
    users = client.get("/admin/utilisateurs").get_data(as_text=True)
    assert owner.email not in users
    listing = client.get("/admin/enquetes").get_data(as_text=True)
    assert "Baromètre 2026" in listing


def test_a_wrong_form_is_shown_again_with_its_errors(client, make_user, login):
    _admin(make_user, login)
    instrument = barometer()
    response = client.post(
        "/admin/enquetes/nouvelle",
        data={
            "title": "",
            "instrument_id": str(instrument.id),
            "mode": "list",
            "opens_on": "2026-12-10",
            "closes_on": "2026-12-01",
            "first_reminder_days": "7",
            "reminder_interval_days": "7",
            "max_reminders": "2",
            "expiry_days": "20",
            "csrf_token": csrf_token(client, "/admin/enquetes/nouvelle"),
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "La clôture ne peut pas précéder l'ouverture." in page
    assert 'id="title-error"' in page
    assert db.session.scalar(sa.select(sa.func.count(SurveyCampaign.id))) == 0


def test_a_list_with_a_wrong_line_imports_nobody(client, make_user, login):
    _admin(make_user, login)
    campaign = create_campaign(client, barometer())
    content = "Nom;Prénom;E-mail\nMartin;Anne;anne@example.org\nDurand;Paul;pas-une-adresse\n"
    response = _upload(client, campaign, content.encode("cp1252"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ligne 3" in page and "aucun destinataire n'a été ajouté" in page
    assert db.session.scalar(sa.select(sa.func.count(Respondent.id))) == 0


def test_a_good_list_invites_everyone_through_the_outbox(client, make_user, login, app):
    _admin(make_user, login)
    campaign = create_campaign(client, barometer())
    db.session.add(SurveyOptOut(email="refus@example.org"))
    db.session.commit()
    content = (
        "Prénom,Nom,Adresse e-mail\r\nAnne,Martin,anne@example.org\r\n"
        "Paul,Durand,paul@example.org\r\nRené,Refus,refus@example.org\r\n"
    )
    response = _upload(client, campaign, content.encode("utf-8-sig"))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 destinataires ajoutés" in page and "1 désinscrit" in page
    respondents = list(db.session.scalars(sa.select(Respondent).order_by(Respondent.email)))
    assert [(r.email, r.state) for r in respondents] == [
        ("anne@example.org", "invited"),
        ("paul@example.org", "invited"),
    ]
    assert all(r.token_hash and len(r.token_hash) == 64 for r in respondents)
    # respondents are neither accounts nor enrolled
    assert db.session.scalar(sa.select(User).where(User.email == "anne@example.org")) is None
    from lms.mail.models import OutboxMessage

    keys = set(db.session.scalars(sa.select(OutboxMessage.key)))
    assert {f"survey:{r.id}:invite" for r in respondents} <= keys
    # importing the same list again adds nobody
    response = _upload(client, campaign, content.encode("utf-8"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 déjà dans la liste" in page
    assert db.session.scalar(sa.select(sa.func.count(Respondent.id))) == 2


def test_pause_resume_and_close(client, make_user, login):
    _admin(make_user, login)
    campaign = create_campaign(client, barometer(), "public")
    path = f"/admin/enquetes/{campaign.id}"
    for action, status in (("pause", "paused"), ("reprendre", "open"), ("cloturer", "closed")):
        response = client.post(f"{path}/{action}", data={"csrf_token": csrf_token(client, path)})
        assert response.status_code == 303
        db.session.expire_all()
        assert db.session.get(SurveyCampaign, campaign.id).status == status
    # a closed campaign stays closed
    client.post(f"{path}/reprendre", data={"csrf_token": csrf_token(client, path)})
    db.session.expire_all()
    assert db.session.get(SurveyCampaign, campaign.id).status == "closed"


def test_the_list_page_runs_the_same_queries_whatever_the_number_of_campaigns(
    client, make_user, login, count_queries
):
    _admin(make_user, login)
    instrument = barometer()
    create_campaign(client, instrument, "public")
    with count_queries() as few:
        assert client.get("/admin/enquetes").status_code == 200
    for i in range(4):
        create_campaign(client, instrument, "list", title=f"Liste {i}")
    with count_queries() as many:
        assert client.get("/admin/enquetes").status_code == 200
    assert many.count == few.count


def test_the_campaign_page_lists_its_recipients_a_page_at_a_time(
    client, make_user, login, count_queries
):
    _admin(make_user, login)
    campaign = create_campaign(client, barometer())
    rows = "".join(f"Nom{i:03d};Prénom;p{i:03d}@example.org\n" for i in range(60))
    assert _upload(client, campaign, ("Nom;Prénom;E-mail\n" + rows).encode()).status_code == 303
    path = f"/admin/enquetes/{campaign.id}"
    db.session.expire_all()
    with count_queries() as first:
        page = client.get(path).get_data(as_text=True)
    assert "Lignes 1 à 50 sur 60" in page and "p000@example.org" in page
    assert "p059@example.org" not in page
    second = client.get(path + "?page=2").get_data(as_text=True)
    assert "p059@example.org" in second
    answered = client.get(path + "?etat=answered").get_data(as_text=True)
    assert "Aucune ligne ne correspond." in answered
    db.session.expire_all()
    with count_queries() as again:
        client.get(path + "?page=2")
    assert again.count == first.count
