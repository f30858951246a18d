"""LTI 1.3 launches against the real server, from a simulated platform (its own keys)."""

from __future__ import annotations

import requests
import sqlalchemy as sa

from courses.lti.models import LtiAccount, LtiNonce
from courses.models import Enrolment, EnrolmentStatus
from lms.db import db
from lms.models import User
from tests.courses.lti_fixtures import *  # noqa: F403 - fixtures
from tests.courses.lti_fixtures import register
from tests.support.lti_platform import INSTRUCTOR, LTI, rsa_key


def _one(query):
    """Read what the server committed (end the test's own read transaction first)."""
    db.session.rollback()
    return db.session.scalar(query)


def _count(model) -> int:
    return _one(sa.select(sa.func.count()).select_from(model))


def test_first_launch_creates_the_account_enrols_and_lands_in_the_session(
    tool, platform, registered, run, browser
):
    response, _form = platform.launch(browser, tool)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/parcours/sessions/{run.id}")
    page = browser.get(tool + response.headers["Location"], allow_redirects=False)
    assert page.status_code == 200
    assert "Leçon 1.1" in page.text  # the course outline, signed in
    user = _one(sa.select(User).where(User.email == "u-1@plateforme.example.org"))
    assert (user.name, user.first_name, user.last_name) == ("Camille Martin", "Camille", "Martin")
    enrolment = _one(sa.select(Enrolment).where(Enrolment.user_id == user.id))
    assert enrolment.run_id == run.id and enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.access_ends_at is not None


def test_second_launch_reuses_the_account_and_enrolment(tool, platform, registered, browser):
    platform.launch(browser, tool)
    response, _form = platform.launch(browser, tool)
    assert response.status_code == 302
    assert _count(User) == 2  # the administrator and the learner
    assert _count(LtiAccount) == 1
    assert _count(Enrolment) == 1


def test_replayed_launch_is_refused_and_changes_nothing(tool, platform, registered, browser):
    response, form = platform.launch(browser, tool)
    assert response.status_code == 302
    replay = browser.post(f"{tool}/lti/lancement", data=form, allow_redirects=False)
    assert replay.status_code == 403
    assert "déjà utilisé" in replay.text
    assert _count(Enrolment) == 1


def test_forged_signature_is_refused_and_nothing_is_created(tool, platform, registered, browser):
    forged_pem, _jwk = rsa_key()
    response, _form = platform.launch(browser, tool, pem=forged_pem)
    assert response.status_code == 403
    assert "signature du jeton id_token" in response.text
    assert _count(User) == 1 and _count(LtiAccount) == 0 and _count(Enrolment) == 0
    # the nonce was not burnt by the forgery
    assert _one(sa.select(LtiNonce.used_at)) is None


def test_unknown_deployment_is_refused(tool, platform, registered, browser):
    def make(nonce):
        return platform.claims(nonce, **{LTI + "deployment_id": "deployment-inconnu"})

    response, _form = platform.launch(browser, tool, make=make)
    assert response.status_code == 403
    assert "deployment_id" in response.text
    assert _count(User) == 1 and _count(Enrolment) == 0


def test_missing_state_cookie_is_refused(tool, platform, registered, browser):
    auth = platform.login(browser, tool, f"{tool}/lti/lancement")
    form = {"id_token": platform.sign(platform.claims(auth["nonce"])), "state": auth["state"]}
    browser.cookies.clear()
    response = browser.post(f"{tool}/lti/lancement", data=form, allow_redirects=False)
    assert response.status_code == 400
    assert "state" in response.text


def test_disabled_platform_refuses_login(tool, platform, registered, browser, client):
    from tests.conftest import csrf_token

    token = csrf_token(client, "/admin/lti/plateformes")
    client.post(f"/admin/lti/plateformes/{registered.id}/activation", data={"csrf_token": token})
    response = browser.get(
        f"{tool}/lti/connexion",
        params={"iss": platform.url, "login_hint": "x", "client_id": platform.client_id},
        allow_redirects=False,
    )
    assert response.status_code == 403
    assert "Aucune plateforme active" in response.text


def test_instructor_becomes_trainer_of_the_session(tool, platform, registered, run, browser):
    def make(nonce):
        return platform.claims(nonce, sub="t-1", **{LTI + "roles": [INSTRUCTOR]})

    response, _form = platform.launch(browser, tool, make=make)
    assert response.headers["Location"].endswith(f"/formateur/sessions/{run.id}")
    user = _one(sa.select(User).where(User.email == "t-1@plateforme.example.org"))
    assert user.role == "trainer"
    assert user in run.trainers
    assert browser.get(tool + response.headers["Location"]).status_code == 200


