"""Template filters for dates, times and numbers in the user's language."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_percent

from lms.charts import heat_level


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
        return format_percent(value or 0) if value is not None else "—"

    @app.template_filter("decimal")
    def _decimal(value: float | None, digits: int = 1) -> str:
        return format_decimal(value, format="#,##0." + "0" * digits) if value is not None else "—"
