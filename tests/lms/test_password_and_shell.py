"""Password reset by e-mailed link, create-admin, error pages and security headers."""

import html
import re

import sqlalchemy as sa

from lms.db import db
from lms.models import User
from tests.conftest import csrf_token


def _reset_link(message) -> str:
    return re.search(
        r"http://localhost(/compte/mot-de-passe/\S+)", message.get_body(("plain",)).get_content()
    ).group(1)


def test_forgotten_password_by_emailed_link(app, client, make_user, smtp_server):
    app.config.update(smtp_server.config())
    user = make_user("learner", email="jeanne@example.org")
    page = client.post(
        "/compte/mot-de-passe-oublie",
        data={
            "email": "Jeanne@Example.org ",
            "csrf_token": csrf_token(client, "/compte/mot-de-passe-oublie"),
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "un lien vient d'y être envoyé" in html.unescape(page)
    [mail] = smtp_server.to("jeanne@example.org")
    assert mail["Subject"] == "Réinitialisation de votre mot de passe"
    path = _reset_link(mail)
    form = client.get(path).get_data(as_text=True)
    assert "Choisir un mot de passe" in form
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    short = client.post(path, data={"password": "court", "confirm": "court", "csrf_token": token})
    assert "Au moins 10 caractères." in short.get_data(as_text=True)
    done = client.post(
        path,
        data={
            "password": "nouveau mot de passe",
            "confirm": "nouveau mot de passe",
            "csrf_token": token,
        },
    )
    assert done.status_code == 302
    db.session.refresh(user)
    assert user.check_password("nouveau mot de passe")
    again = client.get(path)
    assert again.status_code == 410 and "Ce lien ne fonctionne plus" in again.get_data(as_text=True)


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client, smtp_server):
    app.config.update(smtp_server.config())
    page = client.post(
        "/compte/mot-de-passe-oublie",
        data={
            "email": "personne@example.org",
            "csrf_token": csrf_token(client, "/compte/mot-de-passe-oublie"),
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "un lien vient d'y être envoyé" in html.unescape(page)
    assert smtp_server.messages == []


def test_tampered_reset_link_is_refused(client):
    response = client.get("/compte/mot-de-passe/not-a-real-token")
    assert response.status_code == 404
    assert "Ce lien ne fonctionne plus" in response.get_data(as_text=True)


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "lms",
            "create-admin",
            "--email",
            "Chef@Example.org",
            "--name",
            "Cheffe",
            "--password",
            "un long mot de passe",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "chef@example.org"))
    assert user.role == "admin" and user.check_password("un long mot de passe")
    bad = runner.invoke(
        args=[
            "lms",
            "create-admin",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--password",
            "court",
        ]
    )
    assert bad.exit_code != 0 and "at least 10 characters" in bad.output


def test_error_pages_use_the_layout(client):
    response = client.get("/nulle-part")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page introuvable" in body and 'class="site-header"' in body


def test_security_headers(client):
    response = client.get("/compte/connexion")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
