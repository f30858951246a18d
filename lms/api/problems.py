"""Errors of the JSON API as RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

import time

import marshmallow as ma
from flask import Response, json, request
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE = "application/problem+json"
#: Where the API lives; errors under it are problem documents, elsewhere HTML pages.
API_PREFIX = "/api/"


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem document (the shape of every error of the API)."""

    type = ma.fields.String(metadata={"description": "URI of the problem type"})
    title = ma.fields.String(required=True, metadata={"description": "HTTP status phrase"})
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(metadata={"description": "What went wrong, for a person"})
    instance = ma.fields.String(metadata={"description": "The path requested"})
    errors = ma.fields.Dict(metadata={"description": "Invalid fields, by location then name"})


def is_api_request() -> bool:
    """Whether the current request is addressed to the JSON API."""
    return request.path.startswith(API_PREFIX)


def problem(status: int, title: str, detail: str | None = None, **extra) -> Response:
    """Build a problem response."""
    body = {"type": "about:blank", "title": title, "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)


def from_exception(error: HTTPException) -> Response:
    """Turn an HTTP error (``abort``, routing, webargs validation) into a problem response."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    detail = data.get("message") or error.description
    response = problem(error.code or 500, error.name, detail, errors=errors)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if error.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="parcours"'
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if error.code == 429:
        response.headers["Retry-After"] = str(_retry_after())
    return response


def _retry_after() -> int:
    """Seconds until the exceeded rate-limit window resets (Flask-Limiter's current limit)."""
    from lms.auth import limiter

    current = limiter.current_limit
    return max(1, int(current.reset_at - time.time())) if current else 60
