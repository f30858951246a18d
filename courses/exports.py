"""Files a trainer or an administrator downloads about a run: the enrolment list and the
progress grid, as CSV (French Excel) or XLSX, through :mod:`lms.exports` (formulas neutralised).

A column is one line of :data:`ENROLMENT_COLUMNS`: its header and how to read it from a
learner's :class:`courses.queries.GridRow` (the enrolment with its user, and its progress).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from sqlalchemy.orm import contains_eager

from courses import outline
from courses.models import CourseRun, Enrolment
from courses.queries import GridRow, progress_grid
from lms import exports
from lms.db import db

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


#: The columns of the enrolment list: (header, value of a learner's grid row). Add a column by
#: adding a line.
ENROLMENT_COLUMNS: list[tuple[Any, Callable[[GridRow], Any]]] = [
    (_l("Nom"), lambda row: row.enrolment.user.name),
    (_l("Adresse e-mail"), lambda row: row.enrolment.user.email),
    (_l("Statut"), lambda row: status_label(row.enrolment.status)),
    (_l("Progression (%)"), lambda row: round(row.ratio * 100)),
    (_l("Inscrit le"), lambda row: local(row.enrolment.invited_at)),
    (_l("Commencé le"), lambda row: local(row.enrolment.started_at)),
    (_l("Terminé le"), lambda row: local(row.enrolment.completed_at)),
    (_l("Dernière visite"), lambda row: local(row.enrolment.last_seen_at)),
]


#: Learners read and written per batch by the exports: the file is sent while it is made and
#: only one batch of enrolments is in memory at a time, whatever the size of the run.
EXPORT_BATCH = 500


def _batches(run: CourseRun) -> Iterator[tuple[list[outline.OutlineModule], list[GridRow]]]:
    """The run's learners by name, :data:`EXPORT_BATCH` at a time, with their progress (one
    query for the order, then two per batch). A batch's objects are dropped once written:
    the session keeps only weak references to unchanged objects."""
    ids = db.session.scalars(  # in the order of the enrolments' index, as the grid's pages
        sa.select(Enrolment.id)
        .where(Enrolment.run_id == run.id)
        .order_by(Enrolment.learner_name, Enrolment.user_id)
    ).all()
    for start in range(0, len(ids), EXPORT_BATCH):
        enrolments = db.session.scalars(
            sa.select(Enrolment)
            .join(Enrolment.user)
            .options(contains_eager(Enrolment.user))
            .where(Enrolment.id.in_(ids[start : start + EXPORT_BATCH]))
            .order_by(Enrolment.learner_name, Enrolment.user_id)
        ).all()
        yield progress_grid(run, enrolments)


def enrolment_rows(run: CourseRun) -> Iterator[list[Any]]:
    """Header then one row per learner, made while the file is sent."""
    yield [str(label) for label, _value in ENROLMENT_COLUMNS]
    for _modules, rows in _batches(run):
        for row in rows:
            yield [value(row) for _label, value in ENROLMENT_COLUMNS]


def grid_rows(run: CourseRun) -> Iterator[list[Any]]:
    """The progress grid: learner, % per module, overall %, status, last visit; made while
    the file is sent."""
    modules = outline.course_outline(run.course).modules  # those of every row (progress_grid)
    yield [
        _("Apprenant"),
        *(m.title for m in modules),
        _("Global (%)"),
        _("Statut"),
        _("Dernière visite"),
    ]
    for _modules, rows in _batches(run):
        for row in rows:
            yield [
                row.enrolment.user.name,
                *(round(stat.ratio * 100) for stat in row.modules),
                round(row.ratio * 100),
                status_label(row.enrolment.status),
                local(row.enrolment.last_seen_at),
            ]


def download(run: CourseRun, report: str, rows: Iterable[list[Any]], fmt: str):
    """The rows as a CSV or XLSX download named after the run and the report."""
    name = f"session-{run.id}-{exports.ascii_name(run.title)}-{exports.ascii_name(report)}"
    if fmt == "xlsx":
        return exports.xlsx_response([(report[:31], rows)], name + ".xlsx")
    return exports.csv_response(rows, name + ".csv")
