"""Review marks of a multiple-answer question: each right choice picked is « Bonne réponse »,
even when it earns only part of the mark, so the marks agree with the verdict."""

from __future__ import annotations

from quizzes.qtypes import make_review, render_question
from tests.quizzes.qtype_support import gift_question, key_of
from tests.quizzes.test_qtypes import MULTI
from tests.quizzes.test_qtypes_render import ALL_REVIEW


def test_fully_correct_multiple_answer_is_never_partially_right(app):
    q = gift_question(MULTI)
    response = {"choices": [key_of(q, "Budget participatif"), key_of(q, "Consultation en ligne")]}
    with app.test_request_context():
        html = str(render_question(q, "q1", response, review=make_review(q, response, ALL_REVIEW)))
    assert "Partiellement juste" not in html
    assert html.count("Bonne réponse") == 3  # the verdict and each of the two right choices


def test_a_wrong_pick_is_marked_wrong_and_a_missed_one_expected(app):
    q = gift_question(MULTI)
    response = {"choices": [key_of(q, "Budget participatif"), key_of(q, "Arrêté préfectoral")]}
    with app.test_request_context():
        html = str(render_question(q, "q1", response, review=make_review(q, response, ALL_REVIEW)))
    assert "Mauvaise réponse" in html and "Réponse attendue" in html
