"""Geometry of the learner's pre/post chart: one pair of horizontal bars per competency."""

from __future__ import annotations

from dataclasses import dataclass

from quizzes.results.competencies import CompetencyMeans


@dataclass
class Bar:
    """One bar of the chart, in SVG user units."""

    y: float
    width: float
    value: float | None
    css: str


@dataclass
class ChartRow:
    """A competency in the chart: its label position and its pre and post bars."""

    label: str
    label_y: float
    bars: list[Bar]


CHART_WIDTH = 640
BAR_MAX = 520
BAR_HEIGHT = 18
ROW_HEIGHT = 74


def chart_rows(rows: list[CompetencyMeans], top: float) -> list[ChartRow]:
    """Lay out the horizontal bars of the pre/post chart (values scaled to ``top``)."""
    laid = []
    for index, row in enumerate(rows):
        y = 40 + index * ROW_HEIGHT
        bars = []
        for offset, value, css in (
            (8, row.pre, "bar-pre"),
            (8 + BAR_HEIGHT + 4, row.post, "bar-post"),
        ):
            width = 0.0 if value is None else round(BAR_MAX * min(value, top) / top, 1)
            bars.append(Bar(y + offset, width, value, css))
        label = row.text if len(row.text) <= 80 else row.text[:79] + "…"
        laid.append(ChartRow(label, y, bars))
    return laid


def chart_height(rows: list[CompetencyMeans]) -> int:
    """Height of the chart's drawing area."""
    return 40 + ROW_HEIGHT * max(1, len(rows))
