"""Personal access tokens of the JSON API: only a hash is stored, the token is shown once."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, utcnow
from lms.models import User, hash_token

#: Prefix of every token, so that a leaked one is recognisable (secret scanners, logs).
TOKEN_PREFIX = "prc_"  # noqa: S105 - a public prefix, not a secret
#: How often the "last use" of a token is written (at most once per this period).
LAST_USE_PRECISION = timedelta(minutes=1)


class Scope:
    """What a token may do: ``read`` (GET) or ``write`` (GET, POST, DELETE)."""

    READ = "read"
    WRITE = "write"


class ApiToken(db.Model):
    """A personal access token created by an administrator for an administrator or trainer."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    #: The first characters of the token, shown in lists to tell tokens apart.
    hint: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scope: Mapped[str] = mapped_column(sa.String(10), default=Scope.READ)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @classmethod
    def issue(
        cls, user: User, name: str, scope: str, expires_at: datetime | None, by: User | None
    ) -> tuple[ApiToken, str]:
        """Create a token; return it and the raw value (never stored, shown once)."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls(
            user=user,
            name=name,
            hint=raw[: len(TOKEN_PREFIX) + 6],
            token_hash=hash_token(raw),
            scope=scope,
            expires_at=expires_at,
            created_by_id=by.id if by else None,
        )
        db.session.add(token)
        db.session.flush()
        return token, raw

    def state(self, now: datetime | None = None) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or utcnow()):
            return "expired"
        return "active"

    def allows(self, method: str) -> bool:
        """Whether the token's scope allows an HTTP method (reads need ``read``)."""
        return method in ("GET", "HEAD", "OPTIONS") or self.scope == Scope.WRITE
