"""Progress of learners: the API other plugins use, and the SQL aggregates pages show.

Other plugins (quizzes) call :func:`learner_enrolment`, :func:`record_visit`,
:func:`start_activity` and :func:`complete_activity`; they never touch the progress tables directly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app

from courses import outline
from courses.models import Activity, CourseRun, Enrolment, EnrolmentStatus, Module, Progress
from lms.db import begin_write, db, utcnow
from lms.signals import activity_completed, activity_started, enrolment_completed


def learner_enrolment(user, run_id: int) -> Enrolment | None:
    """Return ``user``'s enrolment in run ``run_id`` (any status), or None."""
    return db.session.scalar(
        sa.select(Enrolment).where(Enrolment.run_id == run_id, Enrolment.user_id == user.id)
    )


def _progress_row(enrolment: Enrolment, activity: Activity) -> Progress:
    row = db.session.scalar(
        sa.select(Progress).where(
            Progress.enrolment_id == enrolment.id, Progress.activity_id == activity.id
        )
    )
    if row is None:
        row = Progress(enrolment_id=enrolment.id, activity_id=activity.id, started_at=utcnow())
        db.session.add(row)
    return row


def start_activity(enrolment: Enrolment, activity: Activity) -> Progress:
    """Record that the learner opened ``activity`` (and where to resume). Flushes, no commit.

    Sends ``activity_started`` the first time.
    """
    row = _progress_row(enrolment, activity)
    first = row in db.session.new
    enrolment.last_activity_id = activity.id
    enrolment.last_seen_at = utcnow()
    db.session.flush()
    if first:
        app = current_app._get_current_object()
        activity_started.send(app, enrolment=enrolment, activity=activity)
    return row


#: How often the "last seen" time of an enrolment is refreshed by merely opening a page.
SEEN_EVERY = timedelta(minutes=5)


#: ``record_visit(completed=UNREAD)``: the caller has not read the progress row.
UNREAD = object()


def _visit_changes(enrolment: Enrolment, activity: Activity, complete: bool, completed) -> bool:
    """Whether opening ``activity`` would change anything stored (one small query, unless the
    caller read the progress row already)."""
    if completed is UNREAD:
        completed = db.session.execute(
            _completed_at(), {"enrolment_id": enrolment.id, "activity_id": activity.id}
        ).first()
    if completed is None or (complete and completed[0] is None):
        return True
    if enrolment.last_activity_id != activity.id or enrolment.last_seen_at is None:
        return True
    return utcnow() - enrolment.last_seen_at >= SEEN_EVERY


@cache
def _completed_at() -> sa.Select:
    return sa.select(Progress.completed_at).where(
        Progress.enrolment_id == sa.bindparam("enrolment_id"),
        Progress.activity_id == sa.bindparam("activity_id"),
    )


def record_visit(
    enrolment: Enrolment, activity: Activity, complete: bool = False, completed=UNREAD
) -> bool:
    """Record that the learner opened ``activity`` (``complete``: and finished it), if that
    changes anything; return whether it wrote. The caller commits. ``completed`` is what the
    caller already read of the learner's progress row of the activity: None when there is no
    row, else ``(completed_at,)``; by default it is read here.

    A page view that changes nothing writes nothing. When it does write, it is a read-then-write
    transaction like a POST: :func:`lms.db.begin_write` (``BEGIN IMMEDIATE`` on SQLite), then the
    enrolment row is locked (PostgreSQL) and everything re-read inside the transaction.
    """
    if not _visit_changes(enrolment, activity, complete, completed):
        return False
    begin_write()
    db.session.refresh(enrolment, with_for_update=True)
    start_activity(enrolment, activity)
    if complete:
        complete_activity(enrolment, activity)
    return True


