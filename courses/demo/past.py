"""Demo data of the courses plugin, finished sessions: GCU07 in spring and autumn 2022, the
one-day training of 2019 and the 2020 webinar cycle. Their learners completed every step (the
webinar's learner, the episodes she followed) at plausible moments of the run; the quizzes
demo then answers the run's instruments after the steps that precede them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from courses.demo import data
from courses.demo.base import (
    LEARNERS,
    STEP_KINDS,
    TRAINERS,
    ensure_run,
    ensure_users,
    local_moment,
    visible_activities,
)
from courses.live.models import AttendanceStatus, LiveAttendance
from courses.models import Activity, Course, CourseRun, Enrolment, EnrolmentStatus, Progress
from lms.db import db
from lms.models import Role, User

#: The finished runs, oldest GCU07 first.
FINISHED = (*data.PAST_GCU07, data.ONE_DAY_2019, data.WEBINAR_RUN)


def _live_end(activity: Activity, starts: date, ends: date) -> datetime | None:
    """End of a live session scheduled within the run's dates, else None."""
    raw = (activity.settings or {}).get("starts_at")
    try:
        moment = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    if moment is None or not starts <= moment.date() <= ends:
        return None
    minutes = activity.duration_minutes or (activity.settings or {}).get("duration_minutes") or 60
    return local_moment(moment.date(), moment.hour, moment.minute) + timedelta(minutes=minutes)


def _module_days(steps: list[Activity], run: data.PastRun) -> dict[int, date]:
    """The day each module is taught: the day of its live session if it has one within the
    run, else modules spread evenly from the first day to the last."""
    modules = list(dict.fromkeys(step.module_id for step in steps))
    span = (run.ends_on - run.starts_on).days
    days = {
        module: run.starts_on + timedelta(days=round(span * k / max(len(modules) - 1, 1)))
        for k, module in enumerate(modules)
    }
    for step in reversed(steps):
        live = _live_end(step, run.starts_on, run.ends_on)
        if live is not None:
            days[step.module_id] = live.date()
    return days


def schedule(steps: list[Activity], run: data.PastRun, delay: int) -> list[datetime]:
    """When a learner completed each step of a finished run: one module a day (see
    :func:`_module_days`; a one-day run follows the day's timetable), ``delay`` minutes late."""
    days, one_day = _module_days(steps, run), run.starts_on == run.ends_on
    cursor, times, rank = local_moment(run.starts_on, 9, 15), [], {}
    for step in steps:
        if one_day:
            cursor += timedelta(minutes=step.duration_minutes or 30)
            moment = cursor + timedelta(minutes=delay % 10)
        else:
            rank[step.module_id] = rank.get(step.module_id, -1) + 1
            moment = local_moment(days[step.module_id], 9, 30)
            moment += timedelta(minutes=45 * rank[step.module_id] + delay)
        moment = _live_end(step, run.starts_on, run.ends_on) or moment
        if times and moment <= times[-1]:
            moment = times[-1] + timedelta(minutes=5)
        times.append(moment)
    return times


def _enrol_finished(run: CourseRun, users: list[User], spec: data.PastRun) -> list[Enrolment]:
    """Create the enrolments of a finished run that are missing; return the new ones."""
    existing = set(
        db.session.scalars(sa.select(Enrolment.user_id).where(Enrolment.run_id == run.id))
    )
    invited = local_moment(spec.starts_on - timedelta(days=21), 10)
    fresh = []
    for user in users:
        if user.id in existing:
            continue
        enrolment = Enrolment(
            run=run,
            user=user,
            status=EnrolmentStatus.ACTIVE,
            invited_at=invited,
            invitations_sent=1,
            access_starts_at=invited,
            access_ends_at=invited + timedelta(days=spec.access_days) if spec.access_days else None,
        )
        db.session.add(enrolment)
        fresh.append(enrolment)
    db.session.flush()
    return fresh


