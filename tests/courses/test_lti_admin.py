"""« Plateformes LTI »: registering platforms, the tool values and keys (never the private one)."""

from __future__ import annotations

import sqlalchemy as sa

from courses.lti.models import LtiPlatform, LtiToolKey
from lms.db import db
from tests.conftest import csrf_token
from tests.factories import make_course, make_run

PAGE = "/admin/lti/plateformes"


def _form(client, **changes) -> dict:
    values = {
        "name": "Moodle de l'académie",
        "issuer": "https://moodle.example.org",
        "client_id": "abc123",
        "auth_login_url": "https://moodle.example.org/mod/lti/auth.php",
        "auth_token_url": "https://moodle.example.org/mod/lti/token.php",
        "key_set_url": "https://moodle.example.org/mod/lti/certs.php",
        "deployment_ids": "1\n 2 \n1",
        "default_run_id": "0",
        "csrf_token": csrf_token(client, PAGE),
    }
    values.update(changes)
    return values


def test_admin_sees_the_values_to_give_the_platform(client, login, make_user):
    login(make_user("admin"))
    html = client.get(PAGE).get_data(as_text=True)
    for path in ("/lti/connexion", "/lti/lancement", "/lti/selection-de-contenu", "/lti/jwks.json"):
        assert f"http://localhost{path}" in html
    assert "Aucune plateforme enregistrée." in html


def test_registering_a_platform_generates_the_tool_keys(client, login, make_user):
    login(make_user("admin"))
    response = client.post(PAGE, data=_form(client))
    assert response.status_code == 302
    platform = db.session.scalar(sa.select(LtiPlatform))
    assert platform.deployment_ids == ["1", "2"]
    assert platform.default_run_id is None and platform.active
    page = client.get(PAGE).get_data(as_text=True)
    assert "Moodle de l&#39;académie" in page and "PRIVATE KEY" not in page
    jwks = client.get("/lti/jwks.json").get_json()
    (key,) = jwks["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)
    assert key["kid"] == db.session.scalar(sa.select(LtiToolKey.kid))
    client.post(PAGE, data=_form(client, issuer="https://autre.example.org"))
    assert db.session.scalar(sa.select(sa.func.count(LtiToolKey.id))) == 1  # one key pair


def test_bad_input_is_explained_and_nothing_saved(client, login, make_user):
    login(make_user("admin"))
    bad = _form(client, issuer="moodle.example.org", client_id="", deployment_ids=" \n ")
    response = client.post(PAGE, data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Indiquez une adresse complète commençant par https://." in html
    assert "Indiquez l'identifiant client." in html
    assert "Indiquez au moins un identifiant de déploiement." in html
    assert 'value="Moodle de l&#39;académie"' in html  # what was typed is kept
    assert db.session.scalar(sa.select(sa.func.count(LtiPlatform.id))) == 0


def test_same_issuer_and_client_id_is_refused(client, login, make_user):
    login(make_user("admin"))
    client.post(PAGE, data=_form(client))
    response = client.post(PAGE, data=_form(client, name="Doublon"))
    assert response.status_code == 400
    assert "déjà enregistrée" in response.get_data(as_text=True)


def test_edit_and_disable(client, login, make_user):
    login(make_user("admin"))
    run = make_run(make_course("lti-admin", 1, 1), title="Session Moodle")
    client.post(PAGE, data=_form(client))
    platform = db.session.scalar(sa.select(LtiPlatform))
    url = f"{PAGE}/{platform.id}"
    assert "abc123" in client.get(url).get_data(as_text=True)
    changes = {"client_id": "xyz", "default_run_id": str(run.id), "trust_emails": "y"}
    response = client.post(url, data=_form(client, **changes))
    assert response.status_code == 302
    db.session.refresh(platform)
    assert (platform.client_id, platform.default_run_id, platform.trust_emails) == (
        "xyz",
        run.id,
        True,
    )
    client.post(f"{url}/activation", data={"csrf_token": csrf_token(client, PAGE)})
    db.session.refresh(platform)
    assert not platform.active
    assert "désactivée" in client.get(PAGE).get_data(as_text=True)


def test_learners_and_trainers_are_refused(client, login, make_user):
    for role in ("learner", "trainer"):
        login(make_user(role))
        assert client.get(PAGE).status_code in (403, 404)


def test_page_runs_the_same_queries_whatever_the_number_of_platforms(
    client, login, make_user, count_queries
):
    login(make_user("admin"))
    client.post(PAGE, data=_form(client))
    client.get(PAGE)
    with count_queries() as one:
        client.get(PAGE)
    for n in range(4):
        client.post(PAGE, data=_form(client, issuer=f"https://m{n}.example.org"))
    client.get(PAGE)
    with count_queries() as five:
        assert client.get(PAGE).status_code == 200
    assert five.count == one.count
