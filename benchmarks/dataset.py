"""The benchmark's data set: the shipped catalogue and one GCU07 run per cohort size.

Each run has ``size`` learners at various stages (a few only invited, some not started, most
part-way, some finished): their lessons done, their quizzes and questionnaires answered (copies
of attempts made through the real service, see :mod:`benchmarks.templates`), and the resume
point of where they stopped. Rows are written with bulk inserts so that 500 learners take
seconds, not minutes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from benchmarks import templates
from courses.content.catalog import import_catalog
from courses.models import (
    Activity,
    Course,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    Module,
    Progress,
    run_trainers,
)
from lms.db import db, utcnow
from lms.models import User
from quizzes.models import Answer, Attempt, Instrument

PASSWORD = "bench-password"  # noqa: S105 - throw-away accounts of a throw-away database
COURSE_KEY = "gcu07"
FIRST = ("Sophie", "Thomas", "Nadia", "Julien", "Camille", "Antoine", "Léa", "Mehdi", "Emma")
LAST = ("Lefèvre", "Girard", "Haddad", "Moreau", "Roux", "Fabre", "Chevalier", "Garnier")
TAKERS = 16  # learners who can sign in, per run (one per connection of the quiz-submit measure)


@dataclass
class Cohort:
    """One measured run: its size, the learner who signs in, the pages' ids."""

    size: int
    run_id: int
    learner_email: str
    lesson_id: int
    quiz_id: int
    quiz_activity_id: int = 0
    #: Learners (e-mails, same password) who reached the quiz: one per connection of the
    #: HTTP benchmark's quiz-submit measure (see :mod:`benchmarks.http`).
    takers: list[str] = field(default_factory=list)


@dataclass
class Dataset:
    """Who signs in and the measured runs; ``rows`` counts what was written."""

    admin_email: str
    trainer_email: str
    cohorts: list[Cohort] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def build(sizes: list[int]) -> Dataset:
    """Import the catalogue, create the accounts, the model attempts and a run per size."""
    import_catalog()
    db.session.commit()
    course = db.session.scalar(sa.select(Course).where(Course.key == COURSE_KEY))
    admin = _account("admin", "Claire Dumont")
    trainer = _account("trainer", "Hélène Marchand")
    outline = _outline(course.id)
    instruments = _instruments(course.id)
    ordered = [instruments[a.id] for a in outline if a.id in instruments]
    models = templates.take_models(course.id, ordered, trainer)
    data = Dataset(admin.email, trainer.email)
    for size in sizes:
        data.cohorts.append(_cohort(course.id, size, trainer.id, outline, instruments, models))
    if data.cohorts:  # the HTTP benchmark submits this quiz again and again: no attempt limit
        quiz = db.session.get(Instrument, data.cohorts[0].quiz_id)
        quiz.settings = {**(quiz.settings or {}), "attempts": 0}
        db.session.commit()
    for model in (User, Enrolment, Progress, Attempt, Answer):
        data.rows[model.__tablename__] = db.session.scalar(
            sa.select(sa.func.count()).select_from(model)
        )
    return data


def _account(role: str, name: str) -> User:
    user = User(email=f"{role}@bench.example.org", name=name, role=role)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def _outline(course_id: int) -> list[Activity]:
    """The visible activities of the course in the order a learner follows them."""
    return db.session.scalars(
        sa.select(Activity)
        .join(Module, Module.id == Activity.module_id)
        .where(Activity.course_id == course_id, ~Activity.hidden, ~Activity.archived)
        .order_by(Module.position, Activity.position)
    ).all()


def _instruments(course_id: int) -> dict[int, Instrument]:
    """The course's instruments by activity id."""
    rows = db.session.scalars(sa.select(Instrument).where(Instrument.course_id == course_id))
    return {i.activity_id: i for i in rows if i.activity_id is not None}


def _cohort(course_id, size, trainer_id, outline, instruments, models) -> Cohort:
    """A run of ``size`` learners with their progress and attempts."""
    today = utcnow().date()
    run = CourseRun(
        course_id=course_id,
        title=f"Bench — {size} apprenants",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        place="Paris",
        capacity=size,
        access_days=180,
    )
    db.session.add(run)
    db.session.flush()
    db.session.execute(sa.insert(run_trainers).values(run_id=run.id, user_id=trainer_id))
    plans = [_Plan(size, n, len(outline)) for n in range(size)]
    user_ids = _insert_learners(size, plans)
    enrolment_ids = _insert_enrolments(run.id, user_ids, plans, outline)
    _insert_progress(run.id, user_ids, enrolment_ids, plans, outline, instruments, models)
    lesson = next(a for a in outline[plans[0].done :] if a.kind == "lesson")
    quiz = next(i for i in instruments.values() if i.purpose == "validation")
    step = next(n for n, a in enumerate(outline) if a.id == quiz.activity_id)
    reached = [u for u, p in zip(user_ids, plans, strict=True) if p.done > step][:TAKERS]
    signed_in = _with_password([user_ids[0], *(u for u in reached if u != user_ids[0])])
    db.session.commit()
    cohort = Cohort(size, run.id, signed_in[0].email, lesson.id, quiz.id, quiz.activity_id)
    cohort.takers = [u.email for u in signed_in[1:]]  # not the learner of the other pages
    return cohort


