"""Enrolling learners into runs one by one, inviting them, and what happens when they accept.

Every function here flushes and never commits: the view that calls it commits once. Whole lists
are enrolled by :mod:`courses.bulk_enrol`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from courses.csv_import import Row, check_email, check_name
from courses.models import CourseRun, Enrolment, EnrolmentStatus
from lms.db import db, utcnow
from lms.mail import queue_mail, render_mail
from lms.mail.models import MailStatus, OutboxMessage
from lms.models import Role, User, UserToken, hash_token
from lms.urls import external_url

#: How long an invitation link stays valid.
INVITE_LIFETIME = timedelta(days=30)
INVITE = "invite"
#: Labels of the enrolment statuses, as the interface shows them.
STATUS_LABELS = {
    EnrolmentStatus.INVITED: _l("Invité"),
    EnrolmentStatus.ACTIVE: _l("Actif"),
    EnrolmentStatus.COMPLETED: _l("Terminé"),
    EnrolmentStatus.WITHDRAWN: _l("Retiré"),
}
_CHUNK = 500


class EnrolmentError(ValueError):
    """A learner cannot be enrolled or invited; the message says why, for the administrator."""


def enrolled_count(run: CourseRun) -> int:
    """Number of learners holding a place in ``run`` (every status but withdrawn)."""
    return db.session.scalar(
        sa.select(sa.func.count(Enrolment.id)).where(
            Enrolment.run_id == run.id, Enrolment.status != EnrolmentStatus.WITHDRAWN
        )
    )


def invitation_progress(run: CourseRun) -> dict[str, int]:
    """Invitation e-mails of ``run`` by where they stand: queued (or being sent), sent, failed."""
    prefix = sa.literal("invite:") + sa.cast(Enrolment.id, sa.String) + sa.literal(":")
    query = (
        sa.select(OutboxMessage.status, sa.func.count(OutboxMessage.id))
        .join(Enrolment, Enrolment.user_id == OutboxMessage.user_id)
        .where(
            Enrolment.run_id == run.id,
            OutboxMessage.category == "invitation",
            OutboxMessage.key.startswith(prefix),
        )
        .group_by(OutboxMessage.status)
    )
    counts = dict.fromkeys((MailStatus.QUEUED, MailStatus.SENT, MailStatus.FAILED), 0)
    for status, count in db.session.execute(query):
        key = MailStatus.QUEUED if status == MailStatus.SENDING else status
        counts[key] = counts.get(key, 0) + count
    return counts


def _users_by_email(emails: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for i in range(0, len(emails), _CHUNK):
        chunk = emails[i : i + _CHUNK]
        found.update(
            (u.email, u) for u in db.session.scalars(sa.select(User).where(User.email.in_(chunk)))
        )
    return found


def _enrolments_of(run: CourseRun, user_ids: list[int]) -> dict[int, Enrolment]:
    found: dict[int, Enrolment] = {}
    for i in range(0, len(user_ids), _CHUNK):
        query = sa.select(Enrolment).where(
            Enrolment.run_id == run.id, Enrolment.user_id.in_(user_ids[i : i + _CHUNK])
        )
        found.update((e.user_id, e) for e in db.session.scalars(query))
    return found


def _refusal(user: User | None, enrolment: Enrolment | None) -> str | None:
    """Why an existing account or enrolment forbids enrolling this address, if it does."""
    if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN:
        return _("%(email)s est déjà inscrit à cette session", email=user.email)
    if user is not None and not user.active:
        return _("le compte %(email)s est désactivé", email=user.email)
    return None


def enrol_one(run: CourseRun, name: str, email: str) -> Enrolment:
    """Enrol and invite one learner; raise :class:`EnrolmentError` saying why it is refused."""
    address, problem = check_email(email.strip())
    name = name.strip()
    problem = problem or check_name(name)
    if problem:
        raise EnrolmentError(problem)
    user = _users_by_email([address]).get(address)
    existing = _enrolments_of(run, [user.id]).get(user.id) if user else None
    reason = _refusal(user, existing)
    if reason:
        raise EnrolmentError(reason)
    if run.capacity is not None and enrolled_count(run) >= run.capacity:
        raise EnrolmentError(
            _("La session est complète (%(capacity)s places).", capacity=run.capacity)
        )
    return _enrol(run, Row(0, name, address), user, existing)


def _enrol(run: CourseRun, row: Row, user: User | None, enrolment: Enrolment | None) -> Enrolment:
    """Create the account if needed, the enrolment (or reinstate a withdrawn one), and invite."""
    if user is None:
        user = User(email=row.email, name=row.name, role=Role.LEARNER)
        db.session.add(user)
    if enrolment is None:
        enrolment = Enrolment(run=run, user=user)
        db.session.add(enrolment)
    enrolment.status = (
        EnrolmentStatus.ACTIVE if enrolment.access_starts_at else EnrolmentStatus.INVITED
    )
    db.session.flush()
    invite(enrolment)
    return enrolment


def _revoke_invitations(enrolment: Enrolment, now: datetime) -> None:
    """Make every unused invitation link of ``enrolment`` expire now."""
    tokens = db.session.scalars(
        sa.select(UserToken).where(
            UserToken.user_id == enrolment.user_id,
            UserToken.purpose == INVITE,
            UserToken.used_at.is_(None),
            UserToken.expires_at > now,
        )
    )
    for token in tokens:
        if (token.data or {}).get("enrolment_id") == enrolment.id:
            token.expires_at = now


def invite(enrolment: Enrolment) -> OutboxMessage:
    """Issue a new invitation link (older unused ones stop working) and queue the e-mail."""
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise EnrolmentError(_("Cet apprenant a été retiré de la session."))
    now = utcnow()
    _revoke_invitations(enrolment, now)
    user, run = enrolment.user, enrolment.run
    token, raw = UserToken.issue(user, INVITE, INVITE_LIFETIME, {"enrolment_id": enrolment.id})
    enrolment.invited_at = now
    enrolment.invitations_sent = (enrolment.invitations_sent or 0) + 1
    db.session.flush()
    link = external_url("courses.accept_invitation", token=raw)
    subject, text, html = render_mail(
        "courses/mail/invitation",
        user.locale,
        user=user,
        run=run,
        course=run.course,
        trainers=", ".join(t.name for t in run.trainers),
        link=link,
        valid_days=INVITE_LIFETIME.days,
        needs_password=user.password_hash is None,
    )
    return queue_mail(
        f"invite:{enrolment.id}:{enrolment.invitations_sent}",
        user.email,
        subject,
        text,
        html,
        to_name=user.name,
        user_id=user.id,
        category="invitation",
    )


def withdraw(enrolment: Enrolment) -> None:
    """Take the learner out of the run; their invitation links stop working."""
    enrolment.status = EnrolmentStatus.WITHDRAWN
    _revoke_invitations(enrolment, utcnow())
    db.session.flush()


def find_invitation(raw: str) -> tuple[UserToken | None, Enrolment | None, int]:
    """Look up an invitation link: (token, enrolment, 200) or (…, None, 404 | 410).

    404: no such link; 410: used, expired, replaced, withdrawn or account deactivated. The token
    row is locked (PostgreSQL) so that two clicks cannot both accept it.
    """
    token = db.session.scalar(
        sa.select(UserToken)
        .where(UserToken.token_hash == hash_token(raw), UserToken.purpose == INVITE)
        .with_for_update()
    )
    if token is None:
        return None, None, 404
    enrolment = db.session.get(Enrolment, (token.data or {}).get("enrolment_id") or 0)
    if (
        not token.is_usable()
        or enrolment is None
        or enrolment.user_id != token.user_id
        or enrolment.status == EnrolmentStatus.WITHDRAWN
        or not token.user.active
    ):
        return token, None, 410
    return token, enrolment, 200


def accept(token: UserToken, enrolment: Enrolment, now: datetime | None = None) -> bool:
    """Use the invitation: the enrolment becomes active and, the first time, access starts.

    The token is consumed with one conditional UPDATE: False (and nothing changed) when another
    request used it first.
    """
    now = now or utcnow()
    if not token.consume(now):
        return False
    if enrolment.status == EnrolmentStatus.INVITED:
        enrolment.status = EnrolmentStatus.ACTIVE
    if enrolment.access_starts_at is None:
        enrolment.access_starts_at = now
        days = enrolment.run.access_days
        enrolment.access_ends_at = now + timedelta(days=days) if days else None
    db.session.flush()
    return True
