"""Geometry of the SVG charts (lms.charts), checked against figures worked out by hand."""

from __future__ import annotations

import pytest

from lms import charts


def test_diverging_bars_centre_the_neutral_level_on_the_middle_line():
    chart = charts.diverging([("Accueil", [1, 1, 2, 4, 2])], 5)  # 10 answers, 5 levels
    span = (charts.WIDTH - charts.LABEL_WIDTH - 10) / 2
    centre = charts.LABEL_WIDTH + span
    segs = chart.rects
    assert [r.css for r in segs] == [
        "seg seg-neg-2",
        "seg seg-neg-1",
        "seg seg-mid-0",
        "seg seg-pos-1",
        "seg seg-pos-2",
    ]
    # Left of the centre: 1 + 1 answers and half of the 2 neutral ones, i.e. 3 tenths of a span.
    assert segs[0].x == pytest.approx(centre - span * 0.3, abs=0.1)
    neutral = segs[2]
    assert neutral.x + neutral.w / 2 == pytest.approx(centre, abs=0.1)
    assert sum(r.w for r in segs) == pytest.approx(span, abs=0.5)  # 100 % is one span wide
    assert [r.text for r in segs] == ["", "", "20 %", "40 %", "20 %"]  # 10 % is too narrow
    assert chart.texts[0].text == "Accueil" and chart.texts[0].anchor == "end"


def test_diverging_bars_with_an_even_scale_have_no_middle_level():
    chart = charts.diverging([("Q", [0, 2, 2, 0])], 4, labels=False)
    assert [r.css for r in chart.rects] == ["seg seg-neg-1", "seg seg-pos-1"]
    centre = chart.lines[0].x1
    assert chart.rects[0].x + chart.rects[0].w == pytest.approx(centre, abs=0.1)
    assert not chart.texts  # no row label: the heading names the question


def test_a_row_without_answers_draws_no_bar():
    chart = charts.diverging([("Vide", [0, 0, 0])], 3)
    assert chart.rects == [] and chart.texts[0].text == "Vide"


def test_histogram_bins_scores_and_draws_the_pass_mark():
    assert charts.bin_counts([0, 9.9, 10, 55, 100, 100], 10) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    chart = charts.histogram([10, 15, 55, 100], 10, mark=60)
    heights = [r.h for r in chart.rects]
    assert heights[1] == max(heights)  # two scores in 10–20: the tallest bar
    assert heights[0] == 0 and chart.rects[1].text == "2" and chart.rects[0].text == ""
    mark = next(line for line in chart.lines if line.css == "chart-mark")
    left = 40
    assert mark.x1 == pytest.approx(left + (charts.WIDTH - left - 10) * 0.6)
    assert any(t.text == "60 %" for t in chart.texts)


def test_scatter_places_points_and_shapes_flagged_ones():
    chart = charts.scatter([(0, -100, "Q1", False), (100, 100, "Q2", True)], guide_y=20)
    low, high = chart.circles
    assert (low.x, low.y) == (50, 310)  # bottom left corner of the plot
    assert (high.x, high.y) == (50 + charts.WIDTH - 70, 10)  # top right
    assert low.css == "dot" and high.css == "dot flagged"
    guide = next(line for line in chart.lines if line.css == "chart-mark")
    assert guide.y1 == pytest.approx(10 + 300 * (1 - 120 / 200))
    assert [t.text for t in chart.texts if t.css == "chart-point"] == ["Q1", "Q2"]


def test_share_and_short_labels():
    assert charts.share_text(1, 3) == "33 %" and charts.share_text(1, 0) == ""
    assert charts.short("x" * 40, 10) == "xxxxxxxxx…"


def test_heat_levels_keep_done_apart_from_almost_done():
    ratios = (None, 0, 0.1, 0.4, 0.6, 0.99, 1)
    assert [charts.heat_level(r) for r in ratios] == [0, 0, 1, 2, 2, 3, 4]


def test_dumbbell_joins_before_and_after_and_writes_the_gain(app):
    with app.test_request_context():
        chart = charts.dumbbell([("Portail", 2.0, 4.0), ("Open data", None, 3.0)], 1, 5)
    span = charts.WIDTH - charts.LABEL_WIDTH - 60
    before, after, alone = chart.circles
    assert before.x == charts.LABEL_WIDTH + span / 4
    assert after.x == charts.LABEL_WIDTH + span * 3 / 4
    assert (before.css, after.css) == ("dot dot-pre", "dot dot-post")
    assert alone.css == "dot dot-post"  # no « before »: no line, no gain
    links = [line for line in chart.lines if line.css == "chart-link"]
    assert len(links) == 1 and (links[0].x1, links[0].x2) == (before.x, after.x)
    assert [t.text for t in chart.texts if t.css == "chart-point"] == ["+2,0"]


def test_funnel_bars_are_shares_of_the_first_step():
    chart = charts.funnel([("Invités", 10), ("Relancés", 6), ("Ont répondu", 5), ("Expirés", 0)])
    span = charts.WIDTH - charts.LABEL_WIDTH - 90
    assert [r.w for r in chart.rects] == [span, span * 0.6, span * 0.5, 0]
    assert [t.text for t in chart.texts if t.css == "chart-point"] == [
        "10",
        "6 (60 %)",
        "5 (50 %)",
        "0 (0 %)",
    ]


def test_weighted_bins_count_each_value_its_number_of_times():
    assert charts.bin_counts([0, 55, 100], 10, [3, 1, 2]) == [3, 0, 0, 0, 0, 1, 0, 0, 0, 2]
    assert charts.bin_counts([0, 0, 0, 55, 100, 100], 10) == charts.bin_counts(
        [0, 55, 100], 10, [3, 1, 2]
    )
