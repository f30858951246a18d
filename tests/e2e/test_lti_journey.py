"""LTI in a browser: an administrator registers a platform, a learner launched from it lands in
the course."""

from __future__ import annotations

from urllib.parse import urlencode

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.factories import make_course, make_run
from tests.support.lti_platform import Platform


def _register(page, server, platform, run) -> None:
    page.goto(f"{server}/admin/lti/plateformes")
    values = platform.registration()
    page.get_by_label("Nom de la plateforme").fill(values["name"])
    page.get_by_label("Émetteur (issuer / Platform ID)").fill(values["issuer"])
    page.get_by_label("Identifiant client (client ID)").fill(values["client_id"])
    page.get_by_label("URL d'authentification").fill(values["auth_login_url"])
    page.get_by_label("URL du jeton d'accès").fill(values["auth_token_url"])
    page.get_by_label("URL du jeu de clés publiques").fill(values["key_set_url"])
    page.get_by_label("Identifiants de déploiement").fill(values["deployment_ids"])
    page.get_by_label("Session par défaut (facultatif)").select_option(str(run.id))
    page.get_by_role("button", name="Enregistrer la plateforme").click()
    page.wait_for_load_state()


def test_admin_registers_a_platform_and_a_learner_launches_into_the_course(
    server, page, _playwright, make_user, axe
):
    admin = make_user("admin")
    run = make_run(make_course("lti-e2e", modules=1, activities=2), title="Session Moodle")
    with Platform() as platform:
        platform.tool_jwks_url = f"{server}/lti/jwks.json"
        sign_in(page, server, admin.email, TEST_PASSWORD)
        _register(page, server, platform, run)
        assert page.get_by_text("La plateforme « Moodle simulé » est enregistrée.").is_visible()
        assert page.locator("#tool-launch").inner_text() == f"{server}/lti/lancement"
        assert axe(page) == []

        learner = _playwright.new_context(locale="fr-FR").new_page()
        query = {
            "iss": platform.url,
            "login_hint": "42",
            "target_link_uri": f"{server}/lti/lancement",
            "client_id": platform.client_id,
        }
        learner.goto(f"{server}/lti/connexion?{urlencode(query)}")
        learner.get_by_role("button", name="Ouvrir Parcours").click()  # the platform's form post
        learner.wait_for_load_state()
        assert learner.url == f"{server}/parcours/sessions/{run.id}"
        assert learner.get_by_role("heading", name="Formation lti-e2e").first.is_visible()
        assert learner.get_by_text("Leçon 1.1").first.is_visible()
        assert axe(learner) == []


def test_instructor_picks_an_activity_and_the_answer_goes_back_to_the_platform(
    server, page, make_user, app, axe
):
    run = make_run(make_course("lti-dl-e2e", modules=1, activities=2), title="Session DL")
    with Platform() as platform:
        platform.tool_jwks_url = f"{server}/lti/jwks.json"
        _register_directly(platform, run)
        platform.auth_claims = platform.deep_linking_claims
        query = {
            "iss": platform.url,
            "login_hint": "7",
            "target_link_uri": f"{server}/lti/selection-de-contenu",
            "client_id": platform.client_id,
        }
        page.goto(f"{server}/lti/connexion?{urlencode(query)}")
        page.get_by_role("button", name="Ouvrir Parcours").click()
        page.wait_for_load_state()
        assert axe(page) == []
        page.get_by_label("Formation lti-dl-e2e — Session DL", exact=False).check()
        page.get_by_role("button", name="Continuer").click()
        page.get_by_label("Leçon 1.2").check()
        assert axe(page) == []
        page.get_by_role("button", name="Ajouter à la plateforme").click()
        page.wait_for_url(f"{platform.url}/deep-link-return")  # posted by the page's script
        assert page.get_by_role("heading", name="Contenu ajouté").is_visible()
        (token,) = platform.deep_link_answers
        assert token.count(".") == 2


def _register_directly(platform, run) -> None:
    from courses.lti import keys
    from courses.lti.models import LtiPlatform
    from lms.db import db

    values = platform.registration()
    values["deployment_ids"] = [values["deployment_ids"]]
    db.session.add(LtiPlatform(**values, default_run_id=run.id))
    keys.ensure()
    db.session.commit()
