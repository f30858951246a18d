"""Template filters for dates, times and numbers in the user's language."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import get_date_format, get_datetime_format, get_time_format, parse_pattern
from flask import Flask, g
from flask_babel import format_decimal, format_percent, get_locale, get_timezone
from markupsafe import Markup

from lms.charts import heat_level

#: Whole percentages 0–100 already formatted, per language: a table of learners shows
#: hundreds of them and Babel's formatting costs ~8 µs each.
_PERCENTS: dict = {}
#: Ratio → whole percentage (the rounding through ``Decimal`` costs ~5 µs; a grid of 50
#: learners × 7 modules shows 350 ratios, most of them the same few fractions).
_WHOLE: dict[float, int] = {}


def _percent_table() -> list[str]:
    """Whole percentages 0–100 formatted in the request's language (built once per language)."""
    locale = _locale_and_zone()[0]
    table = _PERCENTS.get(locale)
    if table is None:
        table = _PERCENTS[locale] = [format_percent(n / 100) for n in range(101)]
    return table


def _whole(ratio: float) -> int:
    """``ratio`` (0..1) as a whole percentage, rounded half to even like Babel."""
    whole = _WHOLE.get(ratio)
    if whole is None:
        if len(_WHOLE) >= 10_000:  # bounded: ratios k/n of tables repeat, others come and go
            _WHOLE.clear()
        exact = (Decimal(str(ratio)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        whole = _WHOLE[ratio] = int(exact)
    return whole


def _percent_from(table: list[str], ratio: float) -> str:
    """``ratio`` from ``table`` (:func:`_percent_table`) when in 0..1, else through Babel."""
    return table[_whole(ratio)] if 0 <= ratio <= 1 else format_percent(ratio)


def percent(value: float) -> str:
    """``value`` (a ratio) as a whole percentage in the user's language, like Babel's
    ``format_percent`` (same rounding, half to even), from a table for ratios in 0..1."""
    return _percent_from(_percent_table(), value or 0)


#: (decimal sign, group sign, minus sign) per language.
_SYMBOLS: dict = {}


#: Numbers already written by :func:`decimal`, per (value, digits, language): a results page
#: shows a hundred scores, most of them the same few.
_DECIMALS: dict[tuple, str] = {}


def decimal(value, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals in the user's language, like Babel's
    ``format_decimal(value, format="#,##0.0…")`` (same rounding, half to even; same signs),
    without parsing the pattern and looking the locale up for each number (~14 µs each, ~5 µs
    here, ~0.5 µs for a number written before; an item analysis shows a hundred)."""
    locale = _locale_and_zone()[0]
    # 0.0 and -0.0 are equal keys but are written apart; NaN is never found again
    kept = bool(value) and value == value
    key = (type(value), value, digits, locale)
    text = _DECIMALS.get(key) if kept else None
    if text is None:
        text = _decimal(value, digits, locale)
        if kept:
            if len(_DECIMALS) >= 10_000:  # bounded: scores of pages repeat, others come and go
                _DECIMALS.clear()
            _DECIMALS[key] = text
    return text


def _decimal(value, digits: int, locale) -> str:
    exact = Decimal(str(value))
    if not exact.is_finite():
        return format_decimal(value, format="#,##0." + "0" * digits)
    symbols = _SYMBOLS.get(locale)
    if symbols is None:
        known = locale.number_symbols.get("latn", locale.number_symbols)
        symbols = _SYMBOLS[locale] = (known["decimal"], known["group"], known["minusSign"])
    exact = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    text = f"{abs(exact):,.{digits}f}".replace(",", "\0").replace(".", symbols[0])
    text = text.replace("\0", symbols[1])
    return symbols[2] + text if exact.is_signed() else text


def heat_cells(stats) -> Markup:
    """``<td>`` of each ratio of ``stats`` (objects with a ``ratio``, 0–1): class ``num heat
    heat-<level>`` (:func:`lms.charts.heat_level`) and the whole percentage. The language is
    looked up once for the row (a grid shows 50 rows of 7–10 modules)."""
    table = _percent_table()
    cells = []
    for stat in stats:
        ratio = stat.ratio or 0
        shown = _percent_from(table, ratio)
        cells.append(f'<td class="num heat heat-{heat_level(ratio)}">{shown}</td>')
    return Markup("".join(cells))  # noqa: S704 - levels and formatted numbers only


NAMED = ("short", "medium", "long", "full")

#: Parsed Babel patterns per (kind, language, format): a table of learners shows a hundred dates
#: and Babel looks its patterns, locale and time zone up again for each (~60 µs a date).
_PATTERNS: dict[tuple[str, str, str], tuple] = {}


def _locale_and_zone():
    """The request's language and time zone as Flask-Babel keeps them (``force_locale``
    included), read from its request state once it has looked them up."""
    try:
        state = g._flask_babel
        locale, zone = state.babel_locale, state.babel_tzinfo
    except (AttributeError, RuntimeError):  # not looked up yet, or no context
        return get_locale(), get_timezone()
    if locale is None or zone is None:  # reset (the end of a force_locale)
        return get_locale(), get_timezone()
    return locale, zone


def _patterns(kind: str, locale, fmt: str) -> tuple:
    key = (kind, str(locale), fmt)
    found = _PATTERNS.get(key)
    if found is None:
        if kind == "date":
            found = (parse_pattern(get_date_format(fmt, locale) if fmt in NAMED else fmt),)
        elif fmt in NAMED:  # Babel's format_datetime: the locale's glue of a time and a date
            glue = get_datetime_format(fmt, locale=locale).replace("'", "")
            time, day = get_time_format(fmt, locale), get_date_format(fmt, locale)
            found = (parse_pattern(time), parse_pattern(day), glue)
        else:
            found = (parse_pattern(fmt),)
        _PATTERNS[key] = found
    return found


#: The standard library's zone of each pytz zone Flask-Babel gives, by name.
_ZONES: dict[str, tzinfo] = {}


def _zoneinfo(zone: tzinfo) -> tzinfo:
    """``zone`` as a :class:`zoneinfo.ZoneInfo` (same rules, from the same IANA database name):
    converting a time with it is done in C, with pytz it took ~10 µs of Python (``fromutc``,
    ``normalize``) — a table of learners converts a hundred times."""
    name = getattr(zone, "zone", None) or getattr(zone, "key", None)
    if name is None:
        return zone
    found = _ZONES.get(name)
    if found is None:
        try:
            found = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            found = zone
        _ZONES[name] = found
    return found


#: Dates and times already written, per (value, format, language, time zone): the rows of a
#: table repeat the same few (a session's start and end, an import's invitation time) and
#: applying a Babel pattern costs ~10 µs. Bounded: emptied when full.
_WRITTEN: dict[tuple, str] = {}
_WRITTEN_MAX = 20_000


def _remember(key: tuple, text: str) -> str:
    if len(_WRITTEN) >= _WRITTEN_MAX:
        _WRITTEN.clear()
    _WRITTEN[key] = text
    return text


def format_datetime(value: datetime, fmt: str = "medium") -> str:
    """Flask-Babel's ``format_datetime`` (a naive time is UTC, shown in the user's time zone),
    same text, with the patterns parsed once."""
    locale, zone = _locale_and_zone()
    key = ("datetime", value, fmt, locale, zone)
    text = _WRITTEN.get(key)
    if text is not None:
        return text
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    moment = moment.astimezone(_zoneinfo(zone))
    patterns = _patterns("datetime", locale, fmt)
    if len(patterns) == 1:
        return _remember(key, patterns[0].apply(moment, locale))
    time, day, glue = patterns
    hour = time.apply(moment.timetz(), locale, reference_date=moment.date())
    return _remember(
        key, glue.replace("{0}", hour).replace("{1}", day.apply(moment.date(), locale))
    )


def format_date(value: date, fmt: str = "medium") -> str:
    """Flask-Babel's ``format_date`` of a date, with the pattern parsed once."""
    locale, _zone = _locale_and_zone()
    key = ("date", value, fmt, locale)
    text = _WRITTEN.get(key)
    if text is None:
        text = _remember(key, _patterns("date", locale, fmt)[0].apply(value, locale))
    return text


def format_day(value: date | datetime, fmt: str = "medium") -> str:
    """A day as the ``date`` filter writes it: a date with Babel's ``fmt``, a datetime as its
    day in the user's time zone (``d MMM y`` for « medium »)."""
    if isinstance(value, datetime):
        return format_datetime(value, "d MMM y" if fmt == "medium" else fmt)
    return format_date(value, fmt)


def init_app(app: Flask) -> None:
    """Register the ``date``, ``datetime``, ``heat_cells``, ``percent`` and ``decimal`` filters."""

    @app.template_filter("date")
    def _date(value: date | datetime | None, fmt: str = "medium") -> str:
        return "" if value is None else format_day(value, fmt)

    @app.template_filter("datetime")
    def _datetime(value: datetime | None, fmt: str = "medium") -> str:
        return format_datetime(value, fmt) if value else ""

    @app.template_filter("heat_cells")
    def _heat_cells(stats) -> Markup:
        """Table cells of a heat map, one per item of ``stats`` (objects with a ``ratio``):
        the shade and the percentage. One filter per row of a progress grid: a Jinja loop
        with two filters per cell cost as much as the rest of the page."""
        return heat_cells(stats)

    @app.template_filter("percent")
    def _percent(value: float | None) -> str:
        return percent(value) if value is not None else "—"

    @app.template_filter("decimal")
    def _decimal(value: float | None, digits: int = 1) -> str:
        return decimal(value, digits) if value is not None else "—"
