"""What the courses plugin shows on the administrator's dashboard: the sessions in progress
(today between their first and last day) with their learners' mean progress and the share of
learners who completed, as bars with the same figures in a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from courses.models import CourseRun, Enrolment, EnrolmentStatus
from courses.queries import run_aggregates
from lms import charts
from lms.db import db
from lms.plugins import DashboardPanel


@dataclass
class RunInProgress:
    """A session in progress and its figures."""

    run: CourseRun
    learners: int
    #: Share of the course's activities completed by its learners (0–1), None without any.
    progress: float | None
    completed: int


def runs_in_progress(today: date) -> list[RunInProgress]:
    """Sessions whose dates include ``today``, by start date, with learners (withdrawn
    excluded), mean progress and completed learners: one query whatever their number."""
    learners, done, totals = run_aggregates()
    completed = (
        sa.select(Enrolment.run_id.label("run_id"), sa.func.count(Enrolment.id).label("n"))
        .where(Enrolment.status == EnrolmentStatus.COMPLETED)
        .group_by(Enrolment.run_id)
        .subquery()
    )
    query = (
        sa.select(CourseRun, learners.c.n, done.c.n, totals.c.n, completed.c.n)
        .join(CourseRun.course)
        .options(contains_eager(CourseRun.course))
        .outerjoin(learners, learners.c.run_id == CourseRun.id)
        .outerjoin(done, done.c.run_id == CourseRun.id)
        .outerjoin(totals, totals.c.course_id == CourseRun.course_id)
        .outerjoin(completed, completed.c.run_id == CourseRun.id)
        .where(CourseRun.starts_on <= today, CourseRun.ends_on >= today)
        .order_by(CourseRun.starts_on, CourseRun.id)
    )
    found = []
    for run, n_learners, n_done, n_total, n_completed in db.session.execute(query).unique():
        slots = (n_learners or 0) * (n_total or 0)
        progress = (n_done or 0) / slots if slots else None
        found.append(RunInProgress(run, n_learners or 0, progress, n_completed or 0))
    return found


def dashboard(user) -> list[DashboardPanel]:
    """The panel of the sessions in progress, for administrators."""
    if not user.is_admin:
        return []
    runs = runs_in_progress(date.today())
    rows = [(r.run.title, None if r.progress is None else 100 * r.progress) for r in runs]
    chart = {
        "chart": charts.bars(rows),
        "id": "runs-progress",
        "title": _("Avancement moyen des sessions en cours"),
        "desc": _(
            "Part des activités terminées par les apprenants de chacune des %(n)d sessions en "
            "cours.",
            n=len(runs),
        ),
    }
    context = {"runs": runs, "chart": chart if runs else None}
    return [DashboardPanel("courses/admin/_dashboard_runs.html", context, order=10)]
