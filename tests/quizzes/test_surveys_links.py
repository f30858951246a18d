"""Survey campaigns, respondents' side: personal links from real e-mails (wrong, expired, used
links refused with a clear page), reminders and expiry by ``flask lms tick``, unsubscribing, and
the anonymous public link (one answer per browser, close date, cap)."""

from __future__ import annotations

import io
from datetime import timedelta

import sqlalchemy as sa

from lms.db import db, utcnow
from lms.mail.models import OutboxMessage
from quizzes.models import Answer, Attempt
from quizzes.surveys.models import Respondent, SurveyCampaign, SurveyOptOut
from tests.conftest import csrf_token
from tests.quizzes.campaign_builders import tick
from tests.quizzes.survey_builders import (
    PUBLIC,
    UNSUBSCRIBE,
    answer,
    barometer,
    create_campaign,
    links,
)


def _list_campaign(app, client, make_user, login, smtp_server, people=2):
    app.config.update(smtp_server.config())
    login(make_user("admin"))
    instrument = barometer()
    campaign = create_campaign(client, instrument)
    rows = "".join(f"Personne{i};Test;p{i}@example.org\n" for i in range(people))
    path = f"/admin/enquetes/{campaign.id}"
    response = client.post(
        f"{path}/destinataires",
        data={
            "file": (io.BytesIO(("Nom;Prénom;E-mail\n" + rows).encode()), "liste.csv"),
            "csrf_token": csrf_token(client, path),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client)})
    return campaign, instrument


def test_a_recipient_answers_through_the_link_of_the_email(
    app, client, make_user, login, smtp_server
):
    campaign, instrument = _list_campaign(app, client, make_user, login, smtp_server)
    message = smtp_server.to("p0@example.org")[0]
    assert "Enquête" in message["Subject"] and message["List-Unsubscribe"]
    token = links([message])[0]
    page = client.get(f"/enquete/{token}")
    assert page.status_code == 200 and "Bonjour Test Personne0" in page.get_data(as_text=True)
    # a GET writes nothing
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0
    path = f"/enquete/{token}"
    data = {**answer(instrument, text="Très utile"), "csrf_token": csrf_token(client, path)}
    response = client.post(path, data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("/merci")
    assert "Merci" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    respondent = db.session.scalar(
        sa.select(Respondent).where(Respondent.email == "p0@example.org")
    )
    assert respondent.state == "answered"
    attempt = db.session.get(Attempt, respondent.attempt_id)
    assert attempt.user_id == campaign.owner_id and attempt.run_id is None
    assert db.session.get(SurveyCampaign, campaign.id).answered == 1
    # used: refused, clearly
    again = client.get(path)
    assert again.status_code == 410 and "Vous avez déjà répondu" in again.get_data(as_text=True)


def test_missing_required_answers_keep_what_was_typed(app, client, make_user, login, smtp_server):
    _campaign, instrument = _list_campaign(app, client, make_user, login, smtp_server, people=1)
    token = links(smtp_server.to("p0@example.org"))[0]
    path = f"/enquete/{token}"
    data = {**answer(instrument, usage="", text="Gardé"), "csrf_token": csrf_token(client, path)}
    response = client.post(path, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Il manque des réponses obligatoires" in page and "Gardé" in page
    texts = list(db.session.scalars(sa.select(Answer.response)))
    assert {"text": "Gardé"} in texts


def test_wrong_and_expired_links_are_refused(app, client, make_user, login, smtp_server):
    _list_campaign(app, client, make_user, login, smtp_server, people=1)
    token = links(smtp_server.to("p0@example.org"))[0]
    for bad in (token[:-2] + "zz", "x" * 43, "x" * 300):
        response = client.get(f"/enquete/{bad}")
        assert response.status_code == 404
        assert "Ce lien ne fonctionne pas" in response.get_data(as_text=True)
    tick(app, utcnow() + timedelta(days=21))
    response = client.get(f"/enquete/{token}")
    assert response.status_code == 410 and "Ce lien a expiré" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Respondent.state)) == "expired"


def test_tick_reminds_until_the_maximum_then_stops(app, client, make_user, login, smtp_server):
    _list_campaign(app, client, make_user, login, smtp_server, people=1)
    start = utcnow()
    tick(app, start + timedelta(days=8))
    tick(app, start + timedelta(days=8, hours=1))  # nothing due twice
    tick(app, start + timedelta(days=16))
    tick(app, start + timedelta(days=19))
    keys = sorted(db.session.scalars(sa.select(OutboxMessage.key)))
    assert [k.split(":", 2)[2] for k in keys] == ["invite", "reminder:1", "reminder:2"]
    assert len(smtp_server.to("p0@example.org")) == 3
    assert "Rappel" in smtp_server.to("p0@example.org")[-1]["Subject"]


def test_unsubscribing_stops_the_reminders(app, client, make_user, login, smtp_server):
    _list_campaign(app, client, make_user, login, smtp_server, people=1)
    body = smtp_server.to("p0@example.org")[0].get_body(("plain",)).get_content()
    token = UNSUBSCRIBE.findall(body)[0]
    path = f"/enquete-desinscription/{token}"
    assert "Ne plus recevoir les enquêtes" in client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert "ne recevra plus nos enquêtes" in response.get_data(as_text=True)
    assert db.session.get(SurveyOptOut, "p0@example.org") is not None
    tick(app, utcnow() + timedelta(days=8))
    assert len(smtp_server.to("p0@example.org")) == 1
    assert client.get("/enquete-desinscription/faux").status_code == 404


