"""The model -> the JSON question model of GIFT-grammar-PEG.js, read by other GIFT tools."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from quizzes.authoring.gift.model import (
    Category,
    ChoiceQuestion,
    Description,
    Item,
    Matching,
    Numerical,
    NumericAnswer,
    Question,
    ShortAnswer,
    Text,
    TrueFalse,
)

PEG_TYPES = {
    "description": "Description",
    "essay": "Essay",
    "true_false": "TF",
    "single_choice": "MC",
    "multiple_choice": "MC",
    "short_answer": "Short",
    "numerical": "Numerical",
    "matching": "Matching",
}
BLANK = "_____"


def to_peg_json(items: Iterable[Item]) -> list[dict[str, Any]]:
    """Return the PEG.js JSON model (a list of question dicts) of parsed items."""
    return [_item(item) for item in items]


def _text(value: Text | None) -> dict[str, str] | None:
    return None if value is None else {"format": value.format, "text": value.text}


def _stem(question: Question) -> dict[str, str]:
    if question.stem_after is None:
        return _text(question.stem)
    parts = (question.stem.text, BLANK, question.stem_after)
    return {"format": question.stem.format, "text": " ".join(p for p in parts if p)}


def _item(item: Item) -> dict[str, Any]:
    if isinstance(item, Category):
        return {"type": "Category", "title": item.path}
    assert isinstance(item, Question)
    out: dict[str, Any] = {
        "id": item.idnumber,
        "tags": list(item.tags) or None,
        "type": PEG_TYPES[item.type],
        "title": item.title,
        "stem": _stem(item),
        "hasEmbeddedAnswers": item.stem_after is not None,
    }
    if isinstance(item, Description):
        return out
    out["globalFeedback"] = _text(item.general_feedback)
    if isinstance(item, TrueFalse):
        out.update(_true_false(item))
    elif isinstance(item, ChoiceQuestion):
        out["choices"] = [
            _choice(c.correct, c.weight, _text(c.text), c.feedback) for c in item.choices
        ]
    elif isinstance(item, ShortAnswer):
        out["choices"] = [_choice(True, a.weight, _text(a.text), a.feedback) for a in item.answers]
    elif isinstance(item, Numerical):
        out["choices"] = _numerical(item)
    elif isinstance(item, Matching):
        out["matchPairs"] = [
            {"subquestion": _text(p.question), "subanswer": p.answer} for p in item.pairs
        ]
    return out


def _choice(
    correct: bool, weight: float | None, text: dict[str, Any] | None, feedback: Text | None
) -> dict[str, Any]:
    return {"isCorrect": correct, "weight": weight, "text": text, "feedback": _text(feedback)}


def _true_false(question: TrueFalse) -> dict[str, Any]:
    """Feedback shown to who answers True / False (Moodle: first '#' if wrong, second if right)."""
    if question.correct_answer:
        on_true, on_false = question.correct_feedback, question.incorrect_feedback
    else:
        on_true, on_false = question.incorrect_feedback, question.correct_feedback
    return {
        "isTrue": question.correct_answer,
        "trueFeedback": _text(on_true),
        "falseFeedback": _text(on_false),
    }


def _number(answer: NumericAnswer) -> dict[str, Any] | None:
    kind = answer.kind
    if kind == "exact":
        return {"type": "simple", "number": answer.value}
    if kind == "tolerance":
        return {"type": "range", "number": answer.value, "range": answer.tolerance}
    if kind == "range":
        return {"type": "high-low", "numberHigh": answer.high, "numberLow": answer.low}
    return None


def _numerical(question: Numerical) -> Any:
    answers = question.answers
    if len(answers) == 1:
        only = answers[0]
        plain = only.correct and only.weight is None and only.feedback is None
        if plain and only.kind != "any":
            return _number(only)
    return [_choice(a.correct, a.weight, _number(a), a.feedback) for a in answers]
