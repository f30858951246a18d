"""Typed answers of GIFT: short answer, numerical, essay; and the description (text only)."""

from __future__ import annotations

import math
import re

from flask_babel import gettext as _

from quizzes.qtypes.base import (
    MAX_TEXT,
    Grade,
    clamp,
    form_text,
    normalise,
    points,
    response_text,
    text_html,
    text_key,
)
from quizzes.qtypes.common import (
    base_public,
    general_feedback,
    gift_prepare,
    items,
    percent,
    template,
)

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_BLANKS = re.compile(r"[\s\u00a0\u202f']")


def _fraction(answer: dict) -> float:
    try:
        return clamp(float(answer.get("fraction", 0.0) or 0.0), -1.0, 1.0)
    except (TypeError, ValueError):
        return 0.0


def _answer_feedback(question, answer: dict | None) -> list[str]:
    own = [answer["feedback_html"]] if answer and answer.get("feedback_html") else []
    return own + general_feedback(question)


def _best(question, matching: list[tuple[str, dict]]) -> Grade:
    """Grade by the matching answer of highest weight (none: 0 and the general feedback)."""
    if not matching:
        return Grade(0.0, [], None, general_feedback(question))
    key, answer = max(matching, key=lambda pair: _fraction(pair[1]))
    return Grade(
        points(question, _fraction(answer)), [key], None, _answer_feedback(question, answer)
    )


def typed_public(question) -> dict:
    """Stem only: the accepted answers stay on the server."""
    return base_public(question)


def parse_line(question, form, field_name: str) -> dict:
    """``{"text": ...}`` of a one-line answer, or ``{}``."""
    text = form_text(form, field_name)
    return {"text": text} if text else {}


def empty_text(response) -> bool:
    """No text typed."""
    return not response_text(response).strip()


# --- short answer ---------------------------------------------------------------------------


def prepare_short(data: dict) -> dict:
    """Key and rendered feedback of each accepted answer (at import)."""
    used: set[str] = set()
    for answer in data.get("answers", []):
        answer["key"] = text_key((answer.get("text") or {}).get("text", ""), used, "a")
        answer["feedback_html"] = text_html(answer.get("feedback"), inline=True)
    return gift_prepare(data)


def _accepts(pattern: str, given: str) -> bool:
    """Moodle's rule: case-insensitive equality, ``*`` standing for any characters."""
    pattern = normalise(pattern)
    if "*" not in pattern:
        return pattern == given
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, given, re.DOTALL) is not None


def grade_short(question, response) -> Grade:
    """The weight of the best accepted answer the text matches (trimmed, any case)."""
    given = normalise(response_text(response))
    if not given:
        return Grade(0.0, [], None, general_feedback(question))
    matching = [
        (str(a["key"]), a)
        for a in items(question, "answers")
        if a.get("key") and _accepts((a.get("text") or {}).get("text", ""), given)
    ]
    return _best(question, matching)


def correct_short(question) -> str:
    """Accepted answers, with their weight when it is not 100 %."""
    parts = []
    for answer in items(question, "answers"):
        fraction, text = _fraction(answer), (answer.get("text") or {}).get("text", "")
        if fraction > 0 and text:
            parts.append(text if fraction >= 1 else f"{text} ({percent(fraction)})")
    return " ; ".join(parts)


def labels_short(question) -> dict[str, tuple[str, float]]:
    """``{key: (accepted text, share of the mark)}`` of the accepted answers, for reports."""
    return {
        str(a["key"]): ((a.get("text") or {}).get("text", ""), _fraction(a))
        for a in items(question, "answers")
        if a.get("key")
    }


# --- numerical ---------------------------------------------------------------------------------


def read_number(raw: str) -> float | None:
    """A number typed by a learner: ``3,5`` or ``3.5``, ``1 822``; None if it is not one."""
    text = _BLANKS.sub("", raw or "").replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def prepare_numerical(data: dict) -> dict:
    """Key and rendered feedback of each numerical answer (at import)."""
    for n, answer in enumerate(data.get("answers", []), start=1):
        answer["key"] = f"n{n}"
        answer["feedback_html"] = text_html(answer.get("feedback"), inline=True)
    return gift_prepare(data)


