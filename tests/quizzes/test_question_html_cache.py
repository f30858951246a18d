"""A question's HTML kept for the same inputs: an attempt page shown again (after each save)
renders only the questions whose answer changed, and never shows anyone a kept HTML made for
other inputs — another answer, another learner, an edited question, another language."""

from __future__ import annotations

import re

import pytest
from flask_babel import refresh

import quizzes.qtypes as qtypes
from lms.db import db
from lms.plugins import get_registry
from tests.factories import enrol
from tests.quizzes.taking_data import add_quiz, setup_course
from tests.quizzes.test_attempts import by_key
from tests.quizzes.test_taking import post_attempt, started, switch_to


@pytest.fixture
def fresh_locale(app):
    """Pick the language anew on each request (the test's one app context would keep it)."""
    app.before_request(refresh)


@pytest.fixture
def data(app, fresh_locale, make_user, login):
    data = setup_course(make_user)
    login(data.learner)
    return data


@pytest.fixture
def rendered(monkeypatch):
    """The question templates rendered, in order."""
    names: list[str] = []
    original = qtypes.render_fragment

    def counting(template, **context):
        names.append(context["question"].settings.get("key") or context["question"].id)
        return original(template, **context)

    monkeypatch.setattr(qtypes, "render_fragment", counting)
    return names


def stems(html: str) -> int:
    """How many questions a page shows (each has its stem)."""
    return len(re.findall(r'id="q\d+-stem"', html))


def page_of(client, attempt) -> str:
    response = client.get(f"/parcours/tentatives/{attempt.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_page_shown_again_renders_only_the_question_whose_answer_changed(client, data, rendered):
    quiz = add_quiz(data.course)
    q = by_key(quiz)
    attempt = started(client, data, quiz)
    first = page_of(client, attempt)
    assert len(rendered) == 6
    rendered.clear()
    again = page_of(client, attempt)
    assert rendered == []
    assert stems(again) == stems(first) == 6
    post_attempt(client, attempt, {f"q{q['calcul'].id}": "4217"})
    rendered.clear()
    saved = page_of(client, attempt)
    assert rendered == [q["calcul"].id]
    assert 'value="4217"' in saved and 'value="4217"' not in first


def test_another_learner_never_gets_a_page_made_for_someone_else(
    client, data, rendered, make_user, login
):
    quiz = add_quiz(data.course)
    q = by_key(quiz)
    mine = started(client, data, quiz)
    post_attempt(client, mine, {f"q{q['calcul'].id}": "4217", f"q{q['mot'].id}": "ma-réponse"})
    assert "ma-réponse" in page_of(client, mine)
    other = make_user("learner", email="autre@example.org", name="Autre Personne")
    enrol(data.run, other)
    switch_to(client, login, other)
    theirs = started(client, data, quiz)
    page = page_of(client, theirs)
    assert "ma-réponse" not in page and 'value="4217"' not in page
    assert stems(page) == 6


def test_an_edited_question_shows_its_new_text(client, data):
    quiz = add_quiz(data.course)
    q = by_key(quiz)
    attempt = started(client, data, quiz)
    assert "Combien font 4000 + 217 ?" in page_of(client, attempt)
    q["calcul"].stem_html = "<p>Combien font 4200 + 17 ?</p>"
    db.session.commit()
    page = page_of(client, attempt)
    assert "Combien font 4200 + 17 ?" in page and "4000 + 217" not in page


def test_the_language_is_part_of_what_is_kept(client, data):
    quiz = add_quiz(data.course)
    by_key(quiz)["calcul"].required = True
    db.session.commit()
    attempt = started(client, data, quiz)
    assert "(obligatoire)" in page_of(client, attempt)
    data.learner.locale = "en"
    db.session.commit()
    page = page_of(client, attempt)
    assert "(required)" in page and "(obligatoire)" not in page


def test_a_type_that_does_not_say_its_template_is_pure_is_rendered_every_time(
    client, data, rendered, monkeypatch
):
    quiz = add_quiz(data.course)
    q = by_key(quiz)
    monkeypatch.setattr(get_registry().question_types["numerical"], "pure_render", False)
    attempt = started(client, data, quiz)
    page_of(client, attempt)
    rendered.clear()
    page_of(client, attempt)
    assert rendered == [q["calcul"].id]


def test_review_pages_are_rendered_each_time(client, data, rendered):
    quiz = add_quiz(data.course, review_after_attempt="score,correctness,feedback")
    attempt = started(client, data, quiz)
    post_attempt(client, attempt, {}, action="confirm")
    review = f"/parcours/tentatives/{attempt.id}/resultat"
    assert client.get(review).status_code == 200
    rendered.clear()
    assert client.get(review).status_code == 200
    assert len(rendered) == 6


def test_the_key_tells_apart_values_that_render_differently(app):
    """Settings and responses enter the key as their ``repr``: values a template would write
    differently (a flag and a number, an integer and a decimal, a text and a number, a list in
    another order) never share a kept HTML."""
    from types import SimpleNamespace

    def key(settings, response):
        question = SimpleNamespace(
            id=1, type="numerical", position=1, required=False, stem_html="", settings=settings
        )
        context = {
            "question": question,
            "field_name": "q1",
            "response": response,
            "readonly": False,
            "options": None,
            "number": 1,
        }
        with app.test_request_context("/"):
            return qtypes._rendered_key("t.html", context)

    pairs = [
        ({"v": True}, {"v": 1}),
        ({"v": 1}, {"v": 1.0}),
        ({"v": "1"}, {"v": 1}),
        ({"v": ["a", "b"]}, {"v": ["b", "a"]}),
        ({"v": None}, {}),
    ]
    for one, other in pairs:
        assert key(one, {}) != key(other, {}), (one, other)
        assert key({}, one) != key({}, other), (one, other)
    assert key({"v": [1, "a"]}, {"value": "4217"}) == key({"v": [1, "a"]}, {"value": "4217"})
