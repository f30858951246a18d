"""Read queries of the learner and trainer pages.

Every function runs a fixed number of SQL statements whatever the number of runs, learners,
modules or activities: rows are fetched in bulk and percentages come from the aggregates of
:mod:`courses.progress`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from courses import outline as outlines
from courses.models import (
    Activity,
    ActivityFile,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    Module,
    Progress,
    run_trainers,
)
from courses.progress import completed_per_module, live_activities
from lms.db import db


def _ratio(done: int, total: int) -> float:
    return done / total if total else 0.0


@dataclass
class OutlineItem:
    """An activity of an outline with the learner's progress on it."""

    activity: Activity | outlines.OutlineActivity
    started_at: datetime | None = None
    completed_at: datetime | None = None
    href: str = ""  # the activity's page in the run
    meta: str = ""  # « kind, duration », translated

    @property
    def done(self) -> bool:
        """Whether the learner completed the activity."""
        return self.completed_at is not None


@dataclass
class ModuleStat:
    """A module with the learner's count of completed activities (and, for outlines, items)."""

    module: Module | outlines.OutlineModule
    done: int = 0
    total: int = 0
    items: list[OutlineItem] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Share of the module completed (0..1)."""
        return _ratio(self.done, self.total)


@dataclass
class RunCard:
    """One run of a learner's « Mon parcours » page."""

    enrolment: Enrolment
    modules: list[ModuleStat]
    resume_id: int | None

    @property
    def done(self) -> int:
        """Activities completed in the whole course."""
        return sum(m.done for m in self.modules)

    @property
    def total(self) -> int:
        """Activities of the whole course."""
        return sum(m.total for m in self.modules)

    @property
    def ratio(self) -> float:
        """Share of the course completed (0..1)."""
        return _ratio(self.done, self.total)


def learner_cards(user) -> list[RunCard]:
    """The runs of ``user`` (not withdrawn), newest first, with progress and resume point.

    Two queries: the enrolments with their runs and courses, then the completed activities;
    the outlines come from :mod:`courses.outline` (computed once per course version).
    """
    enrolments = list(db.session.scalars(_cards()[0], {"user_id": user.id}).unique())
    completed: dict[int, set[int]] = defaultdict(set)
    if enrolments:
        rows = db.session.execute(_cards()[1], {"ids": [e.id for e in enrolments]})
        for enrolment_id, activity_id in rows:
            completed[enrolment_id].add(activity_id)
    cards = []
    found = outlines.course_outlines({e.run.course for e in enrolments})
    for e in enrolments:
        outline = found[e.run.course_id]
        done = completed[e.id]
        stats = [
            ModuleStat(m, sum(1 for a in m.activities if a.id in done), len(m.activities))
            for m in outline.modules
        ]
        cards.append(RunCard(e, stats, outlines.resume_point(outline, e.last_activity_id, done)))
    return cards


@cache
def _cards() -> tuple[sa.Select, sa.Select]:
    """:func:`learner_cards`' two statements, built once (a person's enrolments with their
    runs and courses; the activities they completed)."""
    enrolments = (
        sa.select(Enrolment)
        .join(Enrolment.run)
        .join(CourseRun.course)
        .options(contains_eager(Enrolment.run).contains_eager(CourseRun.course))
        .where(
            Enrolment.user_id == sa.bindparam("user_id"),
            Enrolment.status != EnrolmentStatus.WITHDRAWN,
        )
        .order_by(CourseRun.starts_on.desc(), CourseRun.id.desc())
    )
    completed = sa.select(Progress.enrolment_id, Progress.activity_id).where(
        Progress.enrolment_id.in_(sa.bindparam("ids", expanding=True)),
        Progress.completed_at.is_not(None),
    )
    return enrolments, completed


def course_outline(enrolment: Enrolment) -> list[ModuleStat]:
    """The live modules and activities of the enrolment's course with its progress: the cached
    outline of the course (:mod:`courses.outline`) and one indexed query of the learner's
    progress rows."""
    outline = outlines.course_outline(enrolment.run.course)
    rows = db.session.execute(_progress_of_enrolment(), {"enrolment_id": enrolment.id})
    mine = {activity_id: (started, completed) for activity_id, started, completed in rows}
    texts = outlines.item_texts(enrolment.run.course, enrolment.run_id)
    stats = []
    for module in outline.modules:
        items = [
            OutlineItem(a, *mine.get(a.id, (None, None)), *texts[a.id]) for a in module.activities
        ]
        stats.append(ModuleStat(module, sum(1 for i in items if i.done), len(items), items))
    return stats


@cache
def _progress_of_enrolment() -> sa.Select:
    """One learner's progress rows (built once)."""
    return sa.select(Progress.activity_id, Progress.started_at, Progress.completed_at).where(
        Progress.enrolment_id == sa.bindparam("enrolment_id")
    )


def resume_of(enrolment: Enrolment, outline: list[ModuleStat]) -> int | None:
    """Where the learner of ``outline`` (from :func:`course_outline`) resumes."""
    done = {item.activity.id for stat in outline for item in stat.items if item.done}
    course = outlines.course_outline(enrolment.run.course)
    return outlines.resume_point(course, enrolment.last_activity_id, done)


def live_activity(run: CourseRun, activity_id: int) -> Activity | None:
    """Return the activity if it belongs to the run's course and is not archived, else None.

    Hidden activities (outside the outline) are found too: their plugin's page decides.
    """
    return db.session.scalar(
        _live_activity(), {"activity_id": activity_id, "course_id": run.course_id}
    )


