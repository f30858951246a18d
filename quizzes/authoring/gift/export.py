"""The model -> GIFT text that ``parse`` reads back into the same model."""

from __future__ import annotations

from collections.abc import Iterable

from quizzes.authoring.gift.model import (
    Category,
    Choice,
    ChoiceQuestion,
    Description,
    Essay,
    Item,
    Matching,
    Numerical,
    NumericAnswer,
    Question,
    ShortAnswer,
    Text,
    TrueFalse,
)
from quizzes.authoring.gift.scanner import escape

INDENT = "    "
PUNCTUATION = set(".,;:!?)]»")


def export(items: Iterable[Item]) -> str:
    """Write questions and categories as a GIFT file (blank line between items)."""
    chunks = [_category(i) if isinstance(i, Category) else _question(i) for i in items]
    return "\n\n".join(chunks) + "\n" if chunks else ""


def format_number(value: float) -> str:
    """Shortest text of a number that reads back to the same value (``1822``, ``0.5``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _category(category: Category) -> str:
    return f"$CATEGORY: {category.path}"


def _text(value: Text, inherited: str, guard: str = "[") -> str:
    """Escaped text, with a ``[format]`` tag if it differs from the inherited format.

    The tag is also written when the text starts with a character of ``guard`` that would
    otherwise be read as syntax (a format tag, a weight, a comment).
    """
    tag = value.format != inherited or value.text[:1] in set(guard)
    return (f"[{value.format}]" if tag else "") + escape(value.text)


def _feedback(value: Text | None, inherited: str) -> str:
    return "" if value is None else " #" + _text(value, inherited)


def _header(question: Question) -> list[str]:
    lines = []
    if question.idnumber:
        lines.append("// [id:" + question.idnumber.replace("]", "\\]") + "]")
    if question.tags:
        lines.append("// " + " ".join("[tag:" + t.replace("]", "\\]") + "]" for t in question.tags))
    return lines


def _question(question: Question) -> str:
    fmt = question.stem.format
    head = f"::{escape(question.title)}::" if question.title else ""
    stem = _text(question.stem, "moodle", guard="[/") if question.stem.text else ""
    if fmt != "moodle" and not question.stem.text:
        stem = f"[{fmt}]"
    if isinstance(question, Description):
        body = head + stem
    else:
        block = _answer_block(question, fmt)
        general = question.general_feedback
        if general is not None:
            block = block[:-1] + _general(general, fmt, multiline=block.endswith("\n}"))
        body = head + stem + (" " if stem else "") + block
        after = question.stem_after
        if after is not None:
            body += ("" if after[:1] in PUNCTUATION else " ") + escape(after)
    return "\n".join([*_header(question), body])


def _general(general: Text, fmt: str, multiline: bool) -> str:
    text = "####" + _text(general, fmt)
    return f"{INDENT}{text}\n}}" if multiline else f"{text}}}"


def _answer_block(question: Question, fmt: str) -> str:
    if isinstance(question, Essay):
        return "{}"
    if isinstance(question, TrueFalse):
        return _true_false(question, fmt)
    if isinstance(question, Numerical):
        return _numerical(question, fmt)
    if isinstance(question, Matching):
        lines = [f"={_text(p.question, fmt, '[%')} -> {escape(p.answer)}" for p in question.pairs]
    elif isinstance(question, ChoiceQuestion):
        lines = [_choice(c, "=" if c.correct else "~", fmt) for c in question.choices]
    else:
        assert isinstance(question, ShortAnswer)
        lines = [_choice(a, "=", fmt) for a in question.answers]
    return "{\n" + "".join(f"{INDENT}{line}\n" for line in lines) + "}"


def _weight(weight: float | None) -> str:
    return "" if weight is None else f"%{format_number(weight)}%"


def _choice(choice: Choice, marker: str, fmt: str) -> str:
    text = _text(choice.text, fmt, guard="[%")
    return marker + _weight(choice.weight) + text + _feedback(choice.feedback, fmt)


def _true_false(question: TrueFalse, fmt: str) -> str:
    out = "{" + ("TRUE" if question.correct_answer else "FALSE")
    wrong, right = question.incorrect_feedback, question.correct_feedback
    if wrong is not None or right is not None:
        out += "#" + ("" if wrong is None else _text(wrong, fmt))
    if right is not None:
        out += "#" + _text(right, fmt)
    return out + "}"


def _number_spec(answer: NumericAnswer) -> str:
    kind = answer.kind
    if kind == "range":
        return f"{format_number(answer.low)}..{format_number(answer.high)}"
    if kind == "tolerance":
        return f"{format_number(answer.value)}:{format_number(answer.tolerance)}"
    return "" if kind == "any" else format_number(answer.value)


def _numerical(question: Numerical, fmt: str) -> str:
    answers = question.answers
    if len(answers) == 1 and answers[0].correct and answers[0].weight is None:
        only = answers[0]
        if only.kind != "any":
            return "{#" + _number_spec(only) + _feedback(only.feedback, fmt) + "}"
    lines = [
        ("=" if a.correct else "~")
        + _weight(a.weight)
        + _number_spec(a)
        + _feedback(a.feedback, fmt)
        for a in answers
    ]
    return "{#\n" + "".join(f"{INDENT}{line}\n" for line in lines) + "}"
