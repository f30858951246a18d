"""Who calls the API: a bearer token, checked on every request (never the session cookie)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g, request
from flask_babel import gettext as _

from lms.api.models import LAST_USE_PRECISION, ApiToken
from lms.db import db, utcnow
from lms.models import User, hash_token


def _raw_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _touch(token: ApiToken) -> None:
    """Record the last use, at most once per minute (one conditional UPDATE, committed)."""
    now = utcnow()
    db.session.execute(
        sa.update(ApiToken)
        .where(
            ApiToken.id == token.id,
            sa.or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at < now - LAST_USE_PRECISION,
            ),
        )
        .values(last_used_at=now)
    )
    db.session.commit()


def authenticate() -> None:
    """Before every API request: the token must be valid and its scope allow the method.

    The token's user becomes ``current_user`` for the request, so plugins apply the same role
    and ownership rules as their pages. A session cookie is ignored: the API has no CSRF
    protection, so it must never act on a browser's ambient credentials.
    """
    raw = _raw_token()
    token = None
    if raw is not None and len(raw) <= 200:
        token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or token.state() != "active":
        abort(401, _("Jeton d'accès absent, inconnu, expiré ou révoqué."))
    user = db.session.get(User, token.user_id)
    if user is None or not user.is_active or user.role not in ("admin", "trainer"):
        abort(401, _("Le compte de ce jeton n'a plus accès à l'API."))
    if not token.allows(request.method):
        abort(403, _("Ce jeton ne permet que la lecture (portée « read »)."))
    if token.last_used_at is None or token.last_used_at < utcnow() - LAST_USE_PRECISION:
        _touch(token)
    g.api_token = token
    g._login_user = user  # Flask-Login's current user for this request only


def rate_limit_key() -> str:
    """Rate limits count per token (per address when there is none)."""
    raw = _raw_token()
    return "api:" + (hash_token(raw)[:16] if raw else (request.remote_addr or "?"))