@cache
def _live_activity() -> sa.Select:
    """:func:`live_activity`'s statement, built once; the module comes with the activity."""
    return (
        sa.select(Activity)
        .join(Activity.module)
        .options(contains_eager(Activity.module))
        .where(
            Activity.id == sa.bindparam("activity_id"),
            Activity.course_id == sa.bindparam("course_id"),
            Activity.archived.is_(False),
            Module.archived.is_(False),
        )
    )


def first_file(activity: Activity) -> ActivityFile | None:
    """The file attached to an activity (a memo sheet's download), if any.

    The file named by ``settings["attachment"]`` comes first.
    """
    named = (activity.settings or {}).get("attachment") or ""
    return db.session.scalar(
        sa.select(ActivityFile)
        .where(ActivityFile.activity_id == activity.id)
        .order_by(sa.case((ActivityFile.filename == named, 0), else_=1), ActivityFile.id)
        .limit(1)
    )


@dataclass
class RunSummary:
    """A line of the trainer's list of runs."""

    run: CourseRun
    learners: int
    average: float | None


def run_aggregates():
    """Subqueries: learners per run, completed activities per run, live activities per course."""
    enrolled = Enrolment.status != EnrolmentStatus.WITHDRAWN
    learners = (
        sa.select(Enrolment.run_id.label("run_id"), sa.func.count(Enrolment.id).label("n"))
        .where(enrolled)
        .group_by(Enrolment.run_id)
        .subquery()
    )
    done = (
        sa.select(Enrolment.run_id.label("run_id"), sa.func.count(Progress.id).label("n"))
        .join(Progress, Progress.enrolment_id == Enrolment.id)
        .join(Activity, Activity.id == Progress.activity_id)
        .join(Module, Module.id == Activity.module_id)
        .where(enrolled, Progress.completed_at.is_not(None), live_activities())
        .group_by(Enrolment.run_id)
        .subquery()
    )
    totals = (
        sa.select(Activity.course_id.label("course_id"), sa.func.count(Activity.id).label("n"))
        .join(Module, Module.id == Activity.module_id)
        .where(live_activities())
        .group_by(Activity.course_id)
        .subquery()
    )
    return learners, done, totals


def trainer_run_summaries(user) -> list[RunSummary]:
    """Runs of ``user`` (all runs for administrators) with learner count and mean progress.

    One query: the mean is the completed activities of the learners (withdrawn excluded) over
    learners × activities of the course.
    """
    learners, done, totals = run_aggregates()
    query = (
        sa.select(CourseRun, learners.c.n, done.c.n, totals.c.n)
        .join(CourseRun.course)
        .options(contains_eager(CourseRun.course))
        .outerjoin(learners, learners.c.run_id == CourseRun.id)
        .outerjoin(done, done.c.run_id == CourseRun.id)
        .outerjoin(totals, totals.c.course_id == CourseRun.course_id)
        .order_by(CourseRun.starts_on.desc(), CourseRun.id.desc())
    )
    if not user.is_admin:
        mine = sa.select(run_trainers.c.run_id).where(run_trainers.c.user_id == user.id)
        query = query.where(CourseRun.id.in_(mine))
    summaries = []
    for run, n_learners, n_done, n_total in db.session.execute(query).unique():
        slots = (n_learners or 0) * (n_total or 0)
        summaries.append(RunSummary(run, n_learners or 0, (n_done or 0) / slots if slots else None))
    return summaries


@dataclass
class GridRow:
    """A learner's line of the progress grid."""

    enrolment: Enrolment
    modules: list[ModuleStat]

    @property
    def ratio(self) -> float:
        """Share of the course completed by this learner (0..1)."""
        return _ratio(sum(m.done for m in self.modules), sum(m.total for m in self.modules))


def progress_grid(
    run: CourseRun, enrolments: list[Enrolment]
) -> tuple[list[outlines.OutlineModule], list[GridRow]]:
    """Live modules of the run's course and one row per enrolment given — a page of the run's
    learners (:mod:`courses.roster`) — in one query: the modules and how many live activities
    each holds come from the course's outline (kept per course version), only the activities
    the page's learners completed are read."""
    modules = list(outlines.course_outline(run.course).modules)
    done = completed_per_module([e.id for e in enrolments])
    return modules, [
        GridRow(e, [ModuleStat(m, done.get((e.id, m.id), 0), len(m.activities)) for m in modules])
        for e in enrolments
    ]


def run_enrolment(run: CourseRun, user_id: int) -> Enrolment | None:
    """The enrolment of user ``user_id`` in ``run``, with the user loaded (one query)."""
    return db.session.scalar(
        sa.select(Enrolment)
        .join(Enrolment.user)
        .options(contains_eager(Enrolment.user))
        .where(Enrolment.run_id == run.id, Enrolment.user_id == user_id)
    )


def run_with_course(run_id: int) -> CourseRun | None:
    """The run with its course loaded (one query)."""
    return db.session.scalar(_run_with_course(), {"run_id": run_id})


@cache
def _run_with_course() -> sa.Select:
    """:func:`run_with_course`' statement, built once (every staff page of a run runs it)."""
    return (
        sa.select(CourseRun)
        .join(CourseRun.course)
        .options(contains_eager(CourseRun.course))
        .where(CourseRun.id == sa.bindparam("run_id"))
    )
