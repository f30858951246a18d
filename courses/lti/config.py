"""PyLTI1p3 plugged into the database: the tool configuration, nonces, the launch validation.

The library validates the OIDC state (its short-lived cookie), the id_token's signature (the
platform's JWKS), the audience (client id), the deployment id and the message's claims; nonces
are kept here, in ``lti_nonces``, and consumed once with a conditional UPDATE (atomic on SQLite
and PostgreSQL alike).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import requests
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.session import SessionService
from pylti1p3.tool_config import ToolConfAbstract

from courses.lti import keys
from courses.lti.models import LtiNonce, LtiPlatform
from lms.db import begin_write, db, utcnow

#: How long a login initiation waits for its launch.
NONCE_LIFETIME = timedelta(minutes=10)
#: Seconds to wait for a platform (key set, token, score).
TIMEOUT = 10


class _Session(requests.Session):
    """HTTP to platforms (key sets, tokens, scores) never waits more than ``TIMEOUT``."""

    def request(self, *args, **kwargs):
        """Send with the default timeout."""
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def http_session() -> requests.Session:
    """A requests session for platforms, with a timeout."""
    session = _Session()
    session.headers["User-Agent"] = "Parcours-LTI (PyLTI1p3)"
    return session


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def find_platform(issuer: str, client_id: str | None) -> LtiPlatform | None:
    """The active platform of ``issuer`` (and ``client_id`` when given; else the only one)."""
    query = sa.select(LtiPlatform).where(LtiPlatform.issuer == issuer, LtiPlatform.active)
    if client_id:
        query = query.where(LtiPlatform.client_id == client_id)
    found = list(db.session.scalars(query.limit(2)))
    return found[0] if len(found) == 1 else None


def registration(platform: LtiPlatform) -> Registration:
    """The library's view of a platform, with the tool's newest key pair to sign with."""
    reg = (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.key_set_url)
    )
    key = keys.current()
    if key is not None:
        private = serialization.load_pem_private_key(key.private_pem.encode(), password=None)
        public = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        reg.set_tool_private_key(key.private_pem).set_tool_public_key(public.decode())
    return reg


class ToolConf(ToolConfAbstract):
    """Registrations read from ``lti_platforms``; remembers the platform it found."""

    platform: LtiPlatform | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        """Every issuer may have several client ids here."""
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        """Every issuer may have several client ids here."""
        return True

    def find_registration_by_issuer(self, iss: str, *args, **kwargs):
        """The registration of the only active platform of ``iss``."""
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss: str, client_id, *args, **kwargs):
        """The registration of the active platform (``iss``, ``client_id``), or None."""
        self.platform = find_platform(iss, client_id)
        return registration(self.platform) if self.platform else None

    def find_deployment(self, iss: str, deployment_id: str):
        """A deployment id listed on the only active platform of ``iss``."""
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id, *args, **kwargs):
        """A deployment id listed on the platform, or None (the launch is refused)."""
        platform = find_platform(iss, client_id)
        if platform is None or deployment_id not in (platform.deployment_ids or []):
            return None
        return Deployment().set_deployment_id(deployment_id)


class NonceService(SessionService):
    """Nonces in the database (a launch POSTed from another site carries no session cookie)."""

    def save_nonce(self, nonce: str) -> None:
        """Remember the nonce of a login initiation (stored hashed). Flushes."""
        row = LtiNonce(nonce_hash=_hash(nonce), expires_at=utcnow() + NONCE_LIFETIME)
        db.session.add(row)
        db.session.flush()

    def check_nonce(self, nonce: str) -> bool:
        """Consume the nonce: one conditional UPDATE; False when unknown, used or expired."""
        now = utcnow()
        result = db.session.execute(
            sa.update(LtiNonce)
            .where(
                LtiNonce.nonce_hash == _hash(nonce),
                LtiNonce.used_at.is_(None),
                LtiNonce.expires_at > now,
            )
            .values(used_at=now)
        )
        return result.rowcount == 1

    def save_launch_data(self, key, jwt_body) -> None:
        """Not kept: a deep-linking request is stored by :mod:`courses.lti.deep_linking`."""

    def get_launch_data(self, key):
        """Launches are never restored from a cache."""
        return None

    def set_state_valid(self, state, id_token_hash) -> None:
        """Not kept: a state is checked against its cookie, once."""

    def check_state_is_valid(self, state, id_token_hash) -> bool:
        """Always check the state cookie."""
        return False


class Launch(FlaskMessageLaunch):
    """A launch validated in a safe order: the nonce is consumed last, once the signature,
    audience, deployment and claims are good, in a write transaction (``begin_write``)."""

    def validate(self):
        """Validate the launch; raise ``LtiException`` naming what is wrong."""
        self._validated = True
        try:
            self.validate_state().validate_jwt_format().validate_registration()
            self.validate_jwt_signature().validate_deployment().validate_message()
            begin_write()
            return self.validate_nonce()
        except Exception:
            self._validated = False
            raise


def message_launch(tool_conf: ToolConf) -> Launch:
    """A launch of the current request."""
    request = FlaskRequest()
    service = NonceService(request)
    return Launch(request, tool_conf, session_service=service, requests_session=http_session())


def oidc_login(tool_conf: ToolConf) -> FlaskOIDCLogin:
    """An OIDC login initiation of the current request."""
    request = FlaskRequest()
    return FlaskOIDCLogin(request, tool_conf, session_service=NonceService(request))


def prune_nonces(now) -> int:
    """Delete nonces expired for a day (``flask lms tick``). Flushes."""
    result = db.session.execute(
        sa.delete(LtiNonce).where(LtiNonce.expires_at < now - timedelta(days=1))
    )
    return result.rowcount
