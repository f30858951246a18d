"""GIFT exporter: what it writes reads back to the same model (fixtures and generated)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.authoring.gift import (
    FORMATS,
    Category,
    Choice,
    Description,
    Essay,
    GiftError,
    Matching,
    MatchPair,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    ShortAnswer,
    SingleChoice,
    Text,
    TrueFalse,
    export,
    parse,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gift"
HYPOTHESIS = settings(
    database=None, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.gift")), ids=lambda p: p.stem)
def test_fixture_round_trip(path):
    items = parse(path.read_text(encoding="utf-8"))
    assert parse(export(items)) == items


def test_export_escapes_and_layout():
    question = SingleChoice(
        title="GIFT: {1}",
        stem=Text("Which is 5 ~ #?\nSecond line"),
        choices=[
            Choice(Text("= 2 + 3"), correct=True, feedback=Text("Right \\ ok")),
            Choice(Text("%50% [html]"), weight=-50),
        ],
        idnumber="Q]1",
        tags=["a b", "c"],
    )
    assert export([question, Category(path="top/sub")]) == (
        "// [id:Q\\]1]\n"
        "// [tag:a b] [tag:c]\n"
        "::GIFT\\: \\{1\\}::Which is 5 \\~ \\#?\\nSecond line {\n"
        "    =\\= 2 + 3 #Right \\\\ ok\n"
        "    ~%-50%[moodle]%50% [html]\n"
        "}\n\n"
        "$CATEGORY: top/sub\n"
    )


def test_export_missing_word_and_numerical_forms():
    blank = ShortAnswer(stem=Text("Two plus"), stem_after=".", answers=[Choice(Text("2"), True)])
    single = Numerical(stem=Text("Pi?"), answers=[NumericAnswer(3.14, 0.01)])
    assert export([blank, single]) == "Two plus {\n    =2\n}.\n\nPi? {#3.14:0.01}\n"


# --- generated models -------------------------------------------------------------------

CHARS = st.sampled_from(list("abcXYZ 019é_.,*'\"?!~=#{}:\\%[]/$<>-\n"))


def _normal(raw: str, fmt: str) -> str:
    """What the parser keeps of a text: trimmed, single spaces outside html and markdown."""
    raw = raw.strip(" ")
    return raw if fmt in ("html", "markdown") else re.sub(" {2,}", " ", raw)


def _no_arrow(raw: str) -> str:
    """Remove every "->" (GIFT has no escape for it: it would make a matching question)."""
    while "->" in raw:
        raw = raw.replace("->", "-")
    return raw


@st.composite
def texts(draw, fmt=None, empty=False, arrow=True):
    """A model Text whose content survives parsing (special characters included)."""
    fmt = fmt or draw(st.sampled_from(FORMATS))
    raw = draw(st.text(CHARS, max_size=25))
    text = _normal(_no_arrow(raw) if not arrow else raw, fmt)
    if not text and not empty:
        text = "x"
    return Text(text, fmt)


def feedbacks(arrow=True):
    """An optional feedback text."""
    return st.none() | texts(arrow=arrow)


WEIGHTS = st.none() | st.integers(-100, 100) | st.floats(-100, 100).map(lambda w: round(w, 5))
NUMBERS = st.integers(-(10**6), 10**6) | st.floats(allow_nan=False, allow_infinity=False)
LABELS = st.text(st.sampled_from(list("abcXY019-_ ]é")), min_size=1, max_size=12).map(str.strip)


@st.composite
def common(draw):
    """Fields shared by every question."""
    title = _normal(draw(st.text(st.sampled_from(list("ab: {}#~=\\")), max_size=10)), "moodle")
    idnumber = draw(st.none() | LABELS)
    return {
        "title": title or None,
        "stem": draw(texts()),
        "idnumber": idnumber or None,
        "tags": [t for t in draw(st.lists(LABELS, max_size=3)) if t],
    }


def answer_block(draw, fields):
    """Stem after the block (missing word) and general feedback."""
    after = _normal(draw(st.text(CHARS, max_size=10)), fields["stem"].format)
    if after:
        fields["stem_after"] = after
    fields["general_feedback"] = draw(feedbacks())
    return fields


def choices(correct):
    """A choice with a fixed correctness."""
    return st.builds(Choice, texts(arrow=False), st.just(correct), WEIGHTS, feedbacks(False))


@st.composite
def numeric_answers(draw):
    """Exact, tolerance, range or (for a wrong answer) catch-all numerical answer."""
    kind = draw(st.sampled_from(["exact", "tolerance", "range", "any"]))
    correct = kind != "any" and draw(st.booleans())
    answer = NumericAnswer(correct=correct, weight=draw(WEIGHTS), feedback=draw(feedbacks()))
    a, b = sorted([draw(NUMBERS), draw(NUMBERS)])
    if kind == "range":
        answer.low, answer.high = a, b
    elif kind != "any":
        answer.value = b
        answer.tolerance = abs(a) if kind == "tolerance" else None
    return answer


def _true_false(draw, fields):
    return TrueFalse(
        **fields,
        correct_answer=draw(st.booleans()),
        incorrect_feedback=draw(feedbacks()),
        correct_feedback=draw(feedbacks()),
    )


def _single(draw, fields):
    found = draw(st.lists(choices(True), min_size=1, max_size=3))
    found += draw(st.lists(choices(False), min_size=1, max_size=3))
    return SingleChoice(**fields, choices=draw(st.permutations(found)))


def _multiple(draw, fields):
    found = draw(st.lists(choices(False), min_size=1, max_size=4))
    found[0].weight = draw(st.integers(1, 100))
    return MultipleChoice(**fields, choices=draw(st.permutations(found)))


def _short(draw, fields):
    short = st.builds(Choice, texts(arrow=False), st.just(True), WEIGHTS, feedbacks(False))
    return ShortAnswer(**fields, answers=draw(st.lists(short, min_size=1, max_size=3)))


def _numerical(draw, fields):
    return Numerical(**fields, answers=draw(st.lists(numeric_answers(), min_size=1, max_size=3)))


def _matching(draw, fields):
    answers = st.text(CHARS, max_size=10).map(lambda a: _normal(_no_arrow(a), "moodle") or "y")
    pair = st.builds(MatchPair, texts(arrow=False), answers)
    spare = st.builds(MatchPair, st.sampled_from(FORMATS).map(lambda f: Text("", f)), answers)
    pairs = draw(st.lists(pair, min_size=2, max_size=3)) + draw(st.lists(spare, max_size=1))
    return Matching(**fields, pairs=pairs)


ANSWERED = {
    "essay": lambda draw, fields: Essay(**fields),
    "tf": _true_false,
    "sc": _single,
    "mc": _multiple,
    "sa": _short,
    "num": _numerical,
    "match": _matching,
}


@st.composite
def questions(draw):
    """Any valid question or category of the model."""
    kind = draw(st.sampled_from(["cat", "desc", *ANSWERED]))
    if kind == "cat":
        path = draw(st.text(CHARS, max_size=20)).replace("\n", " ")
        return Category(path=_normal(path, "moodle") or "c")
    fields = draw(common())
    if kind == "desc":
        return Description(**fields)
    fields = answer_block(draw, fields)
    if not fields["stem"].text and "stem_after" not in fields:
        fields["stem"] = Text("stem", fields["stem"].format)
    return ANSWERED[kind](draw, fields)


@HYPOTHESIS
@given(st.lists(questions(), min_size=1, max_size=4))
def test_generated_models_round_trip(items):
    text = export(items)
    assert parse(text) == items, text


GIFT_TOKENS = list("{}=~#%:\\/->[] \nTFab1.0") + ["\\n", "::", "[html]", "####", "{#", "->"]


@HYPOTHESIS
@given(st.lists(st.sampled_from(GIFT_TOKENS), max_size=40).map("".join))
def test_whatever_parses_round_trips(source):
    try:
        items = parse(source)
    except GiftError:
        return
    assert parse(export(items)) == items
