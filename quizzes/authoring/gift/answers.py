"""The answer block ``{...}``: which question type it makes, and its answers."""

from __future__ import annotations

import math
import re

from quizzes.authoring.gift.model import (
    Choice,
    Essay,
    Matching,
    MatchPair,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from quizzes.authoring.gift.scanner import (
    Block,
    clean,
    find,
    find_seq,
    formatted,
    optional_text,
    skip_space,
)

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
NUMBER = re.compile(_NUM)
RANGE = re.compile(rf"({_NUM})\s*\.\.\s*({_NUM})")
TOLERANCE = re.compile(rf"({_NUM})\s*:\s*({_NUM})")
TRUE_WORDS = ("T", "TRUE")
FALSE_WORDS = ("F", "FALSE")

#: (offset of the ``=``/``~`` marker or None for a bare answer, start, end) of one answer.
Segment = tuple[int | None, int, int]


def parse_answers(block: Block, lo: int, hi: int, fmt: str) -> Question:
    """Build the question typed by the answer block ``block.text[lo:hi]`` (braces excluded).

    ``fmt`` is the stem's format, inherited by answers and feedback without their own tag.
    """
    text = block.text
    general = None
    mark = find_seq(text, "####", lo, hi)
    if mark != -1:
        general = optional_text(text[mark + 4 : hi], fmt)
        hi = mark
    lo = skip_space(text, lo, hi)
    if lo >= hi:
        question: Question = Essay()
    elif text[lo] == "#":
        question = _numerical(block, lo + 1, hi, fmt)
    elif find(text, "~", lo, hi) != -1:
        question = _choices(block, lo, hi, fmt)
    elif _tf_word(text, lo, hi) is not None:
        question = _true_false(block, lo, hi, fmt)
    else:
        segments = _segments(block, lo, hi)
        if any("->" in text[start:end] for _, start, end in segments):
            question = _matching(block, segments, fmt, lo)
        else:
            question = ShortAnswer(answers=[_choice(block, s, fmt) for s in segments])
    question.general_feedback = general
    return question


def _segments(block: Block, lo: int, hi: int) -> list[Segment]:
    """Split answers at unescaped ``=`` and ``~``; a lone answer may have no marker."""
    text = block.text
    marker = find(text, "=~", lo, hi)
    if marker == -1:
        return [(None, lo, hi)]
    if text[lo:marker].strip():
        raise block.error(lo, "text before the first answer: answers start with '=' or '~'")
    segments: list[Segment] = []
    while marker != -1:
        following = find(text, "=~", marker + 1, hi)
        segments.append((marker, marker + 1, hi if following == -1 else following))
        marker = following
    return segments


def _number(block: Block, offset: int, raw: str, what: str) -> float:
    value = float(raw)
    if not math.isfinite(value):
        raise block.error(offset, f"bad {what} {raw!r}: the number is too large")
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _weight(block: Block, start: int, end: int) -> tuple[float | None, int]:
    """Read an optional ``%weight%`` at ``start``: return (weight, offset after it)."""
    text = block.text
    start = skip_space(text, start, end)
    if start >= end or text[start] != "%":
        return None, start
    closing = text.find("%", start + 1, end)
    if closing == -1:
        raise block.error(start, "unclosed weight: missing the closing '%'")
    raw = text[start + 1 : closing].strip()
    message = f"bad weight '%{raw}%': expected a percentage between -100 and 100"
    if not NUMBER.fullmatch(raw):
        raise block.error(start, message)
    weight = _number(block, start, raw, "weight")
    if not -100 <= weight <= 100:
        raise block.error(start, message)
    return weight, closing + 1


def _split_feedback(block: Block, start: int, end: int, fmt: str):
    """Return (offset where the answer's own text ends, feedback Text or None)."""
    mark = find(block.text, "#", start, end)
    if mark == -1:
        return end, None
    return mark, optional_text(block.text[mark + 1 : end], fmt)


def _choice(block: Block, segment: Segment, fmt: str) -> Choice:
    marker, start, end = segment
    weight, start = _weight(block, start, end)
    text_end, feedback = _split_feedback(block, start, end, fmt)
    text = formatted(block.text[start:text_end], fmt)
    if not text.text:
        raise block.error(start if marker is None else marker, "empty answer")
    correct = marker is None or block.text[marker] == "="
    return Choice(text, correct, weight, feedback)


def _choices(block: Block, lo: int, hi: int, fmt: str) -> Question:
    choices = [_choice(block, s, fmt) for s in _segments(block, lo, hi)]
    if any(c.correct for c in choices):
        return SingleChoice(choices=choices)
    if not any((c.weight or 0) > 0 for c in choices):
        raise block.error(
            lo, "no correct answer: mark one with '=' or give positive weights like ~%50%"
        )
    return MultipleChoice(choices=choices)


def _tf_word(text: str, lo: int, hi: int) -> str | None:
    mark = find(text, "#", lo, hi)
    word = text[lo : hi if mark == -1 else mark].strip()
    return word if word in TRUE_WORDS + FALSE_WORDS else None


def _true_false(block: Block, lo: int, hi: int, fmt: str) -> TrueFalse:
    """``{T#shown if wrong#shown if right}`` (Moodle's order)."""
    text = block.text
    first = find(text, "#", lo, hi)
    second = -1 if first == -1 else find(text, "#", first + 1, hi)
    wrong = right = None
    if first != -1:
        wrong = optional_text(text[first + 1 : hi if second == -1 else second], fmt)
    if second != -1:
        right = optional_text(text[second + 1 : hi], fmt)
    return TrueFalse(
        correct_answer=_tf_word(text, lo, hi) in TRUE_WORDS,
        incorrect_feedback=wrong,
        correct_feedback=right,
    )


def _matching(block: Block, segments: list[Segment], fmt: str, lo: int) -> Matching:
    text = block.text
    pairs = []
    for marker, start, end in segments:
        where = start if marker is None else marker
        if _weight(block, start, end)[0] is not None:
            raise block.error(where, "matching pairs take no weight")
        arrow = text.find("->", start, end)
        if arrow == -1:
            raise block.error(where, "matching pair without '->'")
        answer = clean(text[arrow + 2 : end], "moodle")
        if not answer:
            raise block.error(arrow, "matching pair without an answer after '->'")
        pairs.append(MatchPair(formatted(text[start:arrow], fmt), answer))
    if sum(1 for p in pairs if p.question.text) < 2:
        raise block.error(lo, "a matching question needs at least 2 pairs")
    return Matching(pairs=pairs)


def _numerical(block: Block, lo: int, hi: int, fmt: str) -> Numerical:
    start = skip_space(block.text, lo, hi)
    if start >= hi:
        raise block.error(lo - 1, "numerical question without an answer after '{#'")
    return Numerical(answers=[_numeric(block, s, fmt) for s in _segments(block, start, hi)])


def _numeric(block: Block, segment: Segment, fmt: str) -> NumericAnswer:
    marker, start, end = segment
    weight, start = _weight(block, start, end)
    spec_end, feedback = _split_feedback(block, start, end, fmt)
    spec = block.text[start:spec_end].strip()
    correct = marker is None or block.text[marker] == "="
    answer = NumericAnswer(correct=correct, weight=weight, feedback=feedback)
    where = start if marker is None else marker
    if not spec:
        if correct:
            raise block.error(where, "numerical answer without a number")
        return answer  # Moodle's catch-all wrong answer: ~#feedback
    if found := RANGE.fullmatch(spec):
        answer.low = _number(block, where, found.group(1), "number")
        answer.high = _number(block, where, found.group(2), "number")
        if answer.low > answer.high:
            raise block.error(where, f"bad range {spec!r}: the minimum is above the maximum")
    elif found := TOLERANCE.fullmatch(spec):
        answer.value = _number(block, where, found.group(1), "number")
        answer.tolerance = _number(block, where, found.group(2), "tolerance")
        if answer.tolerance < 0:
            raise block.error(where, f"bad tolerance in {spec!r}: it cannot be negative")
    elif NUMBER.fullmatch(spec):
        answer.value = _number(block, where, spec, "number")
    else:
        raise block.error(
            where, f"bad numerical answer {spec!r}: expected N, N:TOLERANCE or MIN..MAX"
        )
    return answer
