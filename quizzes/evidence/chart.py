"""The report's chart of the group's self-assessment before and after, per objective.

Kept minimal on purpose (a shared chart library may replace it): the geometry is that of the
learner's chart (:mod:`quizzes.results.chart`), drawn by ``quizzes/evidence/_bars.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizzes.results.chart import CHART_WIDTH, ChartRow, chart_height, chart_rows


@dataclass
class Chart:
    """What the SVG template needs."""

    rows: list[ChartRow]
    width: int
    height: int


def bars(objectives: list, top: float) -> Chart | None:
    """Pre/post bars of the objectives that have answers; None when nobody answered."""
    answered = [row for row in objectives if row.pre is not None or row.post is not None]
    if not answered:
        return None
    return Chart(chart_rows(answered, top), CHART_WIDTH, chart_height(answered))
