"""A platform's user mapped to a Parcours account, then placed in the linked session.

Decisions (``docs/lti.md``): a platform user (issuer + ``sub``) is always the same account. On a
first launch the account whose e-mail address the claims give is linked only when the platform is
trusted for e-mail addresses and that account is not an administrator's; otherwise a separate
account is created (with a reserved ``.invalid`` address when the real one is taken or absent).
Like Moodle's own LTI provider (instructors get the teacher role of the published course), an
instructor becomes a trainer of the session; a learner is enrolled, with access open at once.
Everything here flushes; the launch view commits once, or rolls everything back.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from courses.enrolments import enrolled_count
from courses.lti.models import LtiAccount, LtiPlatform
from courses.models import CourseRun, Enrolment, EnrolmentStatus
from lms.db import db, utcnow
from lms.models import Role, User


class LaunchRefused(Exception):
    """A launch that cannot go on; ``message`` is for the person, in their language."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def _clean(value, limit: int) -> str | None:
    text = " ".join(str(value or "").split())[:limit]
    return text or None


def _reserved_address(platform: LtiPlatform, sub: str) -> str:
    digest = hashlib.sha256(f"{platform.issuer}\n{sub}".encode()).hexdigest()[:20]
    return f"lti-{platform.id}-{digest}@lti.invalid"


def _address(claims: dict) -> str | None:
    email = User.normalise_email(str(claims.get("email") or ""))
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        return None
    return email


def _create(platform: LtiPlatform, claims: dict, email: str | None) -> User:
    first, last = _clean(claims.get("given_name"), 100), _clean(claims.get("family_name"), 100)
    name = _clean(claims.get("name"), 200) or _clean(f"{first or ''} {last or ''}", 200)
    user = User(
        email=email or _reserved_address(platform, claims["sub"]),
        name=name or _("Utilisateur de %(platform)s", platform=platform.name)[:200],
        first_name=first,
        last_name=last,
        role=Role.LEARNER,
    )
    db.session.add(user)
    return user


def _first_launch(platform: LtiPlatform, claims: dict) -> User:
    email = _address(claims)
    existing = db.session.scalar(sa.select(User).where(User.email == email)) if email else None
    if existing is None:
        return _create(platform, claims, email)
    if platform.trust_emails and existing.role != Role.ADMIN and existing.active:
        return existing
    return _create(platform, claims, None)


def account_for(platform: LtiPlatform, claims: dict) -> User:
    """The account of the platform user ``claims["sub"]``, created or linked the first time."""
    link = db.session.scalar(
        sa.select(LtiAccount).where(
            LtiAccount.platform_id == platform.id, LtiAccount.sub == str(claims["sub"])
        )
    )
    if link is not None:
        if not link.user.active:
            raise LaunchRefused(_("Le compte Parcours lié à cet utilisateur est désactivé."))
        return link.user
    user = _first_launch(platform, claims)
    db.session.add(LtiAccount(platform_id=platform.id, sub=str(claims["sub"])[:255], user=user))
    db.session.flush()
    return user


def _open(enrolment: Enrolment, run: CourseRun) -> None:
    now = utcnow()
    enrolment.status = EnrolmentStatus.ACTIVE
    if enrolment.access_starts_at is None:
        enrolment.access_starts_at = now
        enrolment.access_ends_at = (
            now + timedelta(days=run.access_days) if run.access_days else None
        )


def enrol_learner(user: User, run: CourseRun) -> Enrolment:
    """Enrol ``user`` in ``run`` with access open now (no invitation e-mail). Flushes."""
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.run_id == run.id, Enrolment.user_id == user.id)
    )
    if enrolment is not None and enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise LaunchRefused(_("Vous avez été retiré de cette session : contactez le formateur."))
    if enrolment is None:
        if run.capacity is not None and enrolled_count(run) >= run.capacity:
            raise LaunchRefused(
                _("La session est complète (%(capacity)s places).", capacity=run.capacity)
            )
        enrolment = Enrolment(run=run, user=user)
        db.session.add(enrolment)
    if enrolment.status == EnrolmentStatus.INVITED or enrolment.access_starts_at is None:
        _open(enrolment, run)
    db.session.flush()
    return enrolment


def add_trainer(user: User, run: CourseRun) -> None:
    """Make an instructor a trainer of ``run`` (a learner account becomes a trainer's). Flushes."""
    if user.role == Role.LEARNER:
        user.role = Role.TRAINER
    if user not in run.trainers:
        run.trainers.append(user)
    db.session.flush()
