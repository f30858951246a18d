"""What all question types share: the grade, text rendering, option keys, tolerant form reading."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

from lms.markdown import render, sanitise

#: Longest text kept from one form field (an essay); longer input is cut.
MAX_TEXT = 20_000
#: Longest one-line answer kept (short answer, number, "other" text).
MAX_LINE = 500
_SINGLE_P = re.compile(r"^\s*<p>(.*)</p>\s*$", re.DOTALL)
_SPACES = re.compile(r"\s+")


@dataclass
class Grade:
    """The result of grading one response.

    ``score`` is in points out of ``question.max_score``; ``None`` means a person must grade it
    (essay) or, for ungraded types, that there is no score. ``choice_keys`` are the options the
    response picked (one ``AnswerChoice`` row each). ``value`` is the numeric value of scale,
    score and yes/no answers. ``feedback`` holds sanitised HTML fragments to show in a review.
    """

    score: float | None = None
    choice_keys: list[str] = field(default_factory=list)
    value: float | None = None
    feedback: list[str] = field(default_factory=list)


def text_html(data: dict | None, inline: bool = False) -> str:
    """Sanitised HTML of a GIFT text (``{"text", "format"}``); ``inline`` drops a lone ``<p>``."""
    if not data or not data.get("text"):
        return ""
    text, fmt = str(data["text"]), data.get("format", "moodle")
    if fmt == "html":
        html = sanitise(text)
    elif fmt == "plain":
        html = "<p>" + str(escape(text)).replace("\n", "<br>") + "</p>"
    else:
        html = render(text)
    return inline_html(html) if inline else html


def inline_html(html: str) -> str:
    """Drop the ``<p>`` around HTML that is one paragraph (labels take inline content)."""
    found = _SINGLE_P.match(html)
    if found and "<p>" not in found.group(1):
        return found.group(1)
    return html


def markdown_html(text: str | None, inline: bool = False) -> str:
    """Sanitised HTML of Markdown text; ``inline`` drops a lone ``<p>``."""
    html = render(text or "")
    return inline_html(html) if inline else html


def text_key(text: str, used: set[str], prefix: str = "c") -> str:
    """A short key derived from ``text`` (stable when answers are reordered), unique in ``used``."""
    digest = hashlib.blake2s(text.encode("utf-8"), digest_size=4).hexdigest()
    key, n = f"{prefix}{digest}", 2
    while key in used:
        key, n = f"{prefix}{digest}-{n}", n + 1
    used.add(key)
    return key


def normalise(text: Any) -> str:
    """Text compared case-insensitively: trimmed, inner white space collapsed, case folded."""
    return _SPACES.sub(" ", str(text)).strip().casefold()


def form_text(form, name: str, limit: int = MAX_LINE) -> str:
    """One text field of a POSTed form, trimmed and cut at ``limit`` ("" when absent)."""
    try:
        value = form.get(name, "")
    except Exception:  # noqa: BLE001 - a form must never break parsing
        return ""
    return value.strip()[:limit] if isinstance(value, str) else ""


def form_list(form, name: str) -> list[str]:
    """Every value of a multi-valued field, as strings (an empty list when absent)."""
    try:
        values = form.getlist(name) if hasattr(form, "getlist") else [form.get(name)]
    except Exception:  # noqa: BLE001
        return []
    return [v for v in values if isinstance(v, str)]


def response_dict(response: Any) -> dict:
    """``response`` if it is a dict, else an empty one (stored data may be anything)."""
    return response if isinstance(response, dict) else {}


def response_list(response: Any, name: str) -> list[str]:
    """A list of strings stored under ``name`` in a response (tolerant of odd data)."""
    values = response_dict(response).get(name)
    if not isinstance(values, list):
        return []
    return [str(v) for v in values if isinstance(v, str | int)]


def response_text(response: Any, name: str = "text") -> str:
    """A string stored under ``name`` in a response ("" when absent or not text)."""
    value = response_dict(response).get(name)
    return value if isinstance(value, str) else ""


def keep_known(keys: Iterable[str], known: Iterable[str]) -> list[str]:
    """``keys`` that are in ``known``, without duplicates, in ``known``'s order."""
    picked = set(keys)
    return [k for k in known if k in picked]


def clamp(value: float, low: float, high: float) -> float:
    """``value`` limited to ``low..high``."""
    return max(low, min(high, value))


def points(question, fraction: float) -> float:
    """Points earned for a fraction of the question's mark."""
    return round(float(question.max_score or 0.0) * fraction, 7)
