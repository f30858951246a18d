"""Enrol a whole list of learners at once: check everything, then write in bulk.

The statements do not grow with the rows: one SELECT finds the accounts and enrolments that exist
already, then one INSERT batch each for the new accounts, the enrolments, the invitation links
and the outbox messages (SQLAlchemy sends 1,000 rows per statement). The invitations are queued,
never sent here: the outbox sender (``flask lms tick``) delivers them. Flushes; the view commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from courses.csv_import import CsvReport, Row, parse_learners
from courses.enrolments import INVITE, INVITE_LIFETIME, enrolled_count
from courses.invite_mail import InvitationRenderer
from courses.models import CourseRun, Enrolment, EnrolmentStatus
from lms.db import bulk_insert, db, utcnow
from lms.mail import queue_many
from lms.models import Role, User, UserToken, hash_token

#: Addresses looked up per SELECT (well under the parameter limits of SQLite and PostgreSQL).
LOOKUP_CHUNK = 10_000
_PROFILE = ("first_name", "last_name", "civility", "organisation", "job_title")


@dataclass
class Invitee:
    """A learner about to be invited: the row read, their account and enrolment."""

    row: Row
    user_id: int
    user: User | None
    enrolment_id: int
    #: Invitations sent for this enrolment, this one included (part of the outbox key).
    count: int


@dataclass
class ImportResult:
    """What an import found and did: the report, and the counts the page shows."""

    report: CsvReport
    enrolled: int = 0
    already: int = 0
    queued: int = 0
    #: Rows to enrol: (row, existing account or None, withdrawn enrolment to reinstate or None).
    todo: list[tuple[Row, User | None, Enrolment | None]] = field(default_factory=list)
    #: Rows of people already enrolled, with their account (completed, not re-invited).
    known: list[tuple[Row, User]] = field(default_factory=list)


def check_learners(run: CourseRun, data: bytes, filename: str = "", **limits) -> ImportResult:
    """Read the file and add what the database knows: enrolled already, deactivated, capacity."""
    result = ImportResult(parse_learners(data, filename, **limits))
    report = result.report
    if any(error.line == 0 for error in report.errors) or not report.rows:
        return result
    found = _existing(run, [row.email for row in report.rows])
    free = None if run.capacity is None else run.capacity - enrolled_count(run)
    for row in report.rows:
        user, enrolment = found.get(row.email, (None, None))
        if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN:
            result.already += 1
            result.known.append((row, user))
        elif user is not None and not user.active:
            report.add(row.line, _("le compte %(email)s est désactivé", email=user.email))
        elif free is not None and len(result.todo) >= free:
            report.add(
                row.line,
                _("capacité de la session dépassée (%(capacity)s places)", capacity=run.capacity),
            )
        else:
            result.todo.append((row, user, enrolment))
    report.sort()
    return result


def import_learners(run: CourseRun, data: bytes, filename: str = "", **limits) -> ImportResult:
    """Check a file; when it is clean, enrol everyone in it and queue their invitations.

    A file with any error changes nothing. Learners already enrolled are counted and left as
    they are. Flushes; the caller commits (one transaction).
    """
    result = check_learners(run, data, filename, **limits)
    if result.report.errors or not result.report.rows:
        return result
    _fill_profiles(result.known + [(r, user) for r, user, _e in result.todo if user is not None])
    ids = iter(_insert_users([row for row, user, _e in result.todo if user is None]))
    fresh = [(row, user.id if user else next(ids), user) for row, user, e in result.todo if not e]
    enrolment_ids = _insert_enrolments(run, [user_id for _r, user_id, _u in fresh])
    invitees = [
        Invitee(row, user_id, user, enrolment_id, 1)
        for (row, user_id, user), enrolment_id in zip(fresh, enrolment_ids, strict=True)
    ]
    invitees += _reinstate([(row, user, e) for row, user, e in result.todo if e])
    result.enrolled = len(invitees)
    result.queued = _queue_invitations(run, invitees)
    db.session.flush()
    return result


def _existing(run: CourseRun, emails: list[str]) -> dict[str, tuple[User, Enrolment | None]]:
    """Accounts with these addresses and their enrolment in ``run``, in one SELECT."""
    found = {}
    for i in range(0, len(emails), LOOKUP_CHUNK):
        query = (
            sa.select(User, Enrolment)
            .outerjoin(Enrolment, (Enrolment.user_id == User.id) & (Enrolment.run_id == run.id))
            .where(User.email.in_(emails[i : i + LOOKUP_CHUNK]))
        )
        found.update(
            (user.email, (user, enrolment)) for user, enrolment in db.session.execute(query)
        )
    return found


def _fill_profiles(pairs: list[tuple[Row, User]]) -> None:
    """Complete existing accounts with what the file says and they lack (never overwrite)."""
    for row, user in pairs:
        for name in _PROFILE:
            if getattr(user, name) is None and getattr(row, name):
                setattr(user, name, getattr(row, name))


def _insert_users(rows: list[Row]) -> list[int]:
    """Create the accounts (one executemany); return their ids in the order of ``rows``."""
    if not rows:
        return []
    now = utcnow()
    values = [
        {
            "email": row.email,
            "name": row.name,
            "role": Role.LEARNER,
            "active": True,
            "created_at": now,
            **{name: getattr(row, name) for name in _PROFILE},
        }
        for row in rows
    ]
    bulk_insert(User.__table__, values)
    ids = {}
    emails = [row.email for row in rows]
    for i in range(0, len(emails), LOOKUP_CHUNK):
        query = sa.select(User.email, User.id).where(User.email.in_(emails[i : i + LOOKUP_CHUNK]))
        ids.update(db.session.execute(query).all())
    return [ids[email] for email in emails]


def _insert_enrolments(run: CourseRun, user_ids: list[int]) -> list[int]:
    """Enrol these accounts (one executemany); return the enrolment ids in the same order."""
    if not user_ids:
        return []
    now = utcnow()
    values = [
        {
            "run_id": run.id,
            "user_id": user_id,
            "status": EnrolmentStatus.INVITED,
            "invited_at": now,
            "invitations_sent": 1,
        }
        for user_id in user_ids
    ]
    bulk_insert(Enrolment.__table__, values)
    query = sa.select(Enrolment.user_id, Enrolment.id).where(Enrolment.run_id == run.id)
    ids = dict(db.session.execute(query).all())
    return [ids[user_id] for user_id in user_ids]


def _reinstate(todo: list[tuple[Row, User, Enrolment]]) -> list[Invitee]:
    """Bring back withdrawn learners (their progress kept), as ``enrol_one`` does."""
    now = utcnow()
    for _row, _user, enrolment in todo:
        enrolment.status = (
            EnrolmentStatus.ACTIVE if enrolment.access_starts_at else EnrolmentStatus.INVITED
        )
        enrolment.invited_at = now
        enrolment.invitations_sent = (enrolment.invitations_sent or 0) + 1
    return [
        Invitee(row, user.id, user, enrolment.id, enrolment.invitations_sent)
        for row, user, enrolment in todo
    ]


def _queue_invitations(run: CourseRun, invitees: list[Invitee]) -> int:
    """Issue one invitation link per learner and queue the e-mails, in bulk."""
    if not invitees:
        return 0
    renderer = InvitationRenderer(run)
    now = utcnow()
    tokens, messages = [], []
    for invitee in invitees:
        raw = secrets.token_urlsafe(32)
        tokens.append(
            {
                "user_id": invitee.user_id,
                "purpose": INVITE,
                "token_hash": hash_token(raw),
                "created_at": now,
                "expires_at": now + INVITE_LIFETIME,
                "data": {"enrolment_id": invitee.enrolment_id},
            }
        )
        messages.append(renderer.message(invitee, raw))
    bulk_insert(UserToken.__table__, tokens)
    return queue_many(messages)
