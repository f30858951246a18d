"""When follow-ups are due: a wave goes out ``offset_months`` after the run's end date, and is
still sent automatically during ``expiry_days`` after that (the catch-up window)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from courses.models import CourseRun
from lms.db import db
from quizzes.campaigns.models import Campaign, FollowUpPlan, FollowUpWave


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def next_reminder_at(settings, reminders: int, now: datetime) -> datetime | None:
    """When to remind next, after ``reminders`` reminders (None: no more).

    ``settings`` is anything with ``first_reminder_days``, ``reminder_interval_days`` and
    ``max_reminders``: a follow-up wave or a survey campaign.
    """
    if reminders >= settings.max_reminders:
        return None
    if reminders == 0:
        return now + timedelta(days=settings.first_reminder_days)
    return now + timedelta(days=max(1, settings.reminder_interval_days))


def due_on(run: CourseRun, wave: FollowUpWave) -> date:
    """The day a wave's invitations go out for a run."""
    return add_months(run.ends_on, wave.offset_months)


def catch_up_until(run: CourseRun, wave: FollowUpWave) -> date:
    """The last day a wave is still sent automatically for a run."""
    return due_on(run, wave) + timedelta(days=wave.expiry_days)


@dataclass
class Slot:
    """One wave for one run, with its due date and its campaign (None until it starts)."""

    run: CourseRun
    wave: FollowUpWave
    due_on: date
    campaign: Campaign | None = None


def slots(run_ids: list[int] | None = None, ended_by: date | None = None) -> list[Slot]:
    """Every (run, wave) of the active plans, by due date (two queries).

    ``run_ids`` limits to these runs; ``ended_by`` to runs that ended on or before that day.
    """
    query = (
        sa.select(CourseRun, FollowUpWave)
        .join(FollowUpPlan, FollowUpPlan.course_id == CourseRun.course_id)
        .join(FollowUpWave, FollowUpWave.plan_id == FollowUpPlan.id)
        .where(FollowUpPlan.active.is_(True))
        .options(selectinload(CourseRun.course), selectinload(FollowUpWave.instrument))
    )
    if run_ids is not None:
        query = query.where(CourseRun.id.in_(run_ids))
    if ended_by is not None:
        query = query.where(CourseRun.ends_on <= ended_by)
    pairs = db.session.execute(query).all()
    campaigns = {
        (c.run_id, c.wave_id): c
        for c in db.session.scalars(
            sa.select(Campaign).where(Campaign.run_id.in_({run.id for run, _ in pairs}))
        )
    }
    found = [
        Slot(run, wave, due_on(run, wave), campaigns.get((run.id, wave.id))) for run, wave in pairs
    ]
    return sorted(found, key=lambda s: (s.due_on, s.run.id, s.wave.offset_months))
