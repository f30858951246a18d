"""Demo of the session report: the trainers of the 2022 GCU07 sessions chose which satisfaction
comments to quote (the first three, in order of the questions, of each session)."""

from __future__ import annotations

import sqlalchemy as sa

from courses.demo import data
from courses.models import CourseRun
from lms.db import db
from quizzes.evidence.comments import candidates, save_selection
from quizzes.evidence.models import ReportComment

#: Comments quoted in each 2022 session's report.
QUOTED = 3


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
    return [f"Rapports de session : {quoted} commentaire(s) cité(s)."] if quoted else []


def _has_selection(run_id: int) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count()).where(ReportComment.run_id == run_id)))
