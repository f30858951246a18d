"""Sign in, sign out, wrong passwords, rate limiting."""

from lms.db import db
from tests.conftest import TEST_PASSWORD, csrf_token


def test_login_page_is_french_by_default(client):
    html = client.get("/compte/connexion").get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "Connexion" in html and "Mot de passe" in html


def test_login_and_logout(client, make_user, login):
    user = make_user("learner", name="Agnès Martin")
    response = login(user)
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Agnès Martin" in page
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/parcours")})
    assert client.get("/parcours").status_code == 302


def test_a_deactivated_account_is_signed_out_on_its_next_request(client, make_user, login):
    user = make_user("learner", name="Agnès Martin")
    login(user)
    assert client.get("/parcours").status_code == 200
    user.active = False  # as an administrator deactivating the account, or an erasure, does
    db.session.commit()
    response = client.get("/parcours")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    user.active = True
    db.session.commit()
    assert client.get("/parcours").status_code == 200  # the same session, valid again


def test_wrong_password_is_refused_with_a_message(client, make_user, login):
    user = make_user()
    response = login(user, password="wrong password!")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.get_data(as_text=True)
    assert client.get("/parcours").status_code == 302


def test_login_without_csrf_is_refused(client, make_user):
    user = make_user()
    response = client.post(
        "/compte/connexion", data={"email": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert client.get("/parcours").status_code == 302


def test_failed_logins_are_rate_limited(client, make_user, login, app):
    user = make_user()
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        assert login(user, password="not the password").status_code == 200
    response = login(user)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_passwords_are_stored_with_werkzeugs_strong_default(app, monkeypatch):
    """The suite hashes with cheap PBKDF2 (tests/conftest.py); the application itself keeps
    Werkzeug's default, scrypt, salted, and a wrong password does not match."""
    from werkzeug import security

    from lms import models

    monkeypatch.setattr(models, "generate_password_hash", security.generate_password_hash)
    user = models.User(email="fort@example.org", name="Fort", role="learner")
    user.set_password(TEST_PASSWORD)
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password(TEST_PASSWORD) and not user.check_password("autre chose")