def test_existing_address_is_linked_only_when_the_platform_is_trusted(
    tool, platform, run, browser, client, login, make_user
):
    known = make_user("learner", email="u-1@plateforme.example.org")
    register(client, login, make_user("admin"), platform, default_run_id=str(run.id))
    platform.launch(browser, tool)
    account = _one(sa.select(LtiAccount))
    assert account.user_id != known.id
    assert account.user.email.endswith("@lti.invalid")

    other = platform.launch(browser, tool, make=lambda n: platform.claims(n, sub="u-2"))[0]
    assert other.status_code == 302
    db.session.rollback()  # a fresh snapshot before writing (SQLite)
    trusted = make_user("learner", email="u-3@plateforme.example.org")
    db.session.execute(sa.text("UPDATE lti_platforms SET trust_emails = :t"), {"t": True})
    db.session.commit()
    platform.launch(browser, tool, make=lambda n: platform.claims(n, sub="u-3"))
    linked = _one(sa.select(LtiAccount).where(LtiAccount.sub == "u-3"))
    assert linked.user_id == trusted.id


def test_link_without_session_explains_what_to_do(
    tool, platform, browser, client, login, make_user
):
    register(client, login, make_user("admin"), platform)
    response, _form = platform.launch(browser, tool)
    assert response.status_code == 400
    assert "sélection de contenu" in response.text
    assert _count(Enrolment) == 0 and _count(LtiAccount) == 0


def test_platform_identity_is_in_the_personal_data_and_forgotten_on_erasure(
    app, tool, platform, registered, browser
):
    from lms.erasure import erase
    from lms.plugins import get_registry

    platform.launch(browser, tool)
    user = _one(sa.select(User).where(User.email == "u-1@plateforme.example.org"))
    (held,) = get_registry(app).personal_data(user)["courses"]["lti_accounts"]
    assert (held["issuer"], held["user_id_at_platform"]) == (platform.url, "u-1")
    db.session.rollback()
    erase(db.session.get(User, user.id), None)
    db.session.commit()
    assert _count(LtiAccount) == 0
    with requests.Session() as again:
        response, _form = platform.launch(again, tool)
    assert response.status_code == 302
    assert _one(sa.select(LtiAccount.user_id)) != user.id  # a new account, not the erased one


def test_the_same_launch_posted_twice_at_once_is_accepted_once(tool, platform, registered, browser):
    import threading

    auth = platform.login(browser, tool, f"{tool}/lti/lancement")
    form = {"id_token": platform.sign(platform.claims(auth["nonce"])), "state": auth["state"]}
    statuses: list[int] = []
    start = threading.Barrier(2)

    def post():
        with requests.Session() as copy:
            copy.cookies.update(browser.cookies)
            start.wait()
            reply = copy.post(f"{tool}/lti/lancement", data=form, allow_redirects=False)
            statuses.append(reply.status_code)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [302, 403]
    assert _count(Enrolment) == 1 and _count(LtiAccount) == 1


def test_expired_token_and_wrong_audience_are_named(tool, platform, registered, browser):
    def expired(nonce):
        return platform.claims(nonce, exp=1_000_000_000, iat=999_999_000)

    response, _form = platform.launch(browser, tool, make=expired)
    assert response.status_code == 403 and "a expiré (claim exp)" in response.text

    def elsewhere(nonce):
        return platform.claims(nonce, aud="un-autre-outil")

    response, _form = platform.launch(browser, tool, make=elsewhere)
    assert response.status_code == 403 and "identifiant client" in response.text
    assert _count(User) == 1


def test_tick_forgets_nonces_expired_for_a_day(app, tool, platform, registered, browser):
    from datetime import timedelta

    from lms.db import utcnow

    platform.login(browser, tool, f"{tool}/lti/lancement")
    later = (utcnow() + timedelta(days=2)).replace(microsecond=0).isoformat() + "+00:00"
    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["lms", "tick", "--now", later])
    assert result.exit_code == 0, result.output
    assert _count(LtiNonce) == 0


def test_login_initiation_may_be_posted(tool, platform, registered, browser):
    form = {"iss": platform.url, "login_hint": "7", "client_id": platform.client_id}
    response = browser.post(f"{tool}/lti/connexion", data=form, allow_redirects=False)
    assert response.status_code == 302  # no CSRF token: the platform's own form post
    assert response.headers["Location"].startswith(f"{platform.url}/auth?")
    assert (
        "redirect_uri=" + requests.utils.quote(f"{tool}/lti/lancement", safe="")
        in (response.headers["Location"])
    )
