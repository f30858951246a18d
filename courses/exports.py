"""Files a trainer or an administrator downloads about a run: the enrolment list and the
progress grid, as CSV (French Excel) or XLSX, through :mod:`lms.exports` (formulas neutralised).

A column is one line of :data:`ENROLMENT_COLUMNS`: its header and how to read it from a
:class:`Line` (an enrolment with its user, progress and first start).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone

from courses.models import CourseRun, Enrolment, Progress
from courses.queries import GridRow, progress_grid, run_enrolments
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


def enrolment_lines(run: CourseRun) -> list[Line]:
    """Every learner of the run with progress and first start (5 queries, whatever the size)."""
    _modules, rows = progress_grid(run, run_enrolments(run))
    ids = [row.enrolment.id for row in rows]
    first = (
        dict(
            db.session.execute(
                sa.select(Progress.enrolment_id, sa.func.min(Progress.started_at))
                .where(Progress.enrolment_id.in_(ids))
                .group_by(Progress.enrolment_id)
            ).all()
        )
        if ids
        else {}
    )
    return [Line(row, first.get(row.enrolment.id)) for row in rows]


def enrolment_rows(run: CourseRun) -> list[list[Any]]:
    """Header then one row per learner."""
    lines = enrolment_lines(run)
    header = [str(label) for label, _value in ENROLMENT_COLUMNS]
    return [header, *([value(line) for _label, value in ENROLMENT_COLUMNS] for line in lines)]


def grid_rows(run: CourseRun) -> list[list[Any]]:
    """The progress grid: learner, % per module, overall %, status, last visit."""
    modules, rows = progress_grid(run, run_enrolments(run))
    header = [_("Apprenant"), *(m.title for m in modules), _("Global (%)"), _("Statut")]
    header.append(_("Dernière visite"))
    body = [
        [
            row.enrolment.user.name,
            *(round(stat.ratio * 100) for stat in row.modules),
            round(row.ratio * 100),
            status_label(row.enrolment.status),
            local(row.enrolment.last_seen_at),
        ]
        for row in rows
    ]
    return [header, *body]


def download(run: CourseRun, report: str, rows: list[list[Any]], fmt: str):
    """The rows as a CSV or XLSX download named after the run and the report."""
    name = f"session-{run.id}-{exports.ascii_name(run.title)}-{exports.ascii_name(report)}"
    if fmt == "xlsx":
        return exports.xlsx_response([(report[:31], rows)], name + ".xlsx")
    return exports.csv_response(rows, name + ".csv")
