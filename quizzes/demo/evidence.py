"""Demo of the evidence: the trainers of the 2022 GCU07 sessions chose which satisfaction
comments to quote (the first three, in order of the questions, of each session), and the
administrator published GCU07's 2022 aggregates as open data."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from courses.demo import data
from courses.models import CourseRun
from lms.db import db
from lms.models import Role, User
from quizzes.evidence.comments import candidates, save_selection
from quizzes.evidence.models import OpenDataRelease, ReportComment
from quizzes.evidence.opendata import LICENCES, package

#: Comments quoted in each 2022 session's report.
QUOTED = 3
#: When the administrator published the 2022 open data (fixed: the demo is the same every run).
PUBLISHED_AT = datetime(2023, 2, 1, 10, 0)


def load() -> list[str]:
    """Select the quoted comments of the 2022 GCU07 sessions once; return lines to print."""
    quoted = 0
    for spec in data.PAST_GCU07:
        run = db.session.scalar(sa.select(CourseRun).where(CourseRun.title == spec.title))
        if run is None or _has_selection(run.id):
            continue
        chosen = {c.answer_id for c in candidates(run.id)[:QUOTED]}
        trainer = run.trainers[0].id if run.trainers else None
        quoted += save_selection(run.id, chosen, trainer)
    db.session.commit()
    lines = [f"Rapports de session : {quoted} commentaire(s) cité(s)."] if quoted else []
    return lines + _open_data()


def _open_data() -> list[str]:
    """Publish GCU07's aggregates of the year 2022 once (the period of its two past runs)."""
    first = db.session.scalar(
        sa.select(CourseRun).where(CourseRun.title == data.PAST_GCU07[0].title)
    )
    if first is None:
        return []
    exists = sa.select(OpenDataRelease.id).where(OpenDataRelease.course_id == first.course_id)
    if db.session.scalar(exists) is not None:
        return []
    start, end = date(2022, 1, 1), date(2022, 12, 31)
    licence = next(iter(LICENCES))
    admin = db.session.scalar(sa.select(User.id).where(User.role == Role.ADMIN).order_by(User.id))
    release = OpenDataRelease(
        course_id=first.course_id,
        starts_on=start,
        ends_on=end,
        licence=licence,
        archive=package(first.course, start, end, licence, PUBLISHED_AT),
        created_at=PUBLISHED_AT,
        created_by_id=admin,
    )
    db.session.add(release)
    db.session.commit()
    return ["Données ouvertes : agrégats 2022 de GCU07 publiés (page publique de la formation)."]


def _has_selection(run_id: int) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count()).where(ReportComment.run_id == run_id)))
