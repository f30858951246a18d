"""Attendance at live sessions, recorded by trainers; « présent » completes the activity.

Progress goes through :mod:`courses.progress` only: ``present`` completes the activity (at the end
of the session), ``absent`` undoes a completion, ``excused`` leaves it to the learner (who may
watch the replay and mark it done).
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from courses import progress
from courses.live.models import AttendanceStatus, LiveAttendance
from courses.live.schedule import Slot
from courses.models import Activity, CourseRun, Enrolment, EnrolmentStatus
from lms.db import db, utcnow

#: Enrolments whose attendance a trainer records.
ATTENDING = (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)


def attending_enrolments(run: CourseRun) -> list[Enrolment]:
    """Learners of ``run`` who follow it (active or completed), by name (one query)."""
    from lms.models import User

    return list(
        db.session.scalars(
            sa.select(Enrolment)
            .join(User, User.id == Enrolment.user_id)
            .where(Enrolment.run_id == run.id, Enrolment.status.in_(ATTENDING))
            .order_by(User.name, User.id)
            .options(sa.orm.contains_eager(Enrolment.user))
        )
    )


def statuses(activity_id: int, enrolment_ids: list[int]) -> dict[int, str]:
    """``{enrolment_id: status}`` recorded for ``activity_id`` (one query)."""
    if not enrolment_ids:
        return {}
    rows = db.session.execute(
        sa.select(LiveAttendance.enrolment_id, LiveAttendance.status).where(
            LiveAttendance.activity_id == activity_id,
            LiveAttendance.enrolment_id.in_(enrolment_ids),
        )
    )
    return dict(rows.all())


def status_of(enrolment: Enrolment, activity: Activity) -> str | None:
    """What was recorded for this learner at this session, if anything."""
    return statuses(activity.id, [enrolment.id]).get(enrolment.id)


def counts(run: CourseRun) -> dict[int, Counter]:
    """``{activity_id: Counter(status)}`` for the run's attending learners (one query)."""
    rows = db.session.execute(
        sa.select(LiveAttendance.activity_id, LiveAttendance.status, sa.func.count())
        .join(Enrolment, Enrolment.id == LiveAttendance.enrolment_id)
        .where(Enrolment.run_id == run.id, Enrolment.status.in_(ATTENDING))
        .group_by(LiveAttendance.activity_id, LiveAttendance.status)
    )
    result: dict[int, Counter] = {}
    for activity_id, status, n in rows:
        result.setdefault(activity_id, Counter())[status] = n
    return result


def record(slot: Slot, enrolment: Enrolment, status: str, recorder) -> bool:
    """Record ``status`` for one learner and update their progress; True if it changed.

    Flushes; the caller (inside ``begin_write``) commits.
    """
    status = AttendanceStatus(status)
    row = db.session.scalar(
        sa.select(LiveAttendance).where(
            LiveAttendance.enrolment_id == enrolment.id,
            LiveAttendance.activity_id == slot.activity.id,
        )
    )
    if row is not None and row.status == status:
        return False
    if row is None:
        row = LiveAttendance(enrolment_id=enrolment.id, activity_id=slot.activity.id)
        db.session.add(row)
    row.status, row.recorded_by_id, row.recorded_at = status, recorder.id, utcnow()
    if status == AttendanceStatus.PRESENT:
        when = min(slot.ends_at, utcnow()) if slot.ends_at else None
        progress.complete_activity(enrolment, slot.activity, when=when)
    elif status == AttendanceStatus.ABSENT:
        progress.uncomplete_activity(enrolment, slot.activity)
    db.session.flush()
    return True
