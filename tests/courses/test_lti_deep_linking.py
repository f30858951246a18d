"""Deep Linking: an instructor picks a session and an activity; the platform gets a signed reply."""

from __future__ import annotations

import re

import jwt
import requests

from tests.courses.lti_fixtures import *  # noqa: F403 - fixtures
from tests.support.lti_platform import LTI

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def _pick(tool, platform, browser, run, activity_id: str):
    """Deep-linking launch, then the two steps of the picker; returns the answer page."""
    target = f"{tool}/lti/selection-de-contenu"
    response, _form = platform.launch(
        browser, tool, target=target, make=platform.deep_linking_claims
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/lti/choix")
    runs = browser.get(f"{tool}/lti/choix")
    assert runs.status_code == 200 and "Session LTI" in runs.text
    step = browser.get(f"{tool}/lti/choix", params={"session": run.id})
    assert "Leçon 1.2" in step.text and "La formation entière" in step.text
    data = {"csrf_token": _csrf(step.text), "activite": activity_id}
    return browser.post(f"{tool}/lti/choix?session={run.id}", data=data, allow_redirects=False)


def _verified(tool, platform, page) -> dict:
    """The answer's JWT, checked with the keys Parcours publishes at its JWKS URL."""
    token = re.search(r'name="JWT" value="([^"]+)"', page.text).group(1)
    keys = requests.get(f"{tool}/lti/jwks.json", timeout=10).json()["keys"]
    assert all("d" not in key and "p" not in key for key in keys)  # never a private part
    kid = jwt.get_unverified_header(token)["kid"]
    public = jwt.PyJWK.from_dict(next(k for k in keys if k["kid"] == kid)).key
    return jwt.decode(token, public, algorithms=["RS256"], audience=platform.url)


def test_instructor_picks_an_activity_and_the_answer_is_signed_by_the_tool(
    tool, platform, registered, run, browser
):
    activity = run.course.modules[0].activities[1]
    page = _pick(tool, platform, browser, run, str(activity.id))
    assert page.status_code == 200
    assert f'action="{platform.url}/deep-link-return"' in page.text
    assert "Envoyer le choix à la plateforme" in page.text  # works without JavaScript
    assert f"form-action 'self' {platform.url}" in page.headers["Content-Security-Policy"]
    claims = _verified(tool, platform, page)
    assert claims["iss"] == platform.client_id
    assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[LTI + "deployment_id"] == platform.deployment_id
    assert claims[DL + "data"] == "moodle-data-42"
    (item,) = claims[DL + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"] == f"{tool}/lti/lancement"
    assert item["custom"] == {"parcours_run": str(run.id), "parcours_activity": str(activity.id)}

    assert browser.get(f"{tool}/lti/choix").status_code == 403  # the request is used once

    def learner(nonce):
        link = {"id": "link-from-dl", "title": item["title"]}
        extra = {LTI + "custom": item["custom"], LTI + "resource_link": link}
        return platform.claims(nonce, sub="learner-dl", **extra)

    with requests.Session() as other:
        landed, _form = platform.launch(other, tool, make=learner)
    assert landed.headers["Location"].endswith(
        f"/parcours/sessions/{run.id}/activites/{activity.id}"
    )


def test_whole_course_is_linked_without_an_activity(tool, platform, registered, run, browser):
    page = _pick(tool, platform, browser, run, "")
    (item,) = _verified(tool, platform, page)[DL + "content_items"]
    assert item["custom"] == {"parcours_run": str(run.id)}
    assert item["title"].startswith("Formation lti")


def test_learner_cannot_send_a_deep_linking_request(tool, platform, registered, browser):
    def make(nonce):
        claims = platform.deep_linking_claims(nonce, sub="student")
        claims[LTI + "roles"] = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]
        return claims

    target = f"{tool}/lti/selection-de-contenu"
    response, _form = platform.launch(browser, tool, target=target, make=make)
    assert response.status_code == 403
    assert "enseignant" in response.text


def test_picker_needs_a_pending_request(tool, browser, app):
    assert browser.get(f"{tool}/lti/choix").status_code == 403
