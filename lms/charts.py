"""Geometry of the server-rendered SVG charts: plain shapes in SVG user units, no drawing library.

Each function returns a :class:`Chart` (rectangles, lines, texts) that the generic template
``lms/charts/_svg.html`` draws; the template of each chart kind adds its title, description and
the table of the same figures. Colours come from CSS classes (``lms/static/parcours.css``) and
never carry meaning alone: segments carry patterns and their figures are written on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_decimal

#: Width of every chart's drawing, in SVG units (the SVG scales down to the screen).
WIDTH = 640
#: Room left of the bars for the row labels.
LABEL_WIDTH = 200
ROW = 30
BAR = 20
#: Narrowest segment that still gets its figure written inside (SVG units).
MIN_LABELLED = 26


@dataclass
class Rect:
    """A rectangle; ``text`` is written at its centre, ``tip`` is its ``<title>``."""

    x: float
    y: float
    w: float
    h: float
    css: str
    text: str = ""
    tip: str = ""
    #: Baseline of ``text`` (default: inside the rectangle, vertically centred).
    ty: float | None = None

    @property
    def text_y(self) -> float:
        """Where ``text`` sits."""
        return self.ty if self.ty is not None else round(self.y + self.h * 0.7, 1)


@dataclass
class Line:
    """A straight line (axis, guide, pass mark)."""

    x1: float
    y1: float
    x2: float
    y2: float
    css: str = "chart-axis"


@dataclass
class Text:
    """A label at (x, y); ``anchor`` is ``start``, ``middle`` or ``end``."""

    x: float
    y: float
    text: str
    anchor: str = "start"
    css: str = "chart-text"


@dataclass
class Chart:
    """What a chart template draws."""

    width: float
    height: float
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    circles: list[Rect] = field(default_factory=list)


def signed(value: float) -> str:
    """``+0,8`` / ``-1,2``: a difference with its sign, one decimal, in the page's language."""
    return format_decimal(value, format="+#,##0.0;-#,##0.0")


def share_text(part: float, whole: float) -> str:
    """``"40 %"`` of ``part`` in ``whole`` (rounded), empty when ``whole`` is 0."""
    return f"{round(100 * part / whole)} %" if whole else ""


def short(text: str, limit: int = 30) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (labels beside a bar)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def heat_level(ratio: float | None, levels: int = 5) -> int:
    """Shade (0 … ``levels`` - 1) of a heat-map cell for a ratio 0–1: 0 is nothing done, the
    last level only a complete one (so « done » never shares a shade with « almost »)."""
    if not ratio or ratio <= 0:
        return 0
    if ratio >= 1:
        return levels - 1
    return 1 + min(levels - 3, int(ratio * (levels - 2)))


def diverging(rows: list[tuple[str, list[int]]], levels: int, labels: bool = True) -> Chart:
    """Diverging stacked bars of Likert answers: one bar per row (label, count per level from
    the lowest level up). Levels below the middle extend left of the centre line, those above
    to the right, a middle level (odd ``levels``) is split across it. Segments are classed
    ``seg-<side>-<distance from the centre>`` so that CSS gives each a colour and a pattern.
    Without ``labels`` (one row, named by the heading above it) the bars take the full width."""
    room = LABEL_WIDTH if labels else 10
    span = (WIDTH - room - 10) / 2
    centre = room + span
    chart = Chart(WIDTH, 10 + ROW * max(1, len(rows)) + 4)
    chart.lines.append(Line(centre, 4, centre, chart.height - 2, "chart-centre"))
    half = levels // 2
    for index, (label, counts) in enumerate(rows):
        y = 10 + index * ROW
        if labels:
            chart.texts.append(Text(LABEL_WIDTH - 8, y + BAR * 0.7, short(label, 26), "end"))
        total = sum(counts)
        if not total:
            continue
        neutral = counts[half] if levels % 2 else 0
        left = centre - span * (sum(counts[:half]) + neutral / 2) / total
        for level, count in enumerate(counts):
            width = span * count / total
            if not width:
                continue
            distance = level - half if levels % 2 else (level - half + (level >= half))
            side = "neg" if distance < 0 else "pos" if distance > 0 else "mid"
            text = share_text(count, total) if width >= MIN_LABELLED else ""
            css = f"seg seg-{side}-{abs(distance)}"
            chart.rects.append(Rect(round(left, 1), y, round(width, 1), BAR, css, text))
            left += width
    return chart


