"""The support report: per session and period, the number of requests, the median time to a
first answer, and the share answered before the deadline (« within 48 hours »)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

import sqlalchemy as sa

from courses.models import CourseRun
from courses.support.models import SupportRequest
from courses.support.service import visible_to
from lms.db import db, utcnow


@dataclass
class RunFigures:
    """Figures of one session's requests over the period."""

    run: CourseRun
    requests: int
    answered: int
    median_hours: float | None
    on_time: float | None  # share (0..1) of requests answered before their deadline


def runs_with_requests(user) -> list[CourseRun]:
    """Sessions having requests that ``user`` handles (one query)."""
    ids = sa.select(SupportRequest.run_id).where(visible_to(user)).distinct()
    return list(
        db.session.scalars(
            sa.select(CourseRun).where(CourseRun.id.in_(ids)).order_by(CourseRun.starts_on.desc())
        )
    )


def _bounds(start: date | None, end: date | None):
    conditions = []
    if start:
        conditions.append(SupportRequest.created_at >= datetime.combine(start, time(0)))
    if end:
        conditions.append(
            SupportRequest.created_at < datetime.combine(end + timedelta(days=1), time(0))
        )
    return conditions


def by_run(user, run_id: int | None, start: date | None, end: date | None) -> list[RunFigures]:
    """Figures per session for the requests opened in [start, end] (two queries)."""
    now = utcnow()
    where = [visible_to(user), *_bounds(start, end)]
    if run_id:
        where.append(SupportRequest.run_id == run_id)
    rows = db.session.execute(
        sa.select(
            SupportRequest.run_id,
            SupportRequest.created_at,
            SupportRequest.first_response_at,
            SupportRequest.due_at,
        ).where(*where)
    ).all()
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.run_id, []).append(row)
    runs = {
        r.id: r for r in db.session.scalars(sa.select(CourseRun).where(CourseRun.id.in_(grouped)))
    }
    result = []
    for rid, items in grouped.items():
        waits = [
            (r.first_response_at - r.created_at).total_seconds() / 3600
            for r in items
            if r.first_response_at
        ]
        in_time = sum(1 for r in items if r.first_response_at and r.first_response_at <= r.due_at)
        # pending requests whose deadline has not come yet are neither on time nor late
        judged = sum(1 for r in items if r.first_response_at or r.due_at <= now)
        result.append(
            RunFigures(
                run=runs[rid],
                requests=len(items),
                answered=len(waits),
                median_hours=median(waits) if waits else None,
                on_time=in_time / judged if judged else None,
            )
        )
    return sorted(result, key=lambda f: f.run.starts_on, reverse=True)
