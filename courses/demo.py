"""Demo data of the courses plugin: the catalogue, accounts, a current GCU07 session."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from courses.models import Activity, Course, CourseRun, Enrolment, EnrolmentStatus, Module, Progress
from lms.db import db
from lms.models import Role, User

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


def email_of(local: str) -> str:
    """Demo address for a local part."""
    return f"{local}@{DOMAIN}"


def ensure_user(name: str, local: str, role: str, with_password: bool = True) -> User:
    """Return the demo user, creating it the first time."""
    email = email_of(local)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, role=role)
        if with_password:
            user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


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


def load(rng, now: datetime) -> list[str]:
    """Load the catalogue and the current GCU07 session; return the logins to print."""
    from courses.content.catalog import import_catalog

    import_catalog()
    admin = ensure_user(ADMIN[0], ADMIN[1], Role.ADMIN)
    trainers = [ensure_user(n, local, Role.TRAINER) for n, local in TRAINERS]
    learners = [ensure_user(n, local, Role.LEARNER) for n, local in LEARNERS]
    invited = ensure_user(INVITED[0], INVITED[1], Role.LEARNER, with_password=False)
    course = db.session.scalar(sa.select(Course).where(Course.key == "gcu07"))
    if course is not None:
        today = now.date()
        run = ensure_run(
            course,
            CURRENT_RUN_TITLE,
            today - timedelta(days=21),
            today + timedelta(days=35),
            trainers,
            place="Paris",
            capacity=14,
            access_days=180,
        )
        steps = visible_activities(course, ("lesson", "memo", "live"))
        for i, learner in enumerate(learners):
            start = now - timedelta(days=21 - i % 5)
            enrolment = ensure_enrolment(run, learner, EnrolmentStatus.ACTIVE, start)
            complete_first(
                enrolment, steps, round(len(steps) * (i + 1) / (len(learners) + 2)), start
            )
        ensure_enrolment(run, invited, EnrolmentStatus.INVITED, now - timedelta(days=2))
    db.session.flush()
    _ = admin, rng
    return [
        f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :",
        f"  administratrice : {email_of(ADMIN[1])}",
        *[f"  formateur·rice  : {email_of(local)}" for _, local in TRAINERS],
        *[f"  apprenant·e     : {email_of(local)}" for _, local in LEARNERS[:3]],
        f"  … et {len(LEARNERS) - 3} autres apprenant·es ({email_of('<prenom.nom>')})",
        "Parcours : http://127.0.0.1:5000",
    ]
