"""Choice questions of GIFT: single choice, multiple answers with weights, true/false."""

from __future__ import annotations

from flask_babel import gettext as _

from quizzes.qtypes.base import (
    Grade,
    clamp,
    form_list,
    form_text,
    keep_known,
    points,
    response_dict,
    response_list,
    text_html,
    text_key,
)
from quizzes.qtypes.common import (
    base_public,
    general_feedback,
    gift_prepare,
    items,
    percent,
    plain,
    settings,
    template,
)


def _fraction(choice: dict) -> float:
    try:
        return float(choice.get("fraction", 0.0) or 0.0)
    except (TypeError, ValueError):
        return 0.0


def prepare(data: dict) -> dict:
    """Give each choice a stable key and its rendered label and feedback (at import)."""
    used: set[str] = set()
    for choice in data.get("choices", []):
        choice["key"] = text_key((choice.get("text") or {}).get("text", ""), used)
        choice["html"] = text_html(choice.get("text"), inline=True)
        choice["feedback_html"] = text_html(choice.get("feedback"), inline=True)
    return gift_prepare(data)


def options(question) -> list[str]:
    """Keys of the choices, in authored order."""
    return [str(c.get("key")) for c in items(question, "choices") if c.get("key")]


def public(question) -> dict:
    """Stem and the choices' keys and labels: never which is right, weights or feedback."""
    data = base_public(question)
    data["multiple"] = question.type == "multiple_choice"
    data["choices"] = [
        {"key": c["key"], "html": c.get("html", "")}
        for c in items(question, "choices")
        if c.get("key")
    ]
    return data


def _by_key(question) -> dict[str, dict]:
    return {str(c["key"]): c for c in items(question, "choices") if c.get("key")}


def parse_single(question, form, field_name: str) -> dict:
    """``{"choice": key}`` when a known choice was picked, else ``{}``."""
    key = form_text(form, field_name)
    return {"choice": key} if key in _by_key(question) else {}


def parse_multiple(question, form, field_name: str) -> dict:
    """``{"choices": [keys]}`` of the ticked known choices, else ``{}``."""
    keys = keep_known(form_list(form, field_name), _by_key(question))
    return {"choices": keys} if keys else {}


def _feedback(question, chosen: list[dict]) -> list[str]:
    own = [c["feedback_html"] for c in chosen if c.get("feedback_html")]
    return own + general_feedback(question)


def grade_single(question, response) -> Grade:
    """The weight of the chosen answer (``=`` is 100 %); a negative weight costs points."""
    choice = _by_key(question).get(str(response_dict(response).get("choice", "")))
    if choice is None:
        return Grade(0.0, [], None, general_feedback(question))
    fraction = clamp(_fraction(choice), -1.0, 1.0)
    return Grade(
        points(question, fraction), [str(choice["key"])], None, _feedback(question, [choice])
    )


def grade_multiple(question, response) -> Grade:
    """Sum of the ticked answers' weights, floored at 0 and capped at 100 %."""
    choices = _by_key(question)
    keys = keep_known(response_list(response, "choices"), choices)
    chosen = [choices[k] for k in keys]
    fraction = clamp(sum(_fraction(c) for c in chosen), 0.0, 1.0)
    return Grade(points(question, fraction), keys, None, _feedback(question, chosen))


def correct_choices(question) -> str:
    """The answers that earn credit, with their weight when it is not 100 %."""
    parts = []
    for choice in items(question, "choices"):
        fraction = _fraction(choice)
        if fraction > 0:
            label = plain(choice.get("html"))
            parts.append(label if fraction >= 1 else f"{label} ({percent(fraction)})")
    return " ; ".join(parts)


def empty_single(response) -> bool:
    """No choice picked."""
    return not response_dict(response).get("choice")


def empty_multiple(response) -> bool:
    """No box ticked."""
    return not response_list(response, "choices")


# --- true / false -------------------------------------------------------------------------

TF_KEYS = ("true", "false")


def prepare_tf(data: dict) -> dict:
    """Render the right/wrong feedback once (at import)."""
    data["correct_feedback_html"] = text_html(data.get("correct_feedback"), inline=True)
    data["incorrect_feedback_html"] = text_html(data.get("incorrect_feedback"), inline=True)
    return gift_prepare(data)


def tf_options(question) -> list[str]:
    """``true`` then ``false`` (never shuffled)."""
    return list(TF_KEYS)


def public_tf(question) -> dict:
    """Stem and the two choices."""
    data = base_public(question)
    data["choices"] = [{"key": "true", "html": _("Vrai")}, {"key": "false", "html": _("Faux")}]
    return data


def parse_tf(question, form, field_name: str) -> dict:
    """``{"choice": "true"|"false"}`` or ``{}``."""
    key = form_text(form, field_name)
    return {"choice": key} if key in TF_KEYS else {}


def grade_tf(question, response) -> Grade:
    """Full mark for the right value, nothing otherwise; feedback per Moodle's order."""
    key = response_dict(response).get("choice")
    if key not in TF_KEYS:
        return Grade(0.0, [], None, general_feedback(question))
    right = (key == "true") == bool(settings(question).get("correct_answer", True))
    shown = settings(question).get("correct_feedback_html" if right else "incorrect_feedback_html")
    feedback = ([shown] if shown else []) + general_feedback(question)
    return Grade(points(question, 1.0 if right else 0.0), [key], None, feedback)


def correct_tf(question) -> str:
    """``Vrai`` or ``Faux``."""
    return _("Vrai") if settings(question).get("correct_answer", True) else _("Faux")


HANDLERS = {
    "single_choice": {
        "render": template("single_choice"),
        "prepare": prepare,
        "options": options,
        "public": public,
        "parse": parse_single,
        "grade": grade_single,
        "correct": correct_choices,
        "empty": empty_single,
    },
    "multiple_choice": {
        "render": template("multiple_choice"),
        "prepare": prepare,
        "options": options,
        "public": public,
        "parse": parse_multiple,
        "grade": grade_multiple,
        "correct": correct_choices,
        "empty": empty_multiple,
    },
    "true_false": {
        "render": template("true_false"),
        "prepare": prepare_tf,
        "options": tf_options,
        "public": public_tf,
        "parse": parse_tf,
        "grade": grade_tf,
        "correct": correct_tf,
        "empty": empty_single,
    },
}
