"""The learners of a run as the staff tables list them: one page at a time, searched, filtered
and sorted in SQL, with the totals of the whole run (:mod:`lms.pagination`).

Used by the trainer's progress grid and the administrator's enrolments page; the cost of a
page does not grow with the size of the run (a COUNT, a page of rows, the aggregates of that
page only, and the run's totals in one grouped query).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from courses.models import Activity, CourseRun, Enrolment, EnrolmentStatus, Module, Progress
from courses.outline import OutlineModule
from lms.db import db, utcnow
from lms.models import User
from lms.pagination import Listing, Page, paginate, search

SORTS = ("name", "email", "status", "last_seen", "progress")
#: The « state » filter: not started yet, late (not finished, access ending within a week or
#: the run over), finished.
STATES = ("not_started", "late", "completed")
LATE_WITHIN = timedelta(days=7)


def listing(args, modules: Sequence[Module | OutlineModule]) -> Listing:
    """What the person asked of the table of learners (query string)."""
    filters = {
        "status": [s.value for s in EnrolmentStatus],
        "state": STATES,
        "module": [str(m.id) for m in modules],
    }
    return Listing.from_args(args, SORTS, "name", filters)


def _started():
    """The learner has progress: an activity opened, or completed for them (a roll call)."""
    return Enrolment.started_at.is_not(None)


def _reached(run: CourseRun, module: Module | OutlineModule):
    """The learner opened an activity of ``module`` or of a later module."""
    return (
        sa.exists()
        .where(Progress.enrolment_id == Enrolment.id)
        .where(Activity.id == Progress.activity_id, Module.id == Activity.module_id)
        .where(Module.course_id == run.course_id, Module.position >= module.position)
    )


def _late(run: CourseRun):
    unfinished = Enrolment.status.in_([EnrolmentStatus.INVITED, EnrolmentStatus.ACTIVE])
    if run.ends_on is not None and run.ends_on < utcnow().date():
        return unfinished
    return sa.and_(unfinished, Enrolment.access_ends_at < utcnow() + LATE_WITHIN)


def _conditions(run: CourseRun, chosen: Listing, modules: Sequence[Module | OutlineModule]) -> list:
    conditions = [Enrolment.run_id == run.id]
    found = search(chosen.q, User.name, User.email)
    if found is not None:
        conditions.append(found)
    f = chosen.filters
    if "status" in f:
        conditions.append(Enrolment.status == f["status"])
    state = f.get("state")
    if state == "not_started":
        conditions.append(~_started())
    elif state == "late":
        conditions.append(_late(run))
    elif state == "completed":
        conditions.append(Enrolment.status == EnrolmentStatus.COMPLETED)
    module = next((m for m in modules if str(m.id) == f.get("module")), None)
    if module is not None:
        conditions.append(_reached(run, module))
    return conditions


#: The administrator's order puts withdrawn learners last: written as the expression of the
#: index ``ix_enrolments_run_listed`` (a literal, not a bound parameter), so that the database
#: reads a page in that index's order instead of sorting the whole run.
WITHDRAWN_LAST = Enrolment.status == sa.literal_column("'withdrawn'")


def learners_page(
    run: CourseRun,
    chosen: Listing,
    modules: Sequence[Module | OutlineModule],
    withdrawn_last: bool = False,
    totals: RunTotals | None = None,
) -> Page:
    """One page of the run's enrolments (users loaded) matching ``chosen``; sorted by name,
    ``withdrawn_last`` puts withdrawn learners after the others.

    Sorted by name from the enrolments alone (``learner_name``, the person's name kept on the
    enrolment, and its indexes): the database reads the page's 50 rows in index order, with
    12 or 5,000 learners in the run. The users are joined only to search them or to sort by
    e-mail; the page's enrolments and users are then loaded by id. With the run's ``totals``
    (which the page shows anyway), a table neither searched nor filtered is not counted again.
    """
    conditions = _conditions(run, chosen, modules)
    searched = bool(chosen.q.split())
    counted = sa.select(Enrolment.id).where(*conditions)
    query = counted.join(Enrolment.user) if searched or chosen.sort == "email" else counted
    if searched:  # the search's conditions need the users' names
        counted = query
    done = (
        sa.select(sa.func.count(Progress.id))
        .where(Progress.enrolment_id == Enrolment.id, Progress.completed_at.is_not(None))
        .correlate(Enrolment)
        .scalar_subquery()
    )
    by_name = [Enrolment.learner_name, Enrolment.user_id]
    columns = {
        "name": by_name,
        "email": [User.email, User.id],
        "status": [Enrolment.status, *by_name],
        "last_seen": [Enrolment.last_seen_at, *by_name],
        "progress": [done, *by_name],
    }
    if withdrawn_last and chosen.sort == "name" and not chosen.desc:
        order = [c.asc() for c in (WITHDRAWN_LAST, *by_name)]
    else:
        order = chosen.order_by(columns)
    known = totals.enrolments if totals is not None and not chosen.filtered() else None
    return paginate(query, chosen, order, fetch=_enrolments_in_order, counted=counted, total=known)


def _enrolments_in_order(statement: sa.Select) -> list[Enrolment]:
    """The enrolments (users loaded) whose ids ``statement`` gives, in its order."""
    ids = db.session.scalars(statement).all()
    if not ids:
        return []
    found = db.session.scalars(_enrolments_with_users(), {"ids": ids}).unique()
    by_id = {enrolment.id: enrolment for enrolment in found}
    return [by_id[i] for i in ids if i in by_id]


@cache
def _enrolments_with_users() -> sa.Select:
    """Enrolments by id with their users (built once)."""
    return (
        sa.select(Enrolment)
        .join(Enrolment.user)
        .options(contains_eager(Enrolment.user))
        .where(Enrolment.id.in_(sa.bindparam("ids", expanding=True)))
    )


@dataclass
class RunTotals:
    """The whole run, whatever the page shown: learners per status, and how many started."""

    by_status: dict[str, int] = field(default_factory=dict)
    started: int = 0

    @property
    def enrolments(self) -> int:
        """Every enrolment of the run, withdrawn ones included (the rows of its tables)."""
        return sum(self.by_status.values())

    @property
    def learners(self) -> int:
        """Enrolments that count (every status but withdrawn)."""
        return sum(n for s, n in self.by_status.items() if s != EnrolmentStatus.WITHDRAWN)

    @property
    def not_started(self) -> int:
        """Learners (not withdrawn) who opened nothing yet."""
        return max(0, self.learners - self.started)


def totals_query(run_id: int) -> sa.Select:
    """Learners per status and how many started, answered from the enrolments' index
    ``ix_enrolments_run_status_started`` without reading the table."""
    return _totals().params(run_id=run_id)


@cache
def _totals() -> sa.Select:
    """:func:`totals_query`'s statement, built once (every staff page of a run runs it)."""
    return (
        sa.select(
            Enrolment.status, sa.func.count(Enrolment.id), sa.func.count(Enrolment.started_at)
        )
        .where(Enrolment.run_id == sa.bindparam("run_id"))
        .group_by(Enrolment.status)
    )


def run_totals(run: CourseRun) -> RunTotals:
    """Counts of the whole run in one grouped query."""
    rows = db.session.execute(_totals(), {"run_id": run.id}).all()
    totals = RunTotals()
    for status, count, started in rows:
        totals.by_status[str(getattr(status, "value", status))] = count
        if status != EnrolmentStatus.WITHDRAWN:
            totals.started += started
    return totals
