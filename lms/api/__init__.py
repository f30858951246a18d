"""The host side of the JSON API: tokens, authentication, problem errors, the OpenAPI document.

Plugins declare their API blueprints in :attr:`lms.plugins.Plugin.api_blueprints`, built with
:func:`api_blueprint`; the host mounts them under ``/api/v1``, protects them with a bearer token
and a rate limit, and documents them in ``/api/v1/openapi.json`` (flask-smorest, OpenAPI 3.1).
May import: ``lms``. Never a plugin.
"""

from __future__ import annotations

import http

from flask import Flask, current_app
from flask_smorest import Api
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from lms.api.auth import authenticate, rate_limit_key
from lms.api.problems import PROBLEM_TYPE, ProblemSchema, from_exception, is_api_request

PREFIX = "/api/v1"
DESCRIPTION = """The JSON API of Parcours: courses, sessions, enrolments and progress.

Authenticate with a personal access token created by an administrator
(« Administration › Jetons d'API »): `Authorization: Bearer prc_…`. Tokens are scoped `read`
(GET) or `write` (also POST and DELETE) and see what their user sees in the pages: an
administrator's token everything, a trainer's token their own sessions. Lists are paginated
(`page`, `per_page`) and accept `updated_since` (ISO 8601, UTC) for incremental sync. Errors are
RFC 9457 problem documents (`application/problem+json`).
"""


class ParcoursApi(Api):
    """flask-smorest's Api with problem documents as errors, and only under ``/api/``."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        self._app.register_error_handler(HTTPException, _handle_http_exception)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Error (RFC 9457 problem)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_TYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


def _handle_http_exception(error: HTTPException):
    return from_exception(error) if is_api_request() else error


def api_blueprint(name: str, import_name: str, description: str = "") -> ApiBlueprint:
    """A blueprint of API routes under ``/api/v1`` that needs a valid bearer token."""
    blueprint = ApiBlueprint(name, import_name, url_prefix=PREFIX, description=description)
    blueprint.before_request(authenticate)
    return blueprint


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _config(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Parcours")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": DESCRIPTION},
            "security": [{"bearerAuth": []}],
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "servers": [{"url": "/"}],
        },
    )
    app.config.setdefault("API_RATE_LIMIT", "300 per minute")


def init_app(app: Flask) -> None:
    """Mount the API blueprints of every plugin, the OpenAPI document and its docs page."""
    from lms.api import docs
    from lms.auth import limiter
    from lms.errors import csrf
    from lms.plugins import get_registry

    _config(app)
    api = ParcoursApi(app)
    app.extensions["lms_api"] = api
    for plugin in get_registry(app).plugins.values():
        for blueprint in plugin.api_blueprints:
            csrf.exempt(blueprint)
            if not getattr(blueprint, "lms_rate_limited", False):  # blueprints outlive apps
                limiter.limit(_rate_limit, key_func=rate_limit_key)(blueprint)
                blueprint.lms_rate_limited = True
            api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
