"""What the courses plugin holds about a person (RGPD right of access): enrolments and progress,
and the sessions they train."""

from __future__ import annotations

import sqlalchemy as sa

from courses.models import Activity, Course, CourseRun, Enrolment, Progress, run_trainers
from lms.db import db


def personal_data(user) -> dict:
    """Enrolments (with their progress), sessions trained by ``user`` and LTI accounts."""
    enrolments = db.session.execute(
        sa.select(Enrolment, CourseRun.title, Course.title.label("course"))
        .join(CourseRun, CourseRun.id == Enrolment.run_id)
        .join(Course, Course.id == CourseRun.course_id)
        .where(Enrolment.user_id == user.id)
        .order_by(Enrolment.id)
    ).all()
    progress = db.session.execute(
        sa.select(Progress.enrolment_id, Activity.title, Progress.started_at, Progress.completed_at)
        .join(Activity, Activity.id == Progress.activity_id)
        .join(Enrolment, Enrolment.id == Progress.enrolment_id)
        .where(Enrolment.user_id == user.id)
        .order_by(Progress.id)
    ).all()
    trained = db.session.scalars(
        sa.select(CourseRun.title)
        .join(run_trainers, run_trainers.c.run_id == CourseRun.id)
        .where(run_trainers.c.user_id == user.id)
        .order_by(CourseRun.starts_on)
    ).all()
    steps: dict[int, list] = {}
    for enrolment_id, title, started, completed in progress:
        steps.setdefault(enrolment_id, []).append(
            {"activity": title, "started_at": started, "completed_at": completed}
        )
    return {
        "enrolments": [
            {
                "course": course,
                "session": title,
                "status": e.status,
                "invited_at": e.invited_at,
                "access_starts_at": e.access_starts_at,
                "access_ends_at": e.access_ends_at,
                "completed_at": e.completed_at,
                "last_seen_at": e.last_seen_at,
                "progress": steps.get(e.id, []),
            }
            for e, title, course in enrolments
        ],
        "sessions_trained": list(trained),
        "lti_accounts": lti_accounts(user),
    }


def lti_accounts(user) -> list[dict]:
    """The LTI platforms' users this account signs in as (one query)."""
    from courses.lti.models import LtiAccount, LtiPlatform

    rows = db.session.execute(
        sa.select(LtiPlatform.name, LtiPlatform.issuer, LtiAccount.sub, LtiAccount.created_at)
        .join(LtiPlatform, LtiPlatform.id == LtiAccount.platform_id)
        .where(LtiAccount.user_id == user.id)
        .order_by(LtiAccount.id)
    )
    return [
        {"platform": name, "issuer": issuer, "user_id_at_platform": sub, "linked_at": linked}
        for name, issuer, sub, linked in rows
    ]


def erase_personal_data(user) -> None:
    """Forget which platform users sign in as ``user`` (a later launch makes a new account)."""
    from courses.lti.models import LtiAccount

    db.session.execute(sa.delete(LtiAccount).where(LtiAccount.user_id == user.id))
    db.session.flush()
