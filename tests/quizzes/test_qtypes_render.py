"""The question templates: labelled inputs, grouped choices, the answer shown, review marks."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from quizzes.authoring.kinds import load_quiz, load_survey
from quizzes.authoring.sync import quiz_rows, survey_rows
from quizzes.models import Question as Row
from quizzes.qtypes import make_review, render_question
from tests.quizzes.qtype_support import gift_question, gift_questions, key_of, survey_questions
from tests.quizzes.test_qtypes import MATCHING, MULTI, NUMERICAL, SHORT, SINGLE, SURVEY

ALL_REVIEW = ("score", "correctness", "feedback", "correct_answers")


class Controls(HTMLParser):
    """Collects form controls, labels, and whether radios/checkboxes sit in a fieldset."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.labels: set[str] = set()
        self.depth = 0
        self.legends = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset":
            self.depth += 1
        elif tag == "legend":
            self.legends += 1
        elif tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, "in_fieldset": self.depth > 0, **attrs})

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self.depth -= 1


def controls(html: str) -> Controls:
    parser = Controls()
    parser.feed(str(html))
    return parser


def _all_questions():
    return gift_questions(
        "\n\n".join(
            [SINGLE, MULTI, SHORT, NUMERICAL, MATCHING, "Vrai ? {T}", "Racontez. {}", "Info."]
        )
    ) + survey_questions(SURVEY)


@pytest.mark.parametrize("index", range(15))
def test_every_control_has_a_label_and_choices_sit_in_a_fieldset(app, index):
    question = _all_questions()[index]
    with app.test_request_context():
        html = render_question(question, "q7")
    found = controls(html)
    for control in found.controls:
        assert control["id"] in found.labels, control
        if control.get("type") in ("radio", "checkbox"):
            assert control["in_fieldset"] and found.legends == 1
    if question.type not in ("description", "info"):
        assert found.controls, question.type
        assert not any("disabled" in c or "readonly" in c for c in found.controls)


def test_scale_is_radio_buttons_with_their_labels(app):
    scale = survey_questions(SURVEY)[0]
    with app.test_request_context():
        html = str(render_question(scale, "q1", number=4))
    assert "Question 4" in html and "(obligatoire)" in html
    assert html.count('type="radio"') == 3
    assert '<span class="scale-value">2</span> Moyen</label>' in html


def test_readonly_shows_the_learners_answer_and_blocks_changes(app):
    q = gift_question(SINGLE)
    chosen = key_of(q, "Lyon")
    with app.test_request_context():
        html = str(render_question(q, "q1", {"choice": chosen}, readonly=True))
    found = controls(html)
    assert all("disabled" in c for c in found.controls)
    assert [c["value"] for c in found.controls if "checked" in c] == [chosen]
    assert "badge" not in html  # no marks without a review


def test_review_marks_the_answer_and_shows_feedback_and_right_answer(app):
    q = gift_question(SINGLE)
    response = {"choice": key_of(q, "Lyon")}
    with app.test_request_context():
        review = make_review(q, response, ALL_REVIEW)
        html = str(render_question(q, "q1", response, review=review))
    assert "Mauvaise réponse" in html and "Réponse attendue" in html
    assert "Non, c&#39;est Lyon." in html or "Non, c'est Lyon." in html
    assert "Paris est la capitale depuis longtemps." in html
    assert "Note : 0" in html


def test_review_shows_only_what_the_options_allow(app):
    q = gift_question(SINGLE)
    response = {"choice": key_of(q, "Lyon")}
    with app.test_request_context():
        html = str(render_question(q, "q1", response, review=make_review(q, response, ["score"])))
    assert "Note : 0" in html
    assert "Mauvaise réponse" not in html
    assert "Non, c" not in html
    assert "Réponse attendue" not in html


def test_review_of_typed_and_matching_answers(app):
    short = gift_question(SHORT)
    matching = gift_question(MATCHING)
    with app.test_request_context():
        typed = str(
            render_question(
                short, "q1", {"text": "UE"}, review=make_review(short, {"text": "UE"}, ALL_REVIEW)
            )
        )
        matched = str(
            render_question(matching, "q2", {}, review=make_review(matching, {}, ALL_REVIEW))
        )
    assert 'value="UE"' in typed and "Partiellement juste" in typed
    assert "l&#39;Union européenne" in typed or "l'Union européenne" in typed
    assert "Réponse attendue : données personnelles" in matched


def test_essay_review_is_pending_with_the_trainers_comment(app):
    essay = gift_question("Racontez. {}")

    class Graded:
        score, comment = None, None

    with app.test_request_context():
        review = make_review(essay, {"text": "Mon texte"}, ALL_REVIEW, Graded())
        html = str(render_question(essay, "q1", {"text": "Mon texte"}, review=review))
        Graded.score, Graded.comment = 0.75, "Bonne analyse <b>!</b>"
        graded = str(
            render_question(
                essay, "q1", {"text": "x"}, review=make_review(essay, {}, ALL_REVIEW, Graded())
            )
        )
    assert "En attente de correction" in html and "Mon texte</textarea>" in html
    assert "Bonne analyse &lt;b&gt;!&lt;/b&gt;" in graded
    assert "Partiellement juste" in graded


def test_choices_follow_the_attempts_option_order(app):
    q = gift_question(MULTI)
    order = list(reversed([c["key"] for c in q.settings["choices"]]))
    with app.test_request_context():
        html = str(render_question(q, "q1", options=order))
    values = [c["value"] for c in controls(html).controls]
    assert values == order


CATALOG = sorted(
    p
    for p in (Path(__file__).resolve().parents[2] / "courses" / "catalog").rglob("*")
    if p.suffix in (".gift", ".survey")
)


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.name)
def test_every_shipped_instrument_reads_and_renders(app, path):
    data = (load_quiz if path.suffix == ".gift" else load_survey)(path, path.read_text("utf-8"))
    rows = (quiz_rows if path.suffix == ".gift" else survey_rows)(data["settings"]["questions"])
    assert rows
    with app.test_request_context():
        for n, row in enumerate(rows, start=1):
            question = Row(id=n, position=n, **row)
            assert render_question(question, f"q{n}")
            review = make_review(question, {}, ("score", "correctness", "feedback"))
            assert render_question(question, f"q{n}", {}, review=review)