def complete_activity(
    enrolment: Enrolment, activity: Activity, when: datetime | None = None
) -> bool:
    """Mark ``activity`` completed; return True if it was not completed before.

    Sends ``activity_completed``, and ``enrolment_completed`` when it was the last activity.
    Flushes; the caller commits.
    """
    row = _progress_row(enrolment, activity)
    if row.completed_at is not None:
        return False
    row.completed_at = when or utcnow()
    db.session.flush()
    app = current_app._get_current_object()
    activity_completed.send(app, enrolment=enrolment, activity=activity)
    if enrolment.status == EnrolmentStatus.ACTIVE and overall_ratio(enrolment) >= 1.0:
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_at = row.completed_at
        db.session.flush()
        enrolment_completed.send(app, enrolment=enrolment)
    return True


def uncomplete_activity(enrolment: Enrolment, activity: Activity) -> None:
    """Undo a completion (a learner un-ticking a lesson). Flushes."""
    row = _progress_row(enrolment, activity)
    row.completed_at = None
    db.session.flush()


def live_activities():
    """SQL condition: the activity counts (not archived, not hidden, nor its module archived)."""
    return sa.and_(
        Activity.archived.is_(False), Activity.hidden.is_(False), Module.archived.is_(False)
    )


def completed_per_module(enrolment_ids: list[int]) -> dict[tuple[int, int], int]:
    """Return {(enrolment_id, module_id): live activities completed} (one query); pairs with
    nothing completed are left out. How many live activities a module holds comes from the
    course's outline (:mod:`courses.outline`)."""
    if not enrolment_ids:
        return {}
    done = db.session.execute(_completed_per_module(), {"ids": list(enrolment_ids)})
    return {(e, m): n for e, m, n in done}


def completed_counts(enrolment_ids: list[int]) -> dict[int, int]:
    """Return {enrolment_id: live activities completed} (one query)."""
    counts: dict[int, int] = {}
    for (enrolment_id, _module), n in completed_per_module(enrolment_ids).items():
        counts[enrolment_id] = counts.get(enrolment_id, 0) + n
    return counts


@cache
def _completed_per_module() -> sa.Select:
    """:func:`completed_per_module`' statement, built once."""
    return (
        sa.select(Progress.enrolment_id, Activity.module_id, sa.func.count(Progress.id))
        .join(Activity, Activity.id == Progress.activity_id)
        .join(Module, Module.id == Activity.module_id)
        .where(
            Progress.enrolment_id.in_(sa.bindparam("ids", expanding=True)),
            Progress.completed_at.is_not(None),
            live_activities(),
        )
        .group_by(Progress.enrolment_id, Activity.module_id)
    )


def activity_total(course) -> int:
    """How many live activities ``course`` holds, from its outline (kept per course version)."""
    return len(outline.course_outline(course).activities)


def overall_ratio(enrolment: Enrolment) -> float:
    """Share of the course's live activities that the learner completed (0..1)."""
    total = activity_total(enrolment.run.course)
    done = completed_counts([enrolment.id]).get(enrolment.id, 0)
    return done / total if total else 0.0


def completed_activity_ids(enrolment: Enrolment) -> set[int]:
    """Ids of the activities this enrolment has completed (one query)."""
    return set(
        db.session.scalars(
            sa.select(Progress.activity_id).where(
                Progress.enrolment_id == enrolment.id, Progress.completed_at.is_not(None)
            )
        )
    )


def is_run_trainer(user, run: CourseRun) -> bool:
    """Trainers see only their runs; administrators see all."""
    if user.is_admin:
        return True
    return bool(db.session.scalar(_trains_run(), {"run_id": run.id, "user_id": user.id}))


@cache
def _trains_run() -> sa.Select:
    """:func:`is_run_trainer`'s statement, built once (every trainer page runs it)."""
    from courses.models import run_trainers

    return (
        sa.select(sa.func.count())
        .select_from(run_trainers)
        .where(
            run_trainers.c.run_id == sa.bindparam("run_id"),
            run_trainers.c.user_id == sa.bindparam("user_id"),
        )
    )
