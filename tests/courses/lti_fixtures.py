"""Fixtures of the LTI tests: the tool served for real, the simulated platform, a registration."""

from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa

from courses.lti.models import LtiPlatform
from lms.db import db
from tests.conftest import csrf_token
from tests.factories import make_course, make_run
from tests.support.lti_platform import Platform, ServedTool


@pytest.fixture
def tool(app):
    """Parcours served on loopback; yields its base URL."""
    with ServedTool(app) as served:
        yield served.url


@pytest.fixture
def platform(tool):
    """The simulated platform, knowing where the tool publishes its keys."""
    with Platform() as simulated:
        simulated.tool_jwks_url = f"{tool}/lti/jwks.json"
        yield simulated


@pytest.fixture
def run(app):
    """A session of a two-activity course."""
    course = make_course("lti", modules=1, activities=2)
    return make_run(course, title="Session LTI")


def register(client, login, admin, platform: Platform, **changes) -> LtiPlatform:
    """Register ``platform`` through « Plateformes LTI », as an administrator does."""
    login(admin)
    form = {**platform.registration(), **changes}
    form["csrf_token"] = csrf_token(client, "/admin/lti/plateformes")
    response = client.post("/admin/lti/plateformes", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(sa.select(LtiPlatform).where(LtiPlatform.issuer == platform.url))


@pytest.fixture
def registered(client, login, make_user, platform, run) -> LtiPlatform:
    """The platform registered with the session as its default."""
    return register(client, login, make_user("admin"), platform, default_run_id=str(run.id))


@pytest.fixture
def browser():
    """A learner's browser (cookies kept, redirects not followed)."""
    with requests.Session() as session:
        yield session
