"""Building and queueing statements (in the caller's transaction: flush, never commit)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app

from lms.db import db, utcnow
from lms.xapi.models import XapiStatement

#: Namespace of the session registrations Parcours derives.
NAMESPACE = uuid.UUID("5b0f3c1e-3a7e-4b69-9d35-7a1f0d6c2e41")
VERBS = {
    name: f"http://adlnet.gov/expapi/verbs/{name}"
    for name in ("launched", "completed", "attempted", "answered", "passed", "failed", "responded")
}


def enabled() -> bool:
    """Whether an LRS is configured (otherwise nothing is queued)."""
    return bool(current_app.config.get("XAPI_LRS_URL"))


def base() -> str:
    """The public address that prefixes activity ids and identifies accounts."""
    return current_app.config["LMS_BASE_URL"].rstrip("/")


def activity_id(*parts: str) -> str:
    """A stable activity IRI: ``<base>/xapi/activities/<course key>/<activity key>``."""
    return "/".join([base(), "xapi", "activities", *parts])


def registration(run_id: int) -> str:
    """The registration UUID of a session (stable: derived from the address and the id)."""
    return str(uuid.uuid5(NAMESPACE, f"{base()}/sessions/{run_id}"))


def actor(user) -> dict:
    """The learner as an account of this Parcours (no e-mail address leaves it)."""
    return {"objectType": "Agent", "account": {"homePage": base(), "name": str(user.id)}}


def _timestamp(when: datetime | None) -> str:
    return (when or utcnow()).replace(tzinfo=UTC).isoformat()


def queue_statement(key: str, user, verb: str, obj: dict, *, run_id=None, result=None, when=None):
    """Queue one statement identified by ``key`` (the same key is queued once). Flushes."""
    if not enabled():
        return None
    statement_id = str(uuid.uuid4())
    exists = db.session.scalar(sa.select(XapiStatement.id).where(XapiStatement.key == key))
    if exists:
        return None
    payload = {
        "id": statement_id,
        "actor": actor(user),
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {"objectType": "Activity", **obj},
        "timestamp": _timestamp(when),
    }
    if run_id is not None:
        payload["context"] = {"registration": registration(run_id), "platform": "Parcours"}
    if result is not None:
        payload["result"] = result
    row = XapiStatement(key=key, statement_id=statement_id, payload=payload)
    db.session.add(row)
    db.session.flush()
    return row
