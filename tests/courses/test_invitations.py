"""Invitations end to end: the e-mail through a real SMTP server, its link, the first sign-in."""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from courses.models import Enrolment, EnrolmentStatus
from lms.db import db, utcnow
from lms.models import User, UserToken
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run

NEW_PASSWORD = "un mot de passe solide"


@pytest.fixture
def run(app, make_user):
    course = make_course()
    course.title = "Portail e-services"
    db.session.commit()
    trainers = [make_user("trainer", name="Claire Dupont"), make_user("trainer", name="Denis Roy")]
    return make_run(
        course, trainers=trainers, title="Session de Lyon", starts_on=date(2025, 3, 3), days=24
    )


@pytest.fixture
def smtp_app(app, smtp_server):
    app.config.update(smtp_server.config())
    return app


def _invite(client, make_user, login, run, name="Agnès Martin", email="agnes@example.org"):
    login(make_user("admin"))
    path = f"/admin/sessions/{run.id}"
    response = client.post(
        f"{path}/inscrire",
        data={"name": name, "email": email, "csrf_token": csrf_token(client, path)},
    )
    assert response.status_code == 302
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, path)})


def _link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"http://localhost(/invitation/\S+)", text)
    assert match, text
    return match.group(1)


def _set_password(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(
        path,
        data={
            "password": password,
            "confirm": confirm or password,
            "csrf_token": csrf_token(client, path),
        },
    )


def test_invitation_email_link_sets_password_and_opens_the_run(
    client, smtp_app, smtp_server, make_user, login, run
):
    _invite(client, make_user, login, run)
    [message] = smtp_server.to("agnes@example.org")
    assert message["Subject"] == "Invitation à la formation « Portail e-services »"
    text = message.get_body(("plain",)).get_content()
    assert "Session de Lyon" in text and "3 mars 2025" in text and "27 mars 2025" in text
    assert "Paris" in text and "Claire Dupont, Denis Roy" in text
    assert "90 jours" in text and "valable 30 jours" in text
    html = message.get_body(("html",)).get_content()
    path = _link(message)
    assert f'href="http://localhost{path}"' in html

    page = client.get(path)
    assert page.status_code == 200
    assert "Choisissez votre mot de passe" in page.get_data(as_text=True)
    assert _set_password(client, path, confirm="autre chose tout à fait").status_code == 200
    response = _set_password(client, path)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/parcours/sessions/{run.id}"
    overview = client.get(f"/parcours/sessions/{run.id}")
    assert overview.status_code == 200
    assert "Portail e-services" in overview.get_data(as_text=True)

    user = db.session.scalar(sa.select(User).where(User.email == "agnes@example.org"))
    assert user.check_password(NEW_PASSWORD)
    enrolment = db.session.scalar(sa.select(Enrolment))
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert abs(enrolment.access_starts_at - utcnow()) < timedelta(minutes=1)
    assert enrolment.access_ends_at - enrolment.access_starts_at == timedelta(days=90)
    # single use
    used = client.get(path)
    assert used.status_code == 410
    assert "demandez une nouvelle invitation" in used.get_data(as_text=True).lower()


def test_resent_invitation_refuses_the_old_link_and_accepts_the_new(
    client, smtp_app, smtp_server, make_user, login, run
):
    _invite(client, make_user, login, run)
    login(db.session.scalar(sa.select(User).where(User.role == "admin")))
    enrolment = db.session.scalar(sa.select(Enrolment))
    path = f"/admin/sessions/{run.id}"
    client.post(
        f"{path}/inscriptions/{enrolment.id}/renvoyer",
        data={"csrf_token": csrf_token(client, path)},
    )
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, path)})
    first, second = smtp_server.to("agnes@example.org")
    old, new = _link(first), _link(second)
    assert old != new
    refused = client.get(old)
    assert refused.status_code == 410
    assert "Ce lien d'invitation ne fonctionne plus" in refused.get_data(as_text=True)
    assert _set_password(client, old).status_code == 410
    assert _set_password(client, new).status_code == 302
    assert client.get(f"/parcours/sessions/{run.id}").status_code == 200


