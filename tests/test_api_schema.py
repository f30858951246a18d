"""Schemathesis against a LIVE server: no 5xx, and every response matches the OpenAPI document.

The app is served by werkzeug on a loopback port (the browser tests' ``server`` fixture); every
operation of ``/api/v1/openapi.json`` is called with generated data (valid and invalid) with an
administrator's write token, and each response is checked by schemathesis's checks.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from lms.api.models import ApiToken
from lms.db import db
from tests.e2e.conftest import server  # noqa: F401 - the live server fixture
from tests.factories import enrol, make_course, make_run
from tests.quizzes.builders import make_attempt, make_instrument


@pytest.fixture
def live_api(app, server, make_user):  # noqa: F811
    """The live server with data to find, and an administrator's write token."""
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    app.config["MAIL_SEND_ON_COMMIT"] = False
    admin = make_user("admin")
    course = make_course("schema", modules=1, activities=2)
    run = make_run(course, trainers=[make_user("trainer")])
    enrolments = [enrol(run, make_user("learner")) for _ in range(3)]
    quiz = make_instrument(course, "quiz", [{"key": "q1", "type": "essay"}])
    make_attempt(quiz, enrolments[0], {"q1": {"score": 1.0, "response": {"text": "oui"}}})
    _token, raw = ApiToken.issue(admin, "schemathesis", "write", None, admin)
    db.session.commit()
    return {"base": server, "headers": {"Authorization": f"Bearer {raw}"}}


def _operations(base: str) -> list:
    """Every operation of the document served by the live server."""
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_to_the_document(live_api, mode):
    operations = _operations(live_api["base"])
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=10,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case):
            response = case.call(base_url=live_api["base"], headers=live_api["headers"])
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.text}"
            )
            case.validate_response(response, headers=live_api["headers"])

        conforms()
