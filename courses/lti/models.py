"""What LTI 1.3 needs stored: platforms, the tool's keys, accounts, nonces, links, scores."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courses.models import Activity, CourseRun
from lms.db import db, utcnow
from lms.models import User


class LtiToolKey(db.Model):
    """An RSA key pair of the tool; the private key never leaves the database."""

    __tablename__ = "lti_tool_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(sa.String(100), unique=True)
    private_pem: Mapped[str] = mapped_column(sa.Text)
    public_jwk: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LtiPlatform(db.Model):
    """An LMS registered by an administrator (one issuer and client id)."""

    __tablename__ = "lti_platforms"
    __table_args__ = (sa.UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    issuer: Mapped[str] = mapped_column(sa.String(500))
    client_id: Mapped[str] = mapped_column(sa.String(255))
    auth_login_url: Mapped[str] = mapped_column(sa.String(1000))
    auth_token_url: Mapped[str] = mapped_column(sa.String(1000))
    key_set_url: Mapped[str] = mapped_column(sa.String(1000))
    deployment_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    default_run_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course_runs.id", ondelete="SET NULL")
    )
    #: Link a first launch to the existing account holding the same e-mail address.
    trust_emails: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    default_run: Mapped[CourseRun | None] = relationship()


class LtiAccount(db.Model):
    """A platform's user (issuer + ``sub``) and the Parcours account it signs in as."""

    __tablename__ = "lti_accounts"
    __table_args__ = (sa.UniqueConstraint("platform_id", "sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    sub: Mapped[str] = mapped_column(sa.String(255))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class LtiNonce(db.Model):
    """A nonce sent with a login initiation; a launch consumes it once (conditional UPDATE)."""

    __tablename__ = "lti_nonces"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class LtiResourceLink(db.Model):
    """A link placed in a platform's course, pointing at a session (and maybe an activity)."""

    __tablename__ = "lti_resource_links"
    __table_args__ = (
        sa.UniqueConstraint("platform_id", "resource_link_id"),
        sa.Index("ix_lti_resource_links_run", "run_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    resource_link_id: Mapped[str] = mapped_column(sa.String(255))
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"))
    activity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="SET NULL")
    )
    #: The AGS claim of the latest launch: line item, line items container, scopes.
    lineitem: Mapped[str | None] = mapped_column(sa.String(1000))
    lineitems: Mapped[str | None] = mapped_column(sa.String(1000))
    scopes: Mapped[list] = mapped_column(sa.JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    platform: Mapped[LtiPlatform] = relationship()
    activity: Mapped[Activity | None] = relationship()


class LtiDeepLink(db.Model):
    """A validated deep-linking request waiting for the instructor's choice (used once)."""

    __tablename__ = "lti_deep_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(sa.String(255))
    settings: Mapped[dict] = mapped_column(sa.JSON)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    platform: Mapped[LtiPlatform] = relationship()


class LtiScore(db.Model):
    """A score waiting for the platform's gradebook (AGS), queued with the submission."""

    __tablename__ = "lti_scores"
    __table_args__ = (sa.Index("ix_lti_scores_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``<link id>:<attempt id>``: the same submission is queued once per link.
    key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    platform_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True
    )
    #: Where to post: the link's line item, or a line item found or created in ``lineitems``.
    lineitem: Mapped[str | None] = mapped_column(sa.String(1000))
    lineitems: Mapped[str | None] = mapped_column(sa.String(1000))
    scopes: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: The line item to find or create: ``{"resourceId", "label", "scoreMaximum"}``.
    item: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: The AGS score: userId, scoreGiven, scoreMaximum, activityProgress, gradingProgress...
    payload: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)

    platform: Mapped[LtiPlatform] = relationship()
