"""Who sits on a run's jury, and inviting a juror by e-mail.

The jury of a run is its trainers plus the people invited to it (:class:`JuryMember`); an
administrator may act on every jury. An invited person without an account gets one with the
``jury`` role, limited to the projects of the runs they are invited to, and a single-use link
(stored hashed, valid 14 days) to choose a password, like a learner's invitation.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from courses.models import CourseRun, run_trainers
from courses.projects.models import JuryMember
from lms.db import db, utcnow
from lms.mail import queue_mail, render_mail
from lms.models import Role, User, UserToken
from lms.urls import external_url

INVITE_LIFETIME = timedelta(days=14)
TOKEN_PURPOSE = "jury"  # noqa: S105 - the purpose of a token, not a secret


class JuryError(ValueError):
    """An invitation that cannot be made; the message is shown to the person inviting."""


def is_juror(user, run: CourseRun) -> bool:
    """Whether ``user`` may see and grade the projects of ``run`` (one query at most)."""
    if not user.is_authenticated or user.role == Role.LEARNER:
        return False
    if user.is_admin:
        return True
    trainer = sa.select(run_trainers.c.user_id).where(
        run_trainers.c.run_id == run.id, run_trainers.c.user_id == user.id
    )
    member = sa.select(JuryMember.user_id).where(
        JuryMember.run_id == run.id, JuryMember.user_id == user.id
    )
    return db.session.scalar(sa.select(sa.exists(trainer.union(member).subquery()))) or False


def is_staff(user, run: CourseRun) -> bool:
    """Whether ``user`` runs ``run`` (its trainer, or an administrator): invites, releases."""
    if user.is_admin:
        return True
    if user.role != Role.TRAINER:
        return False
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(run_trainers)
            .where(run_trainers.c.run_id == run.id, run_trainers.c.user_id == user.id)
        )
    )


def members(run: CourseRun) -> list[User]:
    """The invited jurors of ``run`` (trainers are on ``run.trainers``), by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(JuryMember, JuryMember.user_id == User.id)
            .where(JuryMember.run_id == run.id)
            .order_by(User.name)
        )
    )


def juror_runs(user) -> list[CourseRun]:
    """The runs whose jury ``user`` (role ``jury``) was invited to, newest first."""
    return list(
        db.session.scalars(
            sa.select(CourseRun)
            .join(JuryMember, JuryMember.run_id == CourseRun.id)
            .where(JuryMember.user_id == user.id)
            .order_by(CourseRun.starts_on.desc())
        )
    )


def _account(name: str, email: str) -> User:
    email = User.normalise_email(email)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name.strip(), role=Role.JURY)
        db.session.add(user)
        db.session.flush()
    elif user.role == Role.LEARNER:
        raise JuryError("learner")
    elif not user.active:
        raise JuryError("inactive")
    return user


def invite(run: CourseRun, name: str, email: str) -> User:
    """Put the person on the jury of ``run`` and e-mail them (outbox). Flushes.

    Raises :class:`JuryError` (``learner``, ``inactive``, ``member``) when it cannot.
    """
    user = _account(name, email)
    if db.session.get(JuryMember, (run.id, user.id)) is not None or (
        user.role == Role.TRAINER and user in run.trainers
    ):
        raise JuryError("member")
    now = utcnow()
    db.session.add(JuryMember(run_id=run.id, user_id=user.id, invited_at=now))
    db.session.flush()
    link = external_url("courses.jury_home")
    key = f"jury:{run.id}:{user.id}:{now:%Y%m%d%H%M%S%f}"  # invited again after a removal
    if user.password_hash is None:
        token, raw = UserToken.issue(user, TOKEN_PURPOSE, INVITE_LIFETIME, {"run_id": run.id})
        db.session.flush()
        link, key = external_url("courses.jury_accept", token=raw), f"jury:{run.id}:{token.id}"
    subject, text, html = render_mail(
        "courses/projects/mail/jury_invitation",
        user.locale,
        user=user,
        run=run,
        link=link,
        needs_password=user.password_hash is None,
        valid_days=INVITE_LIFETIME.days,
    )
    queue_mail(
        key, user.email, subject, text, html, to_name=user.name, user_id=user.id, category="jury"
    )
    return user


def remove(run: CourseRun, user_id: int) -> bool:
    """Take an invited juror off the jury of ``run`` (their grades stay). Flushes."""
    member = db.session.get(JuryMember, (run.id, user_id))
    if member is None:
        return False
    db.session.delete(member)
    db.session.flush()
    return True