def _with_password(user_ids: list[int]) -> list[User]:
    """Give these learners the bench password (one hash, copied: hashing is slow on purpose)."""
    users = [db.session.get(User, user_id) for user_id in user_ids]
    users[0].set_password(PASSWORD)
    for user in users[1:]:
        user.password_hash = users[0].password_hash
    return users


class _Plan:
    """Where learner ``n`` of a run stands: status, activities done, a private generator."""

    def __init__(self, size: int, n: int, total: int) -> None:
        self.rng = random.Random(f"{size}:{n}")
        draw = self.rng.random()
        self.invited = n > 0 and draw < 0.05
        share = 0.5 if n == 0 else 0.0 if draw < 0.15 else 1.0 if draw > 0.85 else draw
        self.done = 0 if self.invited else round(share * total)
        self.finished = self.done == total
        self.since = timedelta(days=self.rng.randint(10, 28))


def _insert_learners(size: int, plans: list[_Plan]) -> list[int]:
    rows = [
        {
            "email": f"apprenant{n}.run{size}@bench.example.org",
            "name": f"{plan.rng.choice(FIRST)} {plan.rng.choice(LAST)} {n}",
            "role": "learner",
        }
        for n, plan in enumerate(plans)
    ]
    stmt = sa.insert(User).returning(User.id, sort_by_parameter_order=True)
    return db.session.scalars(stmt, rows).all()


def _insert_enrolments(run_id, user_ids, plans, outline) -> list[int]:
    now = utcnow()
    rows = []
    for user_id, plan in zip(user_ids, plans, strict=True):
        started = None if plan.invited else now - plan.since
        status = EnrolmentStatus.COMPLETED if plan.finished else EnrolmentStatus.ACTIVE
        rows.append(
            {
                "run_id": run_id,
                "user_id": user_id,
                "status": EnrolmentStatus.INVITED if plan.invited else status,
                "invited_at": now - plan.since - timedelta(days=1),
                "invitations_sent": 1,
                "access_starts_at": started,
                "access_ends_at": started and started + timedelta(days=180),
                "completed_at": now - timedelta(days=1) if plan.finished else None,
                "last_activity_id": outline[min(plan.done, len(outline) - 1)].id
                if plan.done
                else None,
                "last_seen_at": now - timedelta(days=1) if plan.done else None,
            }
        )
    stmt = sa.insert(Enrolment).returning(Enrolment.id, sort_by_parameter_order=True)
    return db.session.scalars(stmt, rows).all()


def _insert_progress(run_id, user_ids, enrolment_ids, plans, outline, instruments, models):
    """Progress rows (done, plus the one in progress) and the attempts of the done instruments."""
    rows, copies = [], []
    for user_id, enrolment_id, plan in zip(user_ids, enrolment_ids, plans, strict=True):
        if plan.invited:
            continue
        when = utcnow() - plan.since
        for step, activity in enumerate(outline[: plan.done + 1]):
            finished = step < plan.done
            instrument = instruments.get(activity.id)
            if instrument is not None and finished:
                made = templates.plan_attempts(instrument, models[instrument.id], plan.rng)
                copies += [
                    templates.Copy(model, user_id, enrolment_id, number, when)
                    for number, model in enumerate(made, start=1)
                ]
                finished = made[-1].passed is not False
            rows.append(
                {
                    "enrolment_id": enrolment_id,
                    "activity_id": activity.id,
                    "started_at": when,
                    "completed_at": when + timedelta(minutes=20) if finished else None,
                }
            )
            when += timedelta(hours=plan.rng.randint(2, 30))
    if rows:
        db.session.execute(sa.insert(Progress), rows)  # bulk: no per-row event, so…
        started = {}
        for row in rows:
            started.setdefault(row["enrolment_id"], row["started_at"])
        db.session.execute(  # … the enrolments' start, as the first progress row sets it
            sa.update(Enrolment),
            [{"id": key, "started_at": when} for key, when in started.items()],
        )
    templates.write_copies(run_id, copies)


def analyze() -> None:
    """PostgreSQL: vacuum and refresh the planner statistics, as autovacuum does some time
    after a bulk load.

    Without it the planner still believes the tables hold a few rows and picks nested loops
    (the item analysis with 500 learners then takes ~190 ms instead of ~30). SQLite: nothing,
    as Parcours never runs ``ANALYZE`` there either.
    """
    if db.engine.dialect.name != "postgresql":
        return
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # VACUUM too, as autovacuum does after many inserts (PostgreSQL 13+): it marks the
        # pages all-visible, so that the covering indexes answer without reading the table.
        conn.exec_driver_sql("VACUUM ANALYZE")
