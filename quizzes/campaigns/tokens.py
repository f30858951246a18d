"""Secrets of the follow-up links.

An invitation's link token is ``HMAC(SECRET_KEY, nonce)``: the database keeps the random nonce
and the SHA-256 of the token (:func:`lms.models.hash_token`), never the token itself, yet the
same link can be rebuilt for each reminder. Changing ``SECRET_KEY`` invalidates the links sent.
Unsubscribe links carry a signed user id (no expiry: unsubscribing must always work).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from lms.models import hash_token

_LINK_CONTEXT = b"parcours-followup-link:"
_OPTOUT_SALT = "parcours-followup-optout"


def new_nonce() -> str:
    """A fresh random nonce for a new invitation."""
    return secrets.token_hex(16)


def link_token(nonce: str) -> str:
    """The raw token of the link of the invitation holding ``nonce`` (43 URL-safe characters)."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, _LINK_CONTEXT + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash_for(nonce: str) -> str:
    """What the database stores to find the invitation from its link."""
    return hash_token(link_token(nonce))


def optout_token(user_id: int, salt: str = _OPTOUT_SALT) -> str:
    """The signed token of an unsubscribe link (a person's id; ``salt`` names the list)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt).dumps(user_id)


def read_optout_token(token: str, salt: str = _OPTOUT_SALT) -> int | None:
    """The id of an unsubscribe token, or None if it was tampered with."""
    try:
        value = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None