def _browser(app):
    """Another visitor. The tests share one app context, where Flask-WTF caches the CSRF
    token of the previous client in ``g``: forget it so this one gets its own."""
    from flask import g

    g.pop("csrf_token", None)
    return app.test_client()


def _public(client, make_user, login, **extra):
    login(make_user("admin"))
    instrument = barometer()
    campaign = create_campaign(client, instrument, "public", **extra)
    page = client.get(f"/admin/enquetes/{campaign.id}").get_data(as_text=True)
    token = PUBLIC.findall(page)[0]
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client)})
    return campaign, instrument, f"/enquete-publique/{token}"


def test_anyone_answers_the_public_link_once_per_browser(app, client, make_user, login):
    campaign, instrument, path = _public(client, make_user, login)
    page = client.get(path)
    assert page.status_code == 200 and "anonyme" in page.get_data(as_text=True)
    response = client.post(
        path, data={**answer(instrument), "csrf_token": csrf_token(client, path)}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/merci")
    # the same browser is sent to the thanks page
    assert client.get(path).status_code == 303
    other = _browser(app)
    assert other.get(path).status_code == 200
    sent = other.post(
        path, data={**answer(instrument, "no"), "csrf_token": csrf_token(other, path)}
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)[-3000:]
    db.session.expire_all()
    assert db.session.get(SurveyCampaign, campaign.id).answered == 2
    owners = set(db.session.scalars(sa.select(Attempt.user_id)))
    assert owners == {campaign.owner_id}


def test_the_public_link_closes_at_its_cap_and_when_closed(app, client, make_user, login):
    campaign, instrument, path = _public(client, make_user, login, max_responses="1")
    client.post(path, data={**answer(instrument), "csrf_token": csrf_token(client, path)})
    late = _browser(app)
    response = late.get(path)
    assert response.status_code == 410
    assert "toutes les réponses attendues" in response.get_data(as_text=True)
    db.session.get(SurveyCampaign, campaign.id).status = "closed"
    db.session.commit()
    response = _browser(app).get(path)
    assert response.status_code == 410 and "n'est plus ouvert" in response.get_data(as_text=True)
    assert _browser(app).get("/enquete-publique/" + "y" * 43).status_code == 404


def test_retention_forgets_the_recipients_of_long_closed_campaigns(
    app, client, make_user, login, smtp_server
):
    campaign, _instrument = _list_campaign(app, client, make_user, login, smtp_server, people=2)
    app.config["LMS_RETENTION_DAYS"] = 365
    tick(app, utcnow() + timedelta(days=300))  # closed (30 days) but not long enough ago
    assert db.session.scalar(sa.select(sa.func.count()).where(Respondent.name == "—")) == 0
    tick(app, utcnow() + timedelta(days=400))
    people = list(db.session.scalars(sa.select(Respondent)))
    assert {p.name for p in people} == {"—"}
    assert all(p.email.endswith("@efface.invalid") for p in people)
    addresses = set(db.session.scalars(sa.select(OutboxMessage.to_addr)))
    assert not {"p0@example.org", "p1@example.org"} & addresses
    assert db.session.get(SurveyCampaign, campaign.id).status == "closed"


def test_a_campaign_not_yet_open_waits_for_its_day(app, client, make_user, login, smtp_server):
    from datetime import date

    app.config.update(smtp_server.config())
    login(make_user("admin"))
    instrument = barometer()
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    campaign = create_campaign(client, instrument, "public", opens_on=tomorrow)
    token = PUBLIC.findall(client.get(f"/admin/enquetes/{campaign.id}").get_data(as_text=True))[0]
    listed = create_campaign(client, instrument, "list", title="Plus tard", opens_on=tomorrow)
    path = f"/admin/enquetes/{listed.id}"
    client.post(
        f"{path}/destinataires",
        data={
            "file": (io.BytesIO(b"Nom;Pr\xc3\xa9nom;E-mail\nA;B;ab@example.org\n"), "l.csv"),
            "csrf_token": csrf_token(client, path),
        },
        content_type="multipart/form-data",
    )
    response = _browser(app).get(f"/enquete-publique/{token}")
    assert response.status_code == 403
    assert "pas encore ouverte" in response.get_data(as_text=True)
    assert smtp_server.to("ab@example.org") == []
    tick(app, utcnow() + timedelta(days=3))
    assert len(smtp_server.to("ab@example.org")) == 1


def test_a_paused_campaign_accepts_no_answer(app, client, make_user, login, smtp_server):
    campaign, _instrument = _list_campaign(app, client, make_user, login, smtp_server, people=1)
    token = links(smtp_server.to("p0@example.org"))[0]
    db.session.get(SurveyCampaign, campaign.id).status = "paused"
    db.session.commit()
    response = client.get(f"/enquete/{token}")
    assert response.status_code == 410
    assert "n'accepte plus de réponses" in response.get_data(as_text=True)
    tick(app, utcnow() + timedelta(days=8))  # no reminder while paused
    assert len(smtp_server.to("p0@example.org")) == 1
