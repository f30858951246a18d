"""Ungraded types of self-assessments and questionnaires: scale, score, single, multiple,
yes/no, text and info. Nothing is scored; ``value`` carries the number SQL averages read."""

from __future__ import annotations

from flask_babel import gettext as _

from quizzes.qtypes.base import (
    MAX_TEXT,
    Grade,
    form_list,
    form_text,
    keep_known,
    markdown_html,
    response_dict,
    response_list,
)
from quizzes.qtypes.common import base_public, items, settings, template
from quizzes.qtypes.typed import always_empty, empty_text, no_correct, parse_nothing

#: Key of the "Autre (précisez)" option added by the ``other`` attribute.
OTHER = "_other"
YESNO = {"yes": 1.0, "no": 0.0}
SCORE_RANGE = range(0, 11)


def prepare(data: dict) -> dict:
    """Survey blocks need nothing more than what the parser gives (kept for symmetry)."""
    return data


def options(question) -> list[str]:
    """Keys of the options, in authored order (``other`` excluded: it always comes last)."""
    return [str(o["key"]) for o in items(question, "options") if o.get("key") not in (None, "")]


def _labels(question) -> list[dict]:
    return [
        {"key": str(o["key"]), "label": str(o.get("label", ""))}
        for o in items(question, "options")
        if o.get("key") not in (None, "")
    ]


def public(question) -> dict:
    """Stem, options and attributes: a questionnaire has nothing to hide, but keep the shape."""
    data = base_public(question)
    data["options"] = _labels(question)
    data["other"] = bool(settings(question).get("other"))
    if question.type == "score":
        data["min"], data["max"] = 0, 10
    if question.type == "yesno":
        data["options"] = [{"key": "yes", "label": _("Oui")}, {"key": "no", "label": _("Non")}]
    if question.type == "text":
        data["lines"] = _lines(question)
    return data


def _lines(question) -> int:
    value = settings(question).get("lines")
    return value if isinstance(value, int) and 1 <= value <= 30 else 3


def _with_other(question, form, field_name: str, picked: bool) -> dict:
    other = form_text(form, f"{field_name}-other") if picked else ""
    return {"other": other} if other else {}


def parse_single(question, form, field_name: str) -> dict:
    """``{"choice": key}`` (plus ``"other"`` text when "Autre" is picked), or ``{}``."""
    key = form_text(form, field_name)
    allowed = options(question) + ([OTHER] if settings(question).get("other") else [])
    if key not in allowed:
        return {}
    return {"choice": key} | _with_other(question, form, field_name, key == OTHER)


def parse_multiple(question, form, field_name: str) -> dict:
    """``{"choices": [keys]}`` (plus ``"other"`` text), or ``{}``."""
    allowed = options(question) + ([OTHER] if settings(question).get("other") else [])
    keys = keep_known(form_list(form, field_name), allowed)
    if not keys:
        return {}
    return {"choices": keys} | _with_other(question, form, field_name, OTHER in keys)


def parse_scale(question, form, field_name: str) -> dict:
    """``{"choice": key}`` of a scale level, or ``{}``."""
    key = form_text(form, field_name)
    return {"choice": key} if key in options(question) else {}


def parse_score(question, form, field_name: str) -> dict:
    """``{"value": 0..10}`` or ``{}``."""
    raw = form_text(form, field_name)
    return {"value": int(raw)} if raw.isdigit() and int(raw) in SCORE_RANGE else {}


def parse_yesno(question, form, field_name: str) -> dict:
    """``{"choice": "yes"|"no"}`` or ``{}``."""
    key = form_text(form, field_name)
    return {"choice": key} if key in YESNO else {}


def parse_text(question, form, field_name: str) -> dict:
    """``{"text": ...}`` or ``{}``."""
    text = form_text(form, field_name, MAX_TEXT)
    return {"text": text} if text else {}


def _choice(response) -> str:
    value = response_dict(response).get("choice")
    return value if isinstance(value, str) else ""


def grade_scale(question, response) -> Grade:
    """The level chosen: its key, and its number as ``value``."""
    key = _choice(response)
    if key not in options(question):
        return Grade()
    try:
        value = float(key)
    except ValueError:
        value = None
    return Grade(None, [key], value)


def grade_score(question, response) -> Grade:
    """The 0–10 score as ``value``."""
    value = response_dict(response).get("value")
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCORE_RANGE:
        return Grade()
    return Grade(None, [], float(value))


def grade_single(question, response) -> Grade:
    """The chosen option's key."""
    key = _choice(response)
    known = options(question) + [OTHER]
    return Grade(None, [key] if key in known else [])


def grade_multiple(question, response) -> Grade:
    """The ticked options' keys."""
    return Grade(None, keep_known(response_list(response, "choices"), options(question) + [OTHER]))


def grade_yesno(question, response) -> Grade:
    """``yes``/``no`` as key, 1/0 as value."""
    key = _choice(response)
    return Grade(None, [key], YESNO[key]) if key in YESNO else Grade()


def grade_text(question, response) -> Grade:
    """Free text: nothing to count."""
    return Grade()


def empty_choice(response) -> bool:
    """No option picked."""
    return not _choice(response)


def empty_choices(response) -> bool:
    """No box ticked."""
    return not response_list(response, "choices")


def empty_score(response) -> bool:
    """No score given."""
    return response_dict(response).get("value") is None


def stem_html(data: dict) -> str:
    """HTML of a survey block's Markdown text (stored as ``Question.stem_html`` at import)."""
    return markdown_html(data.get("text", ""))


def yesno_options(question) -> list[str]:
    """``yes`` then ``no``."""
    return list(YESNO)


def _handlers(name: str, parse, grade, empty, keys=options) -> dict:
    return {
        "render": template(name),
        "prepare": prepare,
        "options": keys,
        "public": public,
        "parse": parse,
        "grade": grade,
        "correct": no_correct,
        "empty": empty,
    }


HANDLERS = {
    "scale": _handlers("scale", parse_scale, grade_scale, empty_choice),
    "score": _handlers("score", parse_score, grade_score, empty_score),
    "single": _handlers("single", parse_single, grade_single, empty_choice),
    "multiple": _handlers("multiple", parse_multiple, grade_multiple, empty_choices),
    "yesno": _handlers("yesno", parse_yesno, grade_yesno, empty_choice, yesno_options),
    "text": _handlers("text", parse_text, grade_text, empty_text),
    "info": _handlers("info", parse_nothing, lambda q, r: Grade(), always_empty),
}
