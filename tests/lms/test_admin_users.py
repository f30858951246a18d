"""Administration of accounts: search, filter, pages, create, edit, reset link, self-protection."""

import re

import pytest
import sqlalchemy as sa

from lms.db import db
from lms.mail.models import OutboxMessage
from lms.models import User
from tests.conftest import csrf_token


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin", email="admin@example.org", name="Alice Admin")
    login(user)
    return user


def _names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/admin/utilisateurs/\d+">([^<]+)</a>', html)


@pytest.mark.parametrize("role", [None, "learner", "trainer"])
def test_user_pages_are_for_admins_only(client, make_user, login, role):
    target = make_user("learner")
    if role:
        login(make_user(role))
    for path in (
        "/admin/utilisateurs",
        "/admin/utilisateurs/nouveau",
        f"/admin/utilisateurs/{target.id}",
    ):
        assert client.get(path).status_code == (403 if role else 302), path
    if role:
        token = csrf_token(client, "/admin/utilisateurs")
        response = client.post(
            f"/admin/utilisateurs/{target.id}",
            data={"csrf_token": token, "name": "Pirate", "role": "admin", "active": "y"},
        )
        assert response.status_code == 403
        db.session.refresh(target)
        assert target.role == "learner" and target.name != "Pirate"


def test_search_filter_and_pagination(client, admin, make_user, count_queries):
    make_user("trainer", email="bruno@formateurs.fr", name="Bruno Roy")
    for i in range(30):
        make_user("learner", email=f"stagiaire{i:02d}@example.org", name=f"Stagiaire {i:02d}")
    html = client.get("/admin/utilisateurs?q=bruno").get_data(as_text=True)
    assert _names(html) == ["Bruno Roy"]
    html = client.get("/admin/utilisateurs?q=FORMATEURS.fr").get_data(as_text=True)
    assert _names(html) == ["Bruno Roy"]
    html = client.get("/admin/utilisateurs?role=trainer").get_data(as_text=True)
    assert _names(html) == ["Bruno Roy"]
    html = client.get("/admin/utilisateurs?q=100%25").get_data(as_text=True)
    assert _names(html) == [] and "Aucun compte" in html
    with count_queries() as counter:
        first = client.get("/admin/utilisateurs?role=learner").get_data(as_text=True)
    assert len(_names(first)) == 25 and "Page 1 sur 2 (30 en tout)" in first
    assert any("LIMIT" in s.upper() and "OFFSET" in s.upper() for s in counter.statements)
    assert "role=learner" in first and "page=2" in first
    second = client.get("/admin/utilisateurs?role=learner&page=2").get_data(as_text=True)
    assert _names(second) == [f"Stagiaire {i}" for i in range(25, 30)]


def test_create_user_sends_a_link_to_choose_a_password(client, admin):
    path = "/admin/utilisateurs/nouveau"
    response = client.post(
        path,
        data={
            "name": "Claire Dupont",
            "email": "Claire@Example.org",
            "role": "trainer",
            "send_link": "y",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "claire@example.org"))
    assert user.role == "trainer" and user.password_hash is None
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.to_addr == "claire@example.org" and message.category == "password_reset"
    again = client.post(
        path,
        data={
            "name": "Doublon",
            "email": "claire@example.org",
            "role": "learner",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert again.status_code == 400
    assert "Un compte existe déjà avec cette adresse." in again.get_data(as_text=True)
    bad = client.post(
        path,
        data={"name": "", "email": "nope", "role": "king", "csrf_token": csrf_token(client, path)},
    )
    html = bad.get_data(as_text=True)
    assert "Indiquez le nom." in html and "Adresse e-mail invalide." in html
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2


def test_edit_user_role_and_status(client, admin, make_user):
    user = make_user("learner", name="Bruno")
    path = f"/admin/utilisateurs/{user.id}"
    response = client.post(
        path, data={"name": "Bruno Roy", "role": "trainer", "csrf_token": csrf_token(client, path)}
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.role, user.active) == ("Bruno Roy", "trainer", False)
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, path)})
    login = client.post(
        "/compte/connexion",
        data={
            "email": user.email,
            "password": "correct horse battery",
            "csrf_token": csrf_token(client),
        },
    )
    assert "Adresse e-mail ou mot de passe incorrect" in login.get_data(as_text=True)


def test_admin_cannot_demote_or_deactivate_themself(client, admin):
    path = f"/admin/utilisateurs/{admin.id}"
    response = client.post(
        path, data={"name": "Alice", "role": "learner", "csrf_token": csrf_token(client, path)}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Vous ne pouvez pas retirer votre propre rôle d&#39;administrateur." in html or (
        "Vous ne pouvez pas retirer votre propre rôle d'administrateur." in html
    )
    assert "Vous ne pouvez pas désactiver votre propre compte." in html
    db.session.refresh(admin)
    assert (admin.role, admin.active, admin.name) == ("admin", True, "Alice Admin")


def test_send_reset_link_from_the_user_page(client, admin, make_user, smtp_server, app):
    app.config.update(smtp_server.config())
    user = make_user("learner", email="agnes@example.org", name="Agnès")
    path = f"/admin/utilisateurs/{user.id}"
    assert "Envoyer un lien de réinitialisation" in client.get(path).get_data(as_text=True)
    response = client.post(f"{path}/reinitialiser", data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    [message] = smtp_server.to("agnes@example.org")
    assert message["Subject"] == "Réinitialisation de votre mot de passe"
    link = re.search(
        r"http://localhost(/compte/mot-de-passe/\S+)", message.get_body(("plain",)).get_content()
    ).group(1)
    assert client.get(link).status_code == 200


def test_profile_fields_are_edited_shown_and_searched(client, admin, make_user):
    user = make_user("learner", name="Marie Curie")
    path = f"/admin/utilisateurs/{user.id}"
    data = {
        "name": "Marie Curie",
        "civility": "Mme",
        "first_name": " Marie ",
        "last_name": "Curie",
        "organisation": "Institut du radium",
        "job_title": "Directrice",
        "role": "learner",
        "active": "y",
    }
    response = client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.civility, user.first_name, user.organisation) == (
        "Mme",
        "Marie",
        "Institut du radium",
    )
    assert 'value="Directrice"' in client.get(path).get_data(as_text=True)
    listing = client.get("/admin/utilisateurs?q=radium").get_data(as_text=True)
    assert _names(listing) == ["Marie Curie"] and "Institut du radium" in listing
    data["organisation"] = ""
    client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    db.session.refresh(user)
    assert user.organisation is None
