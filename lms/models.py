"""Host models: people and single-use tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from lms.db import db, utcnow


class Role(StrEnum):
    """What a person may do: follow trainings, run them, or administer the platform.

    ``jury``: an outside juror, limited to the projects of the runs they are invited to.
    """

    LEARNER = "learner"
    TRAINER = "trainer"
    ADMIN = "admin"
    JURY = "jury"
    #: Not a person: the account that holds the anonymous answers of one survey campaign
    #: (inactive, no password, an ``.invalid`` address; see docs/surveys.md).
    RESPONDENT = "respondent"


class User(UserMixin, db.Model):
    """A person with an account: learner, trainer or administrator."""

    __tablename__ = "users"
    #: Lists sorted by name walk this index on PostgreSQL (migration 0930).
    __table_args__ = (sa.Index("ix_users_name", "name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Given and family names when known (imported lists); ``name`` is "Prénom Nom".
    first_name: Mapped[str | None] = mapped_column(sa.String(100))
    last_name: Mapped[str | None] = mapped_column(sa.String(100))
    civility: Mapped[str | None] = mapped_column(sa.String(30))
    organisation: Mapped[str | None] = mapped_column(sa.String(200))
    job_title: Mapped[str | None] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20), default=Role.LEARNER, index=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    tokens: Mapped[list[UserToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def greeting_name(self) -> str:
        """How e-mails address the person: their first name when known (« Bonjour Marie »)."""
        return self.first_name or self.name

    @property
    def is_admin(self) -> bool:
        """Administrators manage everything."""
        return self.role == Role.ADMIN

    @property
    def is_trainer(self) -> bool:
        """Trainers run sessions (administrators can too)."""
        return self.role in (Role.TRAINER, Role.ADMIN)

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password``."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Tell whether ``password`` matches the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @staticmethod
    def normalise_email(email: str) -> str:
        """Return the canonical form of an address (trimmed, lower case)."""
        return email.strip().lower()


def hash_token(raw: str) -> str:
    """Return the hex SHA-256 of a token; only this is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


class UserToken(db.Model):
    """A single-use secret sent by e-mail (invitation, password reset); stored hashed."""

    __tablename__ = "user_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(30))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    user: Mapped[User] = relationship(back_populates="tokens")

    @classmethod
    def issue(
        cls, user: User, purpose: str, lifetime: timedelta, data: dict | None = None
    ) -> tuple[UserToken, str]:
        """Create a token for ``user``; return it with the raw secret to put in the link."""
        raw = secrets.token_urlsafe(32)
        token = cls(
            user=user,
            purpose=purpose,
            token_hash=hash_token(raw),
            expires_at=utcnow() + lifetime,
            data=data or {},
        )
        db.session.add(token)
        return token, raw

    @classmethod
    def find(cls, raw: str, purpose: str) -> UserToken | None:
        """Return the token matching ``raw`` for ``purpose`` (used or not, expired or not)."""
        return db.session.scalar(
            sa.select(cls).where(cls.token_hash == hash_token(raw), cls.purpose == purpose)
        )

    def is_usable(self, now: datetime | None = None) -> bool:
        """A token is usable once, before it expires."""
        return self.used_at is None and (now or utcnow()) < self.expires_at

    def consume(self, now: datetime | None = None) -> bool:
        """Mark the token used with one conditional UPDATE; False if it was used (or expired).

        Of several requests consuming the same token at once, exactly one gets True: the
        others' UPDATE matches no row (PostgreSQL re-checks the row once the winner commits;
        SQLite serialises writers). Call it inside the request's write transaction.
        """
        now = now or utcnow()
        result = db.session.execute(
            sa.update(UserToken)
            .where(
                UserToken.id == self.id,
                UserToken.used_at.is_(None),
                UserToken.expires_at > now,
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return False
        set_committed_value(self, "used_at", now)
        return True


class Erasure(db.Model):
    """The record that a person's personal data was erased (RGPD art. 17): when, by whom, why.

    The account row stays, emptied (its id keeps the person's answers counted in aggregates).
    """

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: ``request`` (an administrator, on the person's request) or ``retention`` (``tick``).
    reason: Mapped[str] = mapped_column(sa.String(20), default="request")
