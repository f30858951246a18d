"""Item analysis, « Réponses choisies »: each answer named by its text, not an internal key."""

from __future__ import annotations

from quizzes.results.item_analysis import with_counts
from tests.quizzes.builders import analysis_quiz, cohort, make_attempt
from tests.quizzes.qtype_support import gift_question, grade, key_of, sub_key

MATCHING = """Associez. {
=CNIL -> données personnelles
=Arcom -> audiovisuel
= -> santé
}"""
SHORT = "Qui a créé le RGPD ? {=l'Union européenne =%50%UE}"
NUMERICAL = "En quelle année ? {#=1822:0 =%50%1800..1850}"


def _counted(question, *responses):
    counts: dict[str, int] = {}
    for response in responses:
        for key in grade(question, response).choice_keys:
            counts[key] = counts.get(key, 0) + 1
    return {o.label: (o.count, o.fraction) for o in with_counts(question, counts) if o.count}


def test_matching_pairs_are_named_sub_question_to_answer(app):
    q = gift_question(MATCHING)
    right = {sub_key(q, "CNIL"): key_of(q, "données personnelles")}
    wrong = {sub_key(q, "CNIL"): key_of(q, "santé"), sub_key(q, "Arcom"): key_of(q, "audiovisuel")}
    found = _counted(q, {"pairs": right}, {"pairs": wrong})
    assert found == {
        "CNIL → données personnelles": (1, 0.5),
        "CNIL → santé": (1, 0.0),
        "Arcom → audiovisuel": (1, 0.5),
    }


def test_short_and_numerical_answers_are_named_by_their_text(app):
    short = gift_question(SHORT)
    assert _counted(short, {"text": "ue"}, {"text": "UE"}) == {"UE": (2, 0.5)}
    number = gift_question(NUMERICAL)
    assert _counted(number, {"text": "1822"}, {"text": "1830"}) == {
        "1822 ± 0": (1, 1.0),
        "1800 – 1850": (1, 0.5),
    }


def test_page_does_not_talk_about_moodle(app, client, login, make_user):
    course, run, trainer, enrolments = cohort(make_user, ["Alice", "Bruno"])
    quiz = analysis_quiz(course)
    for enrolment in enrolments.values():
        make_attempt(quiz, enrolment, {"q1": {"score": 1, "choices": ["a"]}})
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}/quiz/{quiz.id}/analyse").get_data(as_text=True)
    assert "Calculée sur 2 tentatives" in html
    assert "Moodle" not in html