def histogram(
    values: list[float],
    bins: int = 10,
    mark: float | None = None,
    ticks: list[str] | None = None,
    weights: list[int] | None = None,
) -> Chart:
    """Histogram of percentages (0–100) in ``bins`` equal classes (100 goes in the last one),
    the count written on each bar, with a dashed line at the pass ``mark``. ``ticks`` (``bins +
    1`` labels) name the class edges when the values are not percentages but were scaled to
    0–100 (gains, for instance). ``weights``: how many times each value counts (1 each when
    None)."""
    counts = bin_counts(values, bins, weights)
    unit = "" if ticks else " %"
    ticks = ticks or [str(round(100 * i / bins)) for i in range(bins + 1)]
    top = max(counts) or 1
    left, bottom, height = 40, 190, 150
    step = (WIDTH - left - 10) / bins
    chart = Chart(WIDTH, 214)
    chart.lines.append(Line(left, bottom, WIDTH - 10, bottom))
    for index, count in enumerate(counts):
        h = height * count / top
        x = left + index * step
        low, high = ticks[index], ticks[index + 1]
        tip = f"{low}–{high}{unit} : {count}"
        text = str(count) if count else ""
        chart.rects.append(Rect(x + 2, bottom - h, step - 4, h, "bar", text, tip, bottom - h - 4))
        chart.texts.append(Text(x, bottom + 16, low, "middle", "chart-tick"))
    chart.texts.append(Text(WIDTH - 10, bottom + 16, ticks[-1], "end", "chart-tick"))
    if mark is not None:
        x = left + (WIDTH - left - 10) * min(max(mark, 0), 100) / 100
        chart.lines.append(Line(x, 12, x, bottom, "chart-mark"))
        chart.texts.append(Text(x - 4, 10, f"{mark:g} %", "end", "chart-point"))
    return chart