def _number(answer: dict, name: str) -> float | None:
    value = answer.get(name)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _fits(answer: dict, value: float) -> bool:
    kind = answer.get("kind")
    low, high = _number(answer, "low"), _number(answer, "high")
    if kind == "range" and low is not None and high is not None:
        return low <= value <= high
    target = _number(answer, "value")
    if target is None:
        return kind == "any"
    margin = _number(answer, "tolerance") if kind == "tolerance" else 0.0
    return abs(value - target) <= (margin or 0.0) + 1e-9 * max(1.0, abs(target))


def grade_numerical(question, response) -> Grade:
    """The weight of the best answer the number fits (exact, ``N:tolerance``, ``MIN..MAX``)."""
    value = read_number(response_text(response))
    if value is None:
        return Grade(0.0, [], None, general_feedback(question))
    matching = [
        (str(a["key"]), a) for a in items(question, "answers") if a.get("key") and _fits(a, value)
    ]
    return _best(question, matching)


def _spec(answer: dict) -> str:
    kind = answer.get("kind")
    if kind == "range":
        return f"{answer.get('low'):g} – {answer.get('high'):g}"
    if kind == "tolerance":
        return f"{answer.get('value'):g} ± {answer.get('tolerance'):g}"
    return f"{answer.get('value'):g}"


def correct_numerical(question) -> str:
    """Accepted numbers (exact, with tolerance or as a range), with partial weights."""
    parts = []
    for answer in items(question, "answers"):
        fraction = _fraction(answer)
        if fraction > 0 and answer.get("kind") in ("exact", "tolerance", "range"):
            spec = _spec(answer)
            parts.append(spec if fraction >= 1 else f"{spec} ({percent(fraction)})")
    return " ; ".join(parts)


def labels_numerical(question) -> dict[str, tuple[str, float]]:
    """``{key: (accepted number or range, share of the mark)}`` of the answers, for reports."""
    found = {}
    for answer in items(question, "answers"):
        if answer.get("key"):
            if answer.get("kind") in ("exact", "tolerance", "range"):
                spec = _spec(answer)
            else:
                spec = _("Toute autre réponse")
            found[str(answer["key"])] = (spec, _fraction(answer))
    return found


# --- essay and description -----------------------------------------------------------------------


def parse_essay(question, form, field_name: str) -> dict:
    """``{"text": ...}`` of the essay (long text kept), or ``{}``."""
    text = form_text(form, field_name, MAX_TEXT)
    return {"text": text} if text else {}


def grade_essay(question, response) -> Grade:
    """No automatic score: a trainer grades it (``score`` None)."""
    return Grade(None, [], None, general_feedback(question))


def parse_nothing(question, form, field_name: str) -> dict:
    """Text-only blocks take no answer."""
    return {}


def grade_nothing(question, response) -> Grade:
    """Text-only blocks score nothing (their maximum is 0)."""
    return Grade(0.0, [], None, [])


def no_correct(question) -> str:
    """No single right answer to show."""
    return ""


def always_empty(response) -> bool:
    """Text-only blocks are never answered."""
    return True


HANDLERS = {
    "short_answer": {
        "render": template("short_answer"),
        "prepare": prepare_short,
        "public": typed_public,
        "parse": parse_line,
        "grade": grade_short,
        "correct": correct_short,
        "labels": labels_short,
        "empty": empty_text,
    },
    "numerical": {
        "render": template("numerical"),
        "prepare": prepare_numerical,
        "public": typed_public,
        "parse": parse_line,
        "grade": grade_numerical,
        "correct": correct_numerical,
        "labels": labels_numerical,
        "empty": empty_text,
    },
    "essay": {
        "render": template("essay"),
        "prepare": gift_prepare,
        "public": typed_public,
        "parse": parse_essay,
        "grade": grade_essay,
        "correct": no_correct,
        "empty": empty_text,
    },
    "description": {
        "render": template("description"),
        "prepare": gift_prepare,
        "public": typed_public,
        "parse": parse_nothing,
        "grade": grade_nothing,
        "correct": no_correct,
        "empty": always_empty,
    },
}
