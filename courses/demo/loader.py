"""Demo data of the courses plugin: the catalogue, accounts, a current GCU07 session, and the
finished sessions of the curriculum (GCU07 in 2022, the one-day training of 2019, the 2020
webinar cycle, in :mod:`courses.demo.past`) whose learners completed their lessons.

Every part is guarded by a natural key (e-mail, run title, enrolment), so loading twice
creates nothing the second time. Quizzes and questionnaires are answered by the quizzes demo.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from courses.demo import data
from courses.demo.base import (
    ADMIN,
    CURRENT_RUN_TITLE,
    DEMO_PASSWORD,
    INVITED,
    LEARNERS,
    STEP_KINDS,
    TRAINERS,
    complete_first,
    email_of,
    ensure_enrolment,
    ensure_run,
    ensure_user,
    local_moment,
    visible_activities,
)
from courses.demo.forum import load_forum
from courses.demo.past import load_finished_runs
from courses.demo.projects import juror_login, load_current_projects
from courses.demo.support import load_support
from courses.live.schedule import create_defaults, live_activities_of, schedule_row
from courses.models import Course, CourseRun, EnrolmentStatus
from lms.db import db
from lms.models import Role


def load_current_run(course: Course, trainers, learners, invited, now: datetime) -> None:
    """The GCU07 session under way: twelve learners at different points, one still invited."""
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
    steps = visible_activities(course, STEP_KINDS)
    enrolments = []
    for i, learner in enumerate(learners):
        start = now - timedelta(days=21 - i % 5)
        enrolment = ensure_enrolment(run, learner, EnrolmentStatus.ACTIVE, start)
        rank = (i + 7) % len(learners)  # the printed logins are well under way
        done = round(len(steps) * (rank + 1) / (len(learners) + 2))
        complete_first(enrolment, steps, done, start)
        enrolments.append(enrolment)
    ensure_enrolment(run, invited, EnrolmentStatus.INVITED, now - timedelta(days=2))
    schedule_live_days(run)
    load_forum(run, learners, trainers, now)
    load_support(run, learners, trainers, now)
    load_current_projects(run, enrolments, now)


def schedule_live_days(run: CourseRun) -> None:
    """The current session's live days are ahead: the defence on its last day, at 9:00."""

    create_defaults(run)
    for n, activity in enumerate(reversed(live_activities_of(run.course_id))):
        row = schedule_row(run, activity)
        if row.starts_at is None:
            row.starts_at = local_moment(run.ends_on - timedelta(days=7 * n), 9)
            row.place = "Paris — salle du conseil, 2 rue de la Formation"
    db.session.flush()


def load(rng, now: datetime) -> list[str]:
    """Load the catalogue, the accounts and the sessions; return the logins to print."""
    from courses.content.catalog import import_catalog

    import_catalog()
    ensure_user(ADMIN[0], ADMIN[1], Role.ADMIN)
    trainers = [ensure_user(n, local, Role.TRAINER) for n, local in TRAINERS]
    learners = [ensure_user(n, local, Role.LEARNER) for n, local in LEARNERS]
    invited = ensure_user(INVITED[0], INVITED[1], Role.LEARNER, with_password=False)
    courses = {
        c.key: c
        for c in db.session.scalars(
            sa.select(Course).where(Course.key.in_([data.GCU07, data.ONE_DAY, data.WEBINARS]))
        )
    }
    if data.GCU07 in courses:
        load_current_run(courses[data.GCU07], trainers, learners, invited, now)
    finished = load_finished_runs(courses, rng)
    db.session.flush()
    return [
        f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :",
        f"  administratrice : {email_of(ADMIN[1])}",
        *[f"  formateur·rice  : {email_of(local)}" for _, local in TRAINERS],
        *[f"  apprenant·e     : {email_of(local)}" for _, local in LEARNERS[:3]],
        f"  … et {len(LEARNERS) - 3} autres apprenant·es ({email_of('<prenom.nom>')})",
        f"  membre de jury  : {juror_login()}",
        f"Sessions terminées : {finished} (résultats et satisfaction dans « Mes sessions »)",
        "Parcours : http://127.0.0.1:5000",
    ]