def bin_counts(values: list[float], bins: int, weights: list[int] | None = None) -> list[int]:
    """How many ``values`` (percentages) fall in each of ``bins`` equal classes of 0–100, each
    counted ``weights[i]`` times (once when None)."""
    counts = [0] * bins
    for position, value in enumerate(values):
        index = min(bins - 1, max(0, int(value * bins // 100)))
        counts[index] += weights[position] if weights is not None else 1
    return counts


def scatter(
    points: list[tuple[float, float, str, bool]],
    x_range=(0, 100),
    y_range=(-100, 100),
    guide_y: float | None = None,
) -> Chart:
    """A scatter plot of (x, y, label, flagged) points, each labelled beside its dot; flagged
    points are drawn as squares (shape, not only colour, tells them apart); ``guide_y`` draws a
    dashed threshold line across the plot."""
    left, top, plot_w, plot_h = 50, 10, WIDTH - 70, 300
    chart = Chart(WIDTH, top + plot_h + 40)

    def at(x: float, y: float) -> tuple[float, float]:
        fx = (x - x_range[0]) / (x_range[1] - x_range[0])
        fy = (y - y_range[0]) / (y_range[1] - y_range[0])
        fx, fy = min(max(fx, 0.0), 1.0), min(max(fy, 0.0), 1.0)
        return round(left + fx * plot_w, 1), round(top + (1 - fy) * plot_h, 1)

    chart.lines.append(Line(left, top + plot_h, left + plot_w, top + plot_h))
    chart.lines.append(Line(left, top, left, top + plot_h))
    for label, x, y in points_ticks(x_range, y_range):
        px, py = at(x, y)
        if y == y_range[0]:
            chart.texts.append(Text(px, top + plot_h + 16, label, "middle", "chart-tick"))
        else:
            chart.texts.append(Text(left - 6, py + 4, label, "end", "chart-tick"))
    if guide_y is not None:
        _gx, gy = at(x_range[0], guide_y)
        chart.lines.append(Line(left, gy, left + plot_w, gy, "chart-mark"))
    for x, y, label, flagged in points:
        px, py = at(x, y)
        css = "dot flagged" if flagged else "dot"
        chart.circles.append(Rect(px, py, 6, 6, css, label, f"{label} : {x:.0f} ; {y:.0f}"))
        chart.texts.append(Text(px + 9, py + 4, label, "start", "chart-point"))
    return chart


def points_ticks(x_range, y_range, steps: int = 4) -> list[tuple[str, float, float]]:
    """(label, x, y) of the ticks along both axes: x ticks at the bottom, y ticks at the left."""
    ticks = []
    for i in range(steps + 1):
        x = x_range[0] + (x_range[1] - x_range[0]) * i / steps
        ticks.append((f"{x:g}", x, y_range[0]))
    for i in range(1, steps + 1):
        y = y_range[0] + (y_range[1] - y_range[0]) * i / steps
        ticks.append((f"{y:g}", x_range[0], y))
    return ticks


def dumbbell(rows: list[tuple[str, float | None, float | None]], low: float, high: float) -> Chart:
    """One line per row from its « before » value (hollow dot) to its « after » value (filled
    dot) on a ``low``–``high`` scale, the difference written at the right end of the row."""
    span = WIDTH - LABEL_WIDTH - 60
    chart = Chart(WIDTH, 34 + ROW * max(1, len(rows)))

    def x_of(value: float) -> float:
        share = (min(max(value, low), high) - low) / ((high - low) or 1)
        return round(LABEL_WIDTH + span * share, 1)

    for step in range(int(low), int(high) + 1):
        x = x_of(step)
        chart.lines.append(Line(x, 4, x, chart.height - 22, "chart-grid"))
        chart.texts.append(Text(x, chart.height - 6, str(step), "middle", "chart-tick"))
    for index, (label, before, after) in enumerate(rows):
        y = 14 + index * ROW
        chart.texts.append(Text(LABEL_WIDTH - 12, y + 4, short(label, 25), "end"))
        if before is not None and after is not None:
            chart.lines.append(Line(x_of(before), y, x_of(after), y, "chart-link"))
            gain = after - before
            chart.texts.append(
                Text(WIDTH - 8, y + 4, f"{gain:+.1f}".replace(".", ","), "end", "chart-point")
            )
        for value, css in ((before, "dot dot-pre"), (after, "dot dot-post")):
            if value is not None:
                chart.circles.append(Rect(x_of(value), y, 6, 6, css, "", f"{value:.1f}"))
    return chart


def funnel(steps: list[tuple[str, int]]) -> Chart:
    """Horizontal bars of successive steps (invited → reminded → answered → expired), each as
    long as its share of the first step, its count and share written beside it."""
    top = steps[0][1] if steps else 0
    span = WIDTH - LABEL_WIDTH - 90
    chart = Chart(WIDTH, 8 + ROW * max(1, len(steps)))
    for index, (label, count) in enumerate(steps):
        y = 6 + index * ROW
        width = round(span * count / top, 1) if top else 0
        chart.texts.append(Text(LABEL_WIDTH - 8, y + BAR * 0.7, short(label, 26), "end"))
        chart.rects.append(Rect(LABEL_WIDTH, y, width, BAR, f"bar step-{index}"))
        shown = f"{count} ({share_text(count, top)})" if index and top else str(count)
        x = LABEL_WIDTH + width + 6
        chart.texts.append(Text(x, y + BAR * 0.7, shown, "start", "chart-point"))
    return chart


def bars(rows: list[tuple[str, float | None]]) -> Chart:
    """One horizontal bar per row for a share in % (0–100), its value written beside it; a row
    without a value gets « — » and no bar."""
    span = WIDTH - LABEL_WIDTH - 60
    chart = Chart(WIDTH, 30 + ROW * max(1, len(rows)))
    for step in range(0, 101, 25):
        x = LABEL_WIDTH + span * step / 100
        chart.lines.append(Line(x, 2, x, chart.height - 22, "chart-grid"))
        chart.texts.append(Text(x, chart.height - 6, f"{step} %", "middle", "chart-tick"))
    for index, (label, value) in enumerate(rows):
        y = 6 + index * ROW
        chart.texts.append(Text(LABEL_WIDTH - 8, y + BAR * 0.7, short(label, 26), "end"))
        if value is None:
            chart.texts.append(Text(LABEL_WIDTH + 6, y + BAR * 0.7, "—", "start", "chart-point"))
            continue
        width = round(span * min(max(value, 0), 100) / 100, 1)
        chart.rects.append(Rect(LABEL_WIDTH, y, width, BAR, "bar", "", f"{label} : {value:.0f} %"))
        x = LABEL_WIDTH + width + 6
        chart.texts.append(Text(x, y + BAR * 0.7, f"{value:.0f} %", "start", "chart-point"))
    return chart
