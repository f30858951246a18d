"""GIFT parser: the peer fixtures, Moodle's documented behaviour, errors, robustness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.authoring.gift import (
    Category,
    GiftError,
    MultipleChoice,
    Numerical,
    SingleChoice,
    Text,
    TrueFalse,
    from_settings,
    parse,
    to_peg_json,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gift"
GIFT_FILES = sorted(FIXTURES.glob("*.gift"))
CONTRADICTS_MOODLE = {
    "TFTwoFeedback": (
        "Moodle's GIFT documentation (Feedback): 'For true-false questions, there can be one"
        " or two feedback strings. The first is shown if the student gives the wrong answer."
        " The second if the student gives the right answer.' So in {TRUE#feedback for true}"
        " the text is shown to who answers False (falseFeedback), and in"
        " {TRUE# #feedback for false} it is shown to who answers True (trueFeedback); the"
        " fixture expects the opposite for these two questions."
    )
}
HYPOTHESIS = settings(
    database=None, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow]
)


def _case(path: Path):
    reason = CONTRADICTS_MOODLE.get(path.stem)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", [_case(p) for p in GIFT_FILES])
def test_fixture_gives_the_peg_json_model(path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert to_peg_json(parse(path.read_text(encoding="utf-8"), path.name)) == expected


def test_all_fixture_pairs_are_used():
    assert len(GIFT_FILES) == 26
    assert all(p.with_suffix(".json").exists() for p in GIFT_FILES)


@pytest.mark.parametrize("path", GIFT_FILES, ids=lambda p: p.stem)
def test_settings_rebuild_every_fixture_question(path):
    items = parse(path.read_text(encoding="utf-8"))
    stored = [(i.type, json.loads(json.dumps(i.to_settings()))) for i in items]
    assert [from_settings(kind, data) for kind, data in stored] == items


def test_true_false_feedback_follows_moodle_documentation():
    text = (
        "Grant is buried in Grant's tomb.{FALSE#Wrong, No one is buried in Grant's tomb."
        "#Right, well done.}\n\nThe sun rises in the east.{T#No: it does.}"
    )
    buried, sun = parse(text)
    assert isinstance(buried, TrueFalse) and buried.correct_answer is False
    assert buried.incorrect_feedback == Text("Wrong, No one is buried in Grant's tomb.")
    assert buried.correct_feedback == Text("Right, well done.")
    assert sun.correct_answer is True and sun.correct_feedback is None
    peg = to_peg_json([buried, sun])
    assert peg[0]["trueFeedback"]["text"].startswith("Wrong")
    assert peg[1]["falseFeedback"] == {"format": "moodle", "text": "No: it does."}
    assert peg[1]["trueFeedback"] is None


def test_question_types_map_to_parcours_names():
    text = """$CATEGORY: $course$/top/Chapitre 1

Info only.

Essay? {}

Sky is blue {T}

Capital? {=Paris ~Lyon}

Pick two {~%50%a ~%50%b ~%-100%c}

Say it {=yes =%50%oui}

