"""Template filters for dates, times and numbers in the user's language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale

from lms.charts import heat_level

#: Whole percentages 0–100 already formatted, per language: a table of learners shows
#: hundreds of them and Babel's formatting costs ~8 µs each.
_PERCENTS: dict[str, list[str]] = {}


def percent(value: float) -> str:
    """``value`` (a ratio) as a whole percentage in the user's language, like Babel's
    ``format_percent`` (same rounding, half to even), from a table for ratios in 0..1."""
    ratio = value or 0
    if not 0 <= ratio <= 1:
        return format_percent(ratio)
    locale = str(get_locale())
    table = _PERCENTS.get(locale)
    if table is None:
        table = _PERCENTS[locale] = [format_percent(n / 100) for n in range(101)]
    whole = (Decimal(str(ratio)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return table[int(whole)]


def init_app(app: Flask) -> None:
    """Register ``date``, ``datetime``, ``percent`` and ``decimal`` filters."""

    @app.template_filter("date")
    def _date(value: date | datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return format_datetime(value, "d MMM y" if fmt == "medium" else fmt)
        return format_date(value, fmt)

    @app.template_filter("datetime")
    def _datetime(value: datetime | None, fmt: str = "medium") -> str:
        return format_datetime(value, fmt) if value else ""

    @app.template_filter("heat")
    def _heat(value: float | None) -> str:
        return f"heat heat-{heat_level(value)}"

    @app.template_filter("percent")
    def _percent(value: float | None) -> str:
        return percent(value) if value is not None else "—"

    @app.template_filter("decimal")
    def _decimal(value: float | None, digits: int = 1) -> str:
        return format_decimal(value, format="#,##0." + "0" * digits) if value is not None else "—"
