"""What reaches the browser before submission, and form parsing that never breaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from quizzes.qtypes.base import normalise
from tests.quizzes.qtype_support import call, empty, gift_questions, grade, survey_questions
from tests.quizzes.test_qtypes import MATCHING, NUMERICAL, SHORT, SURVEY

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gift"
SECRET_KEYS = {
    "fraction",
    "weight",
    "correct",
    "correct_answer",
    "feedback",
    "feedback_html",
    "general_feedback",
    "general_feedback_html",
    "correct_feedback",
    "incorrect_feedback",
    "correct_feedback_html",
    "incorrect_feedback_html",
    "answer_key",
    "pairs",
    "value",
    "tolerance",
    "low",
    "high",
}


def fixture_questions():
    questions = []
    for path in sorted(FIXTURES.glob("*.gift")):
        for question in gift_questions(path.read_text(encoding="utf-8")):
            questions.append(pytest.param(question, id=f"{path.stem}-{question.key}"))
    return questions


ALL = fixture_questions() + [
    pytest.param(q, id=f"extra-{q.key}")
    for text in (SHORT, NUMERICAL, MATCHING)
    for q in gift_questions(text)
]


def _keys(data) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def test_every_fixture_question_is_covered():
    types = {p.values[0].type for p in ALL}
    assert types >= {
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
        "essay",
        "description",
    }


@pytest.mark.parametrize("question", ALL)
def test_public_data_never_holds_answers_weights_or_feedback(question):
    public = call(question, "public")
    json.dumps(public)  # plain data
    assert not _keys(public) & SECRET_KEYS
    dumped = json.dumps(public, ensure_ascii=False)
    if question.type in ("short_answer", "numerical"):
        assert "answers" not in public
        for answer in question.settings["answers"]:
            accepted = (answer.get("text") or {}).get("text")
            if accepted and accepted not in question.stem_html:
                assert json.dumps(accepted, ensure_ascii=False)[1:-1] not in dumped
    feedback = question.settings.get("general_feedback_html")
    if feedback:
        assert feedback not in dumped


@pytest.mark.parametrize("question", [p for p in ALL if p.values[0].type == "matching"])
def test_matching_answers_are_listed_in_an_order_that_reveals_no_pair(question):
    answers = call(question, "public")["answers"]
    texts = [a["text"] for a in answers]
    assert texts == sorted(texts, key=normalise)
    assert len(texts) == len(set(texts))


def test_survey_public_data_has_options_and_no_hidden_fields():
    for question in survey_questions(SURVEY):
        public = call(question, "public")
        assert public["key"] == question.key
        assert not _keys(public) & {"fraction", "weight", "correct"}
    scale = survey_questions(SURVEY)[0]
    assert [o["label"] for o in call(scale, "public")["options"]] == ["Débutant", "Moyen", "Expert"]


GARBAGE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "true", "false", "yes", "0", "10", "_other", "-1", "1e999", "\x00"]),
)
FORMS = st.lists(
    st.tuples(st.sampled_from(["q", "q-other", "q-x", "other", "q-mc"]), GARBAGE), max_size=8
)
RESPONSE_KEYS = st.sampled_from(["choice", "choices", "text", "pairs", "value", "other"]) | st.text(
    max_size=8
)
QUESTIONS = [p.values[0] for p in ALL] + survey_questions(SURVEY)


@settings(
    database=None, deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
@given(pairs=FORMS, index=st.integers(min_value=0, max_value=len(QUESTIONS) - 1))
def test_parse_then_grade_never_raise_on_garbage_forms(pairs, index):
    question = QUESTIONS[index]
    response = call(question, "parse", MultiDict(pairs), "q")
    assert isinstance(response, dict)
    json.dumps(response)
    result = grade(question, response)
    if result.score is not None:
        assert result.score <= question.max_score + 1e-9


@settings(
    database=None, deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    response=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(RESPONSE_KEYS, inner, max_size=3)
        ),
        max_leaves=8,
    ),
    index=st.integers(min_value=0, max_value=len(QUESTIONS) - 1),
)
def test_grade_and_empty_tolerate_any_stored_response(response, index):
    question = QUESTIONS[index]
    grade(question, response)
    assert isinstance(empty(question, response), bool)
