"""Progress per competency: the mean of the pre and post self-assessment answers.

Each competency is an objective of the course (``Course.objectives``: ``key``, ``text``); the
questions of a self-assessment name theirs in ``Question.competency``. Means are SQL averages
of ``Answer.value`` over each person's latest submitted pre and post attempts.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from courses.models import Course, CourseRun
from lms.db import db
from quizzes.models import Answer, Attempt, Instrument, InstrumentKind, Purpose, Question

PRE_POST = (Purpose.PRE, Purpose.POST)


@dataclass
class CompetencyMeans:
    """Pre and post means (None when not answered) of one competency for one person."""

    key: str
    text: str
    pre: float | None = None
    post: float | None = None

    @property
    def gain(self) -> float | None:
        """Post minus pre, when both are known."""
        if self.pre is None or self.post is None:
            return None
        return self.post - self.pre


def pre_post_means(run_id: int, user_ids: list[int]) -> dict[tuple[int, str, str], float]:
    """Return {(user_id, purpose, competency): mean value} for the given people of a run.

    Two statements in one: the latest submitted pre/post attempt of each person is picked by a
    grouped subquery, then the answers are averaged per competency.
    """
    if not user_ids:
        return {}
    latest = _latest_attempts(run_id, user_ids)
    rows = db.session.execute(
        sa.select(
            latest.c.user_id, latest.c.purpose, Question.competency, sa.func.avg(Answer.value)
        )
        .join(Answer, Answer.attempt_id == latest.c.attempt_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.competency.is_not(None), Answer.value.is_not(None))
        .group_by(latest.c.user_id, latest.c.purpose, Question.competency)
    )
    return {(u, p, c): float(mean) for u, p, c, mean in rows}


def _latest_attempts(run_id: int, user_ids: list[int]):
    """Subquery: the latest submitted pre and post self-assessment attempt of each person."""
    return (
        sa.select(Attempt.user_id, Instrument.purpose, sa.func.max(Attempt.id).label("attempt_id"))
        .join(Instrument, Instrument.id == Attempt.instrument_id)
        .where(
            Attempt.run_id == run_id,
            Attempt.user_id.in_(user_ids),
            Attempt.submitted_at.is_not(None),
            Instrument.kind == InstrumentKind.SELF_ASSESSMENT,
            Instrument.purpose.in_(PRE_POST),
        )
        .group_by(Attempt.user_id, Instrument.purpose)
        .subquery()
    )


def objectives(course: Course) -> list[tuple[str, str]]:
    """The course's objectives as ``(key, text)`` pairs, in their order."""
    found = []
    for item in course.objectives or []:
        if isinstance(item, dict) and item.get("key"):
            found.append((str(item["key"]), str(item.get("text") or item["key"])))
    return found


def learner_competencies(run: CourseRun, user_id: int) -> list[CompetencyMeans]:
    """One learner's pre and post means per competency, in the order of the objectives.

    Competencies answered but missing from the objectives come last, under their key.
    """
    means = pre_post_means(run.id, [user_id])
    rows = {key: CompetencyMeans(key, text) for key, text in objectives(run.course)}
    for (_user, purpose, key), mean in sorted(means.items()):
        row = rows.setdefault(key, CompetencyMeans(key, key))
        setattr(row, "pre" if purpose == Purpose.PRE else "post", mean)
    return list(rows.values())


def scale_top(run: CourseRun) -> float:
    """The highest value a competency question of the run's self-assessments can take.

    Read from the options of the scale questions (integer keys); 5 when none says.
    """
    settings = db.session.scalars(
        sa.select(Question.settings)
        .join(Instrument, Instrument.id == Question.instrument_id)
        .where(
            Instrument.course_id == run.course_id,
            Instrument.purpose.in_(PRE_POST),
            Question.competency.is_not(None),
        )
    )
    top = 0.0
    for data in settings:
        for option in (data or {}).get("options") or []:
            key = option.get("key") if isinstance(option, dict) else None
            try:
                top = max(top, float(key))
            except (TypeError, ValueError):
                continue
    return top or 5.0
