"""Dates in tables are formatted from patterns parsed once per language: the text must be
exactly Flask-Babel's, in every language, time zone and format the pages use."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import flask_babel
import pytest
from flask import render_template_string
from flask_babel import force_locale

from lms import formatting

MOMENTS = [
    datetime(2026, 3, 29, 0, 59),  # just before the spring change in Paris (UTC)
    datetime(2026, 3, 29, 1, 0),  # just after
    datetime(2026, 10, 25, 0, 30),
    datetime(2026, 12, 31, 23, 30),  # already next year in Paris
    datetime(2027, 1, 1, 0, 0) + timedelta(microseconds=1),
]
FORMATS = ["short", "medium", "long", "full", "d MMM y", "EEEE d MMMM y 'à' HH:mm"]
#: Fields written without Babel (numbers, names) next to ones asked of it (zones, stand-alone).
FORMATS += ["yy-M-d H:m:s", "yyyy MMM EEE h a", "LLLL zzzz", "dd.MM.yyyy EEEEE hh"]


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Cayenne", "Pacific/Noumea", "UTC"])
def test_dates_read_exactly_as_flask_babel_writes_them(app, zone, monkeypatch):
    monkeypatch.setattr(app.extensions["babel"], "default_timezone", zone)
    for language in ("fr", "en"):
        with app.test_request_context("/"), force_locale(language):
            assert str(flask_babel.get_locale()) == language
            assert str(flask_babel.get_timezone()) == zone
            for moment in MOMENTS:
                for fmt in FORMATS:
                    want = flask_babel.format_datetime(moment, fmt)
                    assert formatting.format_datetime(moment, fmt) == want, (language, fmt)
                for fmt in ("short", "medium", "long", "full"):
                    day = moment.date()
                    assert formatting.format_date(day, fmt) == flask_babel.format_date(day, fmt)


def test_dates_written_once_are_remembered_per_language_and_zone(app, monkeypatch):
    """A table repeats the same dates: the text is remembered, but never shown to a user of
    another language or time zone, and the memory stays bounded."""
    from zoneinfo import ZoneInfo

    babel = app.extensions["babel"]
    naive = datetime(2026, 12, 31, 23, 30)  # UTC: already 2027 in Paris, not in Cayenne
    aware = naive.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Asia/Tokyo"))
    seen = set()
    for _round in range(2):
        for zone in ("Europe/Paris", "America/Cayenne"):
            monkeypatch.setattr(babel, "default_timezone", zone)
            for language in ("fr", "en"):
                with app.test_request_context("/"), force_locale(language):
                    flask_babel.refresh()  # the zone is looked up once per context
                    assert str(flask_babel.get_timezone()) == zone
                    for value in (naive, aware):
                        text = formatting.format_datetime(value, "full")
                        assert text == flask_babel.format_datetime(naive, "full")
                        seen.add(text)
                    day = naive.date()
                    assert formatting.format_date(day, "long") == flask_babel.format_date(
                        day, "long"
                    )
    assert len(seen) == 4  # two languages × two zones, each its own text
    monkeypatch.setattr(formatting, "_WRITTEN_MAX", 3)
    with app.test_request_context("/"):
        for minutes in range(10):
            moment = naive + timedelta(days=400, minutes=minutes)  # never written before
            assert formatting.format_datetime(moment) == flask_babel.format_datetime(moment)
            assert len(formatting._WRITTEN) <= 3


def test_the_template_filters_follow_forced_languages(app):
    template = "{{ when|datetime('short') }} | {{ when|date }} | {{ day|date('long') }}"
    values = {"when": datetime(2026, 12, 7, 9, 5), "day": date(2026, 12, 7)}
    with app.test_request_context("/"):
        assert render_template_string(template, **values) == (
            "07/12/2026 10:05 | 7 déc. 2026 | 7 décembre 2026"
        )
        with force_locale("en"):  # an e-mail in its recipient's language
            assert render_template_string(template, **values) == (
                "12/7/26, 10:05\u202fAM | 7 Dec 2026 | December 7, 2026"
            )
        assert render_template_string(template, **values).startswith("07/12/2026 10:05")


def test_percentages_read_exactly_as_babel_writes_them_twice_over(app):
    ratios = sorted({k / n for n in range(1, 61) for k in range(n + 1)} | {0.575, 0.145, 0.285})
    for language in ("fr", "en"):
        with app.test_request_context("/"), force_locale(language):
            for _ in range(2):  # computed, then remembered
                for ratio in ratios:
                    assert formatting.percent(ratio) == flask_babel.format_percent(ratio), ratio


def test_heat_cells_show_each_ratio_as_babel_writes_it_with_its_shade(app):
    """One row of a progress grid: ratios inside 0..1, none, and the odd ones outside."""
    from types import SimpleNamespace

    from lms.charts import heat_level

    ratios = [0, None, 0.005, 1 / 3, 0.5, 0.575, 0.999, 1, 1.25]
    stats = [SimpleNamespace(ratio=r) for r in ratios]
    for language in ("fr", "en"):
        with app.test_request_context("/"), force_locale(language):
            row = formatting.heat_cells(stats)
            expected = "".join(
                f'<td class="num heat heat-{heat_level(r or 0)}">'
                f"{flask_babel.format_percent(r or 0)}</td>"
                for r in ratios
            )
            assert str(row) == expected


def test_decimals_read_exactly_as_babel_writes_them(app):
    """The ``decimal`` filter (scores, means, item indices) writes what Babel's pattern
    ``#,##0.0…`` writes: same rounding (half to even, 0.25 → 0,2), thousands and decimal signs
    of the language, a minus on negatives rounded to zero; infinity handed to Babel."""
    import random

    rng = random.Random(7)
    values = [0, -0.0, -0.04, 0.05, 0.15, 0.25, 2.5, 3.5, 999.95, 12, 1234567.891, -1234.55]
    values += [rng.uniform(-1e6, 1e6) for _ in range(400)]
    values += [round(rng.uniform(0, 100), 2) for _ in range(400)] + [float("inf")]
    values += [float("nan"), -0.0, 0, 0.0, 12.0, -1234.55]  # again, and equal keys apart
    with app.test_request_context():
        for _time in ("written", "from what was kept"):
            for language in ("fr", "en"):
                with force_locale(language):
                    for digits in (0, 1, 2, 3):
                        pattern = "#,##0." + "0" * digits
                        for value in values:
                            expected = flask_babel.format_decimal(value, format=pattern)
                            shown = formatting.decimal(value, digits)
                            assert shown == expected, (value, digits, language)
        assert render_template_string("{{ 1234.25|decimal(1) }}") == "1\u202f234,2"
        with force_locale("en"):
            assert render_template_string("{{ -1234.25|decimal }}") == "-1,234.2"