def _follow(
    enrolment: Enrolment, steps: list[Activity], spec: data.PastRun, delay: int
) -> dict[int, datetime]:
    """Record the learner's completed steps (their times per :func:`schedule`); a learner who
    followed the first N modules only (``episodes_followed``) completed those. Returns
    {activity id: completion time}."""
    times = schedule(steps, spec, delay)
    followed = spec.options.get("episodes_followed")
    if followed:
        modules = list(dict.fromkeys(step.module_id for step in steps))[:followed]
        kept = [i for i, step in enumerate(steps) if step.module_id in modules]
        steps, times = [steps[i] for i in kept], [times[i] for i in kept]
    for step, when in zip(steps, times, strict=True):
        db.session.add(
            Progress(
                enrolment_id=enrolment.id,
                activity_id=step.id,
                started_at=when - timedelta(minutes=step.duration_minutes or 20),
                completed_at=when,
            )
        )
    if steps:
        enrolment.last_activity_id, enrolment.last_seen_at = steps[-1].id, times[-1]
    return {step.id: when for step, when in zip(steps, times, strict=True)}


def load_finished_run(course: Course, spec: data.PastRun, people: dict[str, User], rng) -> int:
    """A finished run of ``course`` per ``spec``: its learners completed every step (or the
    episodes they followed), the run counts as completed at its end. Returns new enrolments."""
    trainers = [people[local] for local in spec.trainers if local in people]
    run = ensure_run(
        course,
        spec.title,
        spec.starts_on,
        spec.ends_on,
        trainers,
        place=spec.place,
        capacity=spec.capacity,
        access_days=spec.access_days,
    )
    steps = visible_activities(course, STEP_KINDS)
    fresh = _enrol_finished(run, [people[local] for _, local, _ in spec.learners], spec)
    for enrolment in fresh:
        done = _follow(enrolment, steps, spec, rng.randrange(0, 150))
        _attendance(
            enrolment,
            steps,
            done,
            trainers[0].id if trainers else None,
            local_moment(spec.ends_on, 18),
        )
        if not spec.options.get("episodes_followed"):
            enrolment.status = EnrolmentStatus.COMPLETED
            enrolment.completed_at = local_moment(spec.ends_on, 17, 30)
    db.session.flush()
    return len(fresh)


def _attendance(
    enrolment: Enrolment,
    steps: list[Activity],
    done: dict[int, datetime],
    trainer_id: int | None,
    ended: datetime,
) -> None:
    """The trainer's roll call of each live session of the run: present where the learner
    completed it (see :func:`_follow`), absent otherwise; recorded when the session ended."""
    for step in steps:
        if step.kind != "live":
            continue
        when = done.get(step.id)
        db.session.add(
            LiveAttendance(
                enrolment_id=enrolment.id,
                activity_id=step.id,
                status=AttendanceStatus.PRESENT if when else AttendanceStatus.ABSENT,
                recorded_at=when or ended,
                recorded_by_id=trainer_id,
            )
        )


def _people(specs: tuple[data.PastRun, ...]) -> dict[str, User]:
    """Accounts of the finished runs' trainers and learners (demo trainers included)."""
    trainers = [(name, local) for name, local in TRAINERS]
    trainers += [(name, local) for local, name in data.GCU07_TRAINERS.items()]
    trainers += [data.ONE_DAY_TRAINER, data.WEBINAR_TRAINER]
    learners = [(name, local) for spec in specs for name, local, _ in spec.learners]
    known = {local for _, local in LEARNERS}
    people = ensure_users(trainers, Role.TRAINER, with_password=False)
    people |= ensure_users([p for p in learners if p[1] in known], Role.LEARNER)
    people |= ensure_users([p for p in learners if p[1] not in known], Role.LEARNER, False)
    return people


def load_finished_runs(courses: dict[str, Course], rng) -> int:
    """Every finished run whose course is in ``courses``; returns how many there are."""
    people = _people(FINISHED)
    specs = [spec for spec in FINISHED if spec.course_key in courses]
    for spec in specs:
        load_finished_run(courses[spec.course_key], spec, people, rng)
    return len(specs)