Number {#2:0.5}

Pairs {=a -> 1 =b -> 2}"""
    assert [i.type for i in parse(text)] == [
        "category",
        "description",
        "essay",
        "true_false",
        "single_choice",
        "multiple_choice",
        "short_answer",
        "numerical",
        "matching",
    ]


def test_category_id_tags_and_lines():
    text = "// header\n\n$CATEGORY: tom/dick/harry\n\n// [id:Q-1] [tag:easy]\n// [tag:geo]\nQ {T}"
    category, question = parse(text)
    assert category == Category(path="tom/dick/harry") and category.line == 3
    assert (question.idnumber, question.tags, question.line) == ("Q-1", ["easy", "geo"], 7)
    assert to_peg_json([category]) == [{"type": "Category", "title": "tom/dick/harry"}]


def test_windows_line_ends_bom_and_category_followed_by_question():
    text = "\ufeff$CATEGORY: a/b\r\nQ1 {T}\r\n\r\n\r\n  Q2\r\n{F}\r\n"
    category, first, second = parse(text)
    assert (category.path, first.type, second.type) == ("a/b", "true_false", "true_false")
    assert [category.line, first.line, second.line] == [1, 2, 5]
    assert second.stem.text == "Q2"


def test_choice_weights_and_settings():
    (question,) = parse("Pick {~%33.33333%a#yes ~%-100%[html]<b>b</b> ~%66.66667%c}")
    assert isinstance(question, MultipleChoice)
    assert [c.weight for c in question.choices] == [33.33333, -100, 66.66667]
    first = question.to_settings()["choices"][0]
    assert first == {
        "text": {"text": "a", "format": "moodle"},
        "correct": False,
        "weight": 33.33333,
        "feedback": {"text": "yes", "format": "moodle"},
        "fraction": pytest.approx(0.3333333),
    }
    assert question.choices[1].text == Text("<b>b</b>", "html")


def test_single_choice_with_partial_credit_stays_single():
    (question,) = parse("Difficult.{~wrong ~%50%half =full}")
    assert isinstance(question, SingleChoice)
    assert [c.fraction for c in question.choices] == [0.0, 0.5, 1.0]


def test_numerical_forms():
    (exact, tolerance, span, multi) = parse(
        "A {#1822}\n\nB {#3.1415:0.0005}\n\nC {#1..5}\n\n"
        "D {#\n=%100%1822:0 #Yes\n=%50%1820..1824\n~#Wrong\n####Born in 1822.\n}"
    )
    assert exact.answers[0].kind == "exact" and exact.answers[0].value == 1822
    assert (tolerance.answers[0].value, tolerance.answers[0].tolerance) == (3.1415, 0.0005)
    assert (span.answers[0].low, span.answers[0].high) == (1, 5)
    assert isinstance(multi, Numerical)
    assert [a.kind for a in multi.answers] == ["tolerance", "range", "any"]
    assert [a.fraction for a in multi.answers] == [1.0, 0.5, 0.0]
    assert multi.general_feedback == Text("Born in 1822.")
    assert to_peg_json([span])[0]["choices"] == {
        "type": "high-low",
        "numberHigh": 5,
        "numberLow": 1,
    }


def test_short_answer_without_equal_sign_and_missing_word():
    (bare, blank) = parse("Capital of France? {Paris}\n\nTwo plus {=two =2} equals four.")
    assert bare.type == "short_answer" and bare.answers[0].text.text == "Paris"
    assert (blank.stem.text, blank.stem_after) == ("Two plus", "equals four.")
    assert to_peg_json([blank])[0]["stem"]["text"] == "Two plus _____ equals four."


def test_matching_distractor_and_general_feedback():
    (question,) = parse("Match {=a -> 1 =b -> 2 = -> 3 ####Well.}")
    assert [(p.question.text, p.answer) for p in question.pairs] == [
        ("a", "1"),
        ("b", "2"),
        ("", "3"),
    ]
    assert question.general_feedback == Text("Well.")


def test_escapes_and_newlines():
    (question,) = parse("::a\\:b:: 1 \\= 2\\n\\{x\\} \\\\ \\q {####[markdown]l1\\nl2}")
    assert question.title == "a:b"
    assert question.stem.text == "1 = 2\n{x} \\ \\q"
    assert question.general_feedback == Text("l1\nl2", "markdown")


ERRORS = [
    ("Q {=a\n=b", 1, 3, "unclosed '{'"),
    ("Q {=a\n\n=b}", 1, 3, "unclosed '{'"),
    ("Q =a}", 1, 5, "unexpected '}'"),
    ("Q {=a {=b}}", 1, 7, "'{' inside"),
    ("Q {=a} and {=b}", 1, 12, "only one answer block"),
    ("Q { = }", 1, 5, "empty answer"),
    ("Q {~%abc%x =y}", 1, 5, "bad weight"),
    ("Q {~%150%x =y}", 1, 5, "bad weight"),
    ("Q {~%50 x =y}", 1, 5, "unclosed weight"),
    ("Q {#abc}", 1, 5, "bad numerical answer"),
    ("Q {#}", 1, 4, "without an answer"),
    ("Q {#5:-1}", 1, 5, "tolerance"),
    ("Q {#5..1}", 1, 5, "minimum is above the maximum"),
    ("Q {#1e999}", 1, 5, "too large"),
    ("Q {=a -> b}", 1, 4, "at least 2 pairs"),
    ("Q {=a -> b =c}", 1, 12, "without '->'"),
    ("Q {=a -> b =c -> }", 1, 15, "without an answer after '->'"),
    ("Q {=%50%a -> b =c -> d}", 1, 4, "no weight"),
    ("Q {~a ~b}", 1, 4, "no correct answer"),
    ("Q {x =a}", 1, 4, "text before the first answer"),
    ("::title Q {T}", 1, 1, "unclosed question title"),
    ("::t::{T}", 1, 6, "question text is empty"),
    ("$CATEGORY:   ", 1, 1, "empty category"),
    ("// c\n\nQ1 {T}\n\n// x\nQ2 {\n=a\n  ~%x%b\n}", 8, 4, "bad weight"),
]


@pytest.mark.parametrize(("source", "line", "column", "message"), ERRORS)
def test_bad_gift_raises_located_error(source, line, column, message):
    with pytest.raises(GiftError) as caught:
        parse(source, filename="quiz.gift")
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert message in error.message
    assert str(error).startswith(f"quiz.gift:{line}:{column}: ")


def test_error_in_a_later_question_returns_nothing():
    with pytest.raises(GiftError) as caught:
        parse("Good {T}\n\nAlso good {=a ~b}\n\nBad {~%x%a =b}")
    assert caught.value.line == 5


GIFT_TOKENS = list("{}=~#%:\\/->[]$ \n\tTFab1.0") + [
    "\\n",
    "::",
    "$CATEGORY:",
    "[html]",
    "//",
    "->",
]
GIFT_LIKE = st.lists(st.sampled_from(GIFT_TOKENS), max_size=40).map("".join)


@HYPOTHESIS
@given(st.one_of(st.text(), GIFT_LIKE))
def test_garbage_raises_only_gift_errors(source):
    try:
        items = parse(source)
    except GiftError as error:
        assert error.line >= 1 and error.column >= 1
    else:
        json.dumps(to_peg_json(items))
