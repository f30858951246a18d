"""Files a trainer or an administrator downloads about a run: the enrolment list and the
progress grid, as CSV (French Excel) or XLSX, through :mod:`lms.exports` (formulas neutralised).

A column is one line of :data:`ENROLMENT_COLUMNS`: its header and how to read it from a
:class:`Line` (an enrolment with its user, progress and first start).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from sqlalchemy.orm import contains_eager

from courses.models import CourseRun, Enrolment, Module
from courses.queries import GridRow, modules_of, progress_grid
from lms import exports
from lms.db import db
from lms.models import User

FORMATS = ("csv", "xlsx")


def local(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time in the platform's time zone, naive again for spreadsheets."""
    return to_user_timezone(moment).replace(tzinfo=None) if moment else None


def status_label(status: str) -> str:
    """The enrolment status as the pages say it."""
    labels = {
        "invited": _("Invité"),
        "active": _("En cours"),
        "completed": _("Terminé"),
        "withdrawn": _("Retiré"),
    }
    return labels.get(status, status)


@dataclass
class Line:
    """One learner of the run, as the enrolment list exports it."""

    row: GridRow
    started_at: datetime | None

    @property
    def enrolment(self) -> Enrolment:
        """The enrolment, its user loaded."""
        return self.row.enrolment


#: The columns of the enrolment list: (header, value). Add a column by adding a line.
ENROLMENT_COLUMNS: list[tuple[Any, Callable[[Line], Any]]] = [
    (_l("Nom"), lambda line: line.enrolment.user.name),
    (_l("Adresse e-mail"), lambda line: line.enrolment.user.email),
    (_l("Statut"), lambda line: status_label(line.enrolment.status)),
    (_l("Progression (%)"), lambda line: round(line.row.ratio * 100)),
    (_l("Inscrit le"), lambda line: local(line.enrolment.invited_at)),
    (_l("Commencé le"), lambda line: local(line.started_at)),
    (_l("Terminé le"), lambda line: local(line.enrolment.completed_at)),
    (_l("Dernière visite"), lambda line: local(line.enrolment.last_seen_at)),
]


#: Learners read and written per batch by the exports: the file is sent while it is made and
#: only one batch of enrolments is in memory at a time, whatever the size of the run.
EXPORT_BATCH = 500


def _batches(run: CourseRun) -> Iterator[tuple[list[Module], list[GridRow]]]:
    """The run's learners by name, :data:`EXPORT_BATCH` at a time, with their progress (one
    query for the order, then three per batch). A batch's objects are dropped once written:
    the session keeps only weak references to unchanged objects."""
    ids = db.session.scalars(
        sa.select(Enrolment.id)
        .join(Enrolment.user)
        .where(Enrolment.run_id == run.id)
        .order_by(User.name, User.id)
    ).all()
    for start in range(0, len(ids), EXPORT_BATCH):
        enrolments = db.session.scalars(
            sa.select(Enrolment)
            .join(Enrolment.user)
            .options(contains_eager(Enrolment.user))
            .where(Enrolment.id.in_(ids[start : start + EXPORT_BATCH]))
            .order_by(User.name, User.id)
        ).all()
        yield progress_grid(run, enrolments)


def enrolment_rows(run: CourseRun) -> Iterator[list[Any]]:
    """Header then one row per learner, made while the file is sent."""
    yield [str(label) for label, _value in ENROLMENT_COLUMNS]
    for _modules, rows in _batches(run):
        for row in rows:
            line = Line(row, row.enrolment.started_at)
            yield [value(line) for _label, value in ENROLMENT_COLUMNS]


def _grid_header(modules: list[Module]) -> list[Any]:
    return [_("Apprenant"), *(m.title for m in modules), _("Global (%)"), _("Statut")] + [
        _("Dernière visite")
    ]


def grid_rows(run: CourseRun) -> Iterator[list[Any]]:
    """The progress grid: learner, % per module, overall %, status, last visit; made while
    the file is sent."""
    started = False
    for modules, rows in _batches(run):
        if not started:
            started = True
            yield _grid_header(modules)
        for row in rows:
            yield [
                row.enrolment.user.name,
                *(round(stat.ratio * 100) for stat in row.modules),
                round(row.ratio * 100),
                status_label(row.enrolment.status),
                local(row.enrolment.last_seen_at),
            ]
    if not started:  # no learner yet: the header alone
        yield _grid_header(modules_of([run.course_id])[run.course_id])


def download(run: CourseRun, report: str, rows: Iterable[list[Any]], fmt: str):
    """The rows as a CSV or XLSX download named after the run and the report."""
    name = f"session-{run.id}-{exports.ascii_name(run.title)}-{exports.ascii_name(report)}"
    if fmt == "xlsx":
        return exports.xlsx_response([(report[:31], rows)], name + ".xlsx")
    return exports.csv_response(rows, name + ".csv")
