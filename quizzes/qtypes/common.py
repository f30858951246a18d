"""Pieces shared by the GIFT question types: template names, public data, feedback, plain text."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from quizzes.qtypes.base import text_html

_TAGS = re.compile(r"<[^>]+>")


def template(name: str) -> Callable:
    """The ``render`` handler of type ``name``: returns its template's name."""

    def render(question=None) -> str:
        """Name of the template."""
        return f"quizzes/qtypes/{name}.html"

    render.__doc__ = f"Template of the {name} question type."
    return render


def base_public(question) -> dict:
    """What every type shows before submission: type, key, stem, required flag."""
    return {
        "type": question.type,
        "key": question.key,
        "stem_html": question.stem_html or "",
        "required": bool(question.required),
    }


def settings(question) -> dict:
    """The question's settings as a dict (an empty one if they are missing or odd)."""
    value = getattr(question, "settings", None)
    return value if isinstance(value, dict) else {}


def items(question, name: str) -> list[dict]:
    """The list ``name`` of the settings, keeping only dicts."""
    value = settings(question).get(name)
    return [i for i in value if isinstance(i, dict)] if isinstance(value, list) else []


def gift_prepare(data: dict) -> dict:
    """Add the rendered general feedback to GIFT settings (done once, at import)."""
    data["general_feedback_html"] = text_html(data.get("general_feedback"))
    return data


def general_feedback(question) -> list[str]:
    """The question's general feedback as a list of HTML fragments (empty if none)."""
    html_text = settings(question).get("general_feedback_html")
    return [html_text] if html_text else []


def plain(fragment: str | None) -> str:
    """Plain text of an HTML fragment (tags dropped, entities decoded, spaces collapsed)."""
    return " ".join(html.unescape(_TAGS.sub(" ", fragment or "")).split())


def percent(fraction: float) -> str:
    """``50 %`` for 0.5 (French spacing; the review pages are French first)."""
    value = round(fraction * 100, 2)
    return f"{value:g} %"