def test_user_with_a_password_confirms_and_access_period_is_not_reset(
    client, make_user, login, run
):
    learner = make_user(email="ancien@example.org", name="Ancien")
    enrolment = enrol(run, learner, access_days=10)
    started, ends = enrolment.access_starts_at, enrolment.access_ends_at
    login(make_user("admin"))
    path = f"/admin/sessions/{run.id}"
    client.post(
        f"{path}/inscriptions/{enrolment.id}/renvoyer",
        data={"csrf_token": csrf_token(client, path)},
    )
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, path)})
    from lms.mail.models import OutboxMessage

    body = db.session.scalar(sa.select(OutboxMessage.body_text))
    link = re.search(r"http://localhost(/invitation/\S+)", body).group(1)
    assert "confirmez votre inscription" in body
    page = client.get(link).get_data(as_text=True)
    assert "a déjà un mot de passe" in page and 'name="password"' not in page
    response = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert response.status_code == 302
    db.session.expire_all()
    enrolment = db.session.get(Enrolment, enrolment.id)
    assert (enrolment.access_starts_at, enrolment.access_ends_at) == (started, ends)
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert client.get(f"/parcours/sessions/{run.id}").status_code == 200


def test_unknown_expired_and_withdrawn_links_get_a_clear_page(client, make_user, run):
    assert client.get("/invitation/nimporte-quoi").status_code == 404
    learner = make_user()
    enrolment = enrol(run, learner, status=EnrolmentStatus.INVITED)
    _, expired = UserToken.issue(
        learner, "invite", timedelta(days=-1), {"enrolment_id": enrolment.id}
    )
    db.session.commit()
    response = client.get(f"/invitation/{expired}")
    assert response.status_code == 410
    assert "organisateur" in response.get_data(as_text=True)
    _, raw = UserToken.issue(learner, "invite", timedelta(days=1), {"enrolment_id": enrolment.id})
    enrolment.status = EnrolmentStatus.WITHDRAWN
    db.session.commit()
    assert client.get(f"/invitation/{raw}").status_code == 410
    _, reset = UserToken.issue(learner, "reset", timedelta(days=1))
    db.session.commit()
    assert client.get(f"/invitation/{reset}").status_code == 404  # not an invitation


def test_run_without_access_limit_gives_open_access(client, make_user, run):
    run.access_days = None
    learner = make_user()
    learner.password_hash = None
    enrolment = enrol(run, learner, status=EnrolmentStatus.INVITED)
    _, raw = UserToken.issue(learner, "invite", timedelta(days=1), {"enrolment_id": enrolment.id})
    db.session.commit()
    assert _set_password(client, f"/invitation/{raw}").status_code == 302
    db.session.refresh(enrolment)
    assert enrolment.access_starts_at is not None and enrolment.access_ends_at is None


def test_admin_finds_the_invitation_in_the_mail_log_and_opens_its_link(
    client, make_user, login, run
):
    admin = make_user("admin", email="admin@example.org")
    login(admin)
    path = f"/admin/sessions/{run.id}"
    client.post(
        f"{path}/inscrire",
        data={
            "name": "Agnès",
            "email": "agnes@example.org",
            "csrf_token": csrf_token(client, path),
        },
    )
    log = client.get("/admin/courriels").get_data(as_text=True)
    message_path = re.search(r'href="(/admin/courriels/\d+)">Invitation', log).group(1)
    message = client.get(message_path).get_data(as_text=True)
    link = re.search(r'<a href="http://localhost(/invitation/[^"]+)"', message).group(1)
    page = client.get(link).get_data(as_text=True)
    assert "Vous êtes connecté en tant que admin@example.org" in page
    assert _set_password(client, link).status_code == 302
    home = client.get(f"/parcours/sessions/{run.id}")
    assert home.status_code == 200 and "Agnès" in home.get_data(as_text=True)
    assert client.get("/admin/sessions").status_code == 403  # now signed in as the learner
