"""Building blocks of the courses demo: the demo people, and helpers that create an account, a
session, an enrolment or progress only when it is not there yet (natural keys), so that loading
twice creates nothing the second time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from courses.models import Activity, Course, CourseRun, Enrolment, EnrolmentStatus, Module, Progress
from lms.db import db
from lms.models import User

DEMO_PASSWORD = "parcours-demo"  # noqa: S105 - public demo accounts, printed by make run
DOMAIN = "example.org"

ADMIN = ("Claire Dumont", "admin")
TRAINERS = [("Hélène Marchand", "helene.marchand"), ("Karim Benali", "karim.benali")]
LEARNERS = [
    ("Sophie Lefèvre", "sophie.lefevre"),
    ("Thomas Girard", "thomas.girard"),
    ("Nadia Haddad", "nadia.haddad"),
    ("Julien Moreau", "julien.moreau"),
    ("Camille Roux", "camille.roux"),
    ("Antoine Fabre", "antoine.fabre"),
    ("Léa Chevalier", "lea.chevalier"),
    ("Mehdi Bouzid", "mehdi.bouzid"),
    ("Claire Vasseur", "claire.vasseur"),
    ("Pierre Lambert", "pierre.lambert"),
    ("Emma Garnier", "emma.garnier"),
    ("Yann Le Gall", "yann.legall"),
]
INVITED = ("Marion Perrin", "marion.perrin")
CURRENT_RUN_TITLE = "GCU07 — session en cours (Paris)"
#: Activity kinds whose completion the courses plugin records itself.
STEP_KINDS = ("lesson", "memo", "live")


def email_of(local: str) -> str:
    """Demo address for a local part."""
    return f"{local}@{DOMAIN}"


def ensure_user(name: str, local: str, role: str, with_password: bool = True) -> User:
    """Return the demo user, creating it the first time."""
    return ensure_users([(name, local)], role, with_password)[local]


def ensure_users(people, role: str, with_password: bool = True) -> dict[str, User]:
    """Return ``{local part: user}`` for ``(name, local part)`` pairs, creating the missing ones
    (one query, one flush). Accounts without a password cannot sign in until reset."""
    emails = {email_of(local): (name, local) for name, local in people}
    found = {
        user.email: user
        for user in db.session.scalars(sa.select(User).where(User.email.in_(list(emails))))
    }
    for email, (name, _local) in emails.items():
        if email not in found:
            user = found[email] = User(email=email, name=name, role=role)
            if with_password:
                user.set_password(DEMO_PASSWORD)
            db.session.add(user)
    db.session.flush()
    return {local: found[email] for email, (_, local) in emails.items()}


def ensure_run(course: Course, title: str, starts: date, ends: date, trainers, **kw) -> CourseRun:
    """Return the run of ``course`` with ``title``, creating it the first time."""
    run = db.session.scalar(
        sa.select(CourseRun).where(CourseRun.course_id == course.id, CourseRun.title == title)
    )
    if run is None:
        run = CourseRun(course=course, title=title, starts_on=starts, ends_on=ends, **kw)
        run.trainers.extend(trainers)
        db.session.add(run)
        db.session.flush()
    return run


def ensure_enrolment(run: CourseRun, user: User, status: str, start: datetime | None) -> Enrolment:
    """Return the enrolment, creating it (with its access period) the first time."""
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.run_id == run.id, Enrolment.user_id == user.id)
    )
    if enrolment is None:
        enrolment = Enrolment(
            run=run, user=user, status=status, invited_at=start, invitations_sent=1
        )
        if start is not None and status != EnrolmentStatus.INVITED:
            enrolment.access_starts_at = start
            if run.access_days:
                enrolment.access_ends_at = start + timedelta(days=run.access_days)
        db.session.add(enrolment)
        db.session.flush()
    return enrolment


def visible_activities(course: Course, kinds: tuple[str, ...]) -> list[Activity]:
    """The course's activities of ``kinds`` in outline order."""
    return list(
        db.session.scalars(
            sa.select(Activity)
            .join(Module, Module.id == Activity.module_id)
            .where(
                Module.course_id == course.id,
                Module.archived.is_(False),
                Activity.kind.in_(kinds),
                Activity.archived.is_(False),
                Activity.hidden.is_(False),
            )
            .order_by(Module.position, Activity.position)
        )
    )


def complete_first(enrolment: Enrolment, activities: list[Activity], count: int, start: datetime):
    """Mark the first ``count`` activities done, a few hours apart (only on a fresh enrolment)."""
    if db.session.scalar(sa.select(Progress.id).where(Progress.enrolment_id == enrolment.id)):
        return
    for i, activity in enumerate(activities[:count]):
        when = start + timedelta(hours=6 * (i + 1))
        db.session.add(
            Progress(
                enrolment_id=enrolment.id,
                activity_id=activity.id,
                started_at=when,
                completed_at=when,
            )
        )
        enrolment.last_activity_id = activity.id
        enrolment.last_seen_at = when
    if count < len(activities):
        enrolment.last_activity_id = activities[count].id


def local_moment(day: date, hour: int, minute: int = 0) -> datetime:
    """Naive UTC of a local (platform time zone) day and time."""
    zone = ZoneInfo(current_app.config.get("LMS_TIMEZONE", "Europe/Paris"))
    moment = datetime.combine(day, time(hour, minute), tzinfo=zone)
    return moment.astimezone(UTC).replace(tzinfo=None)
