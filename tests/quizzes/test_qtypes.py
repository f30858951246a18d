"""Grading of every question type, with Moodle's semantics (partial credit, negative weights)."""

from __future__ import annotations

import pytest

from tests.quizzes.qtype_support import (
    call,
    empty,
    gift_question,
    gift_questions,
    grade,
    key_of,
    parse,
    sub_key,
    survey_questions,
)

SINGLE = """::capitale:: Capitale de la France ? {
=Paris#Bien vu.
~%50%Paris (Île-de-France)#Presque.
~Lyon#Non, c'est Lyon.
~%-50%Marseille#Pénalité.
####Paris est la capitale depuis longtemps.
}"""


def test_single_choice_scores_the_weight_of_the_chosen_answer():
    q = gift_question(SINGLE)
    assert grade(q, {"choice": key_of(q, "Paris")}).score == 1.0
    assert grade(q, {"choice": key_of(q, "Paris (Île-de-France)")}).score == 0.5
    assert grade(q, {"choice": key_of(q, "Lyon")}).score == 0.0
    assert grade(q, {"choice": key_of(q, "Marseille")}).score == -0.5


def test_single_choice_gives_the_choice_key_and_its_feedback_then_the_general_one():
    q = gift_question(SINGLE)
    result = grade(q, {"choice": key_of(q, "Lyon")})
    assert result.choice_keys == [key_of(q, "Lyon")]
    assert result.feedback == ["Non, c'est Lyon.", "<p>Paris est la capitale depuis longtemps.</p>"]
    assert result.value is None


def test_unanswered_or_unknown_choice_scores_zero_and_picks_nothing():
    q = gift_question(SINGLE)
    for response in ({}, {"choice": "nope"}, {"choice": None}, {"choice": ["x"]}, None, "junk"):
        result = grade(q, response)
        assert (result.score, result.choice_keys) == (0.0, [])


MULTI = """Quels sont des outils de participation ? {
~%50%Budget participatif
~%50%Consultation en ligne
~%-100%Arrêté préfectoral#Non.
~%0%Affiche
}"""


@pytest.mark.parametrize(
    ("ticked", "expected"),
    [
        (["Budget participatif", "Consultation en ligne"], 1.0),
        (["Budget participatif"], 0.5),
        (["Budget participatif", "Affiche"], 0.5),
        (["Budget participatif", "Arrêté préfectoral"], 0.0),  # -50 % floored at 0
        (["Budget participatif", "Consultation en ligne", "Arrêté préfectoral"], 0.0),
        ([], 0.0),
    ],
)
def test_multiple_choice_sums_weights_floored_at_zero(ticked, expected):
    q = gift_question(MULTI)
    assert q.type == "multiple_choice"
    result = grade(q, {"choices": [key_of(q, t) for t in ticked]})
    assert result.score == expected
    assert sorted(result.choice_keys) == sorted(key_of(q, t) for t in ticked)


def test_multiple_choice_total_is_capped_at_full_marks():
    q = gift_question("Choisir {~%60%a ~%60%b ~%-10%c}")
    assert grade(q, {"choices": [key_of(q, "a"), key_of(q, "b")]}).score == 1.0


def test_multiple_choice_feedback_of_each_ticked_answer():
    q = gift_question(MULTI)
    result = grade(q, {"choices": [key_of(q, "Arrêté préfectoral")]})
    assert result.feedback == ["Non."]


def test_true_false_and_its_two_feedbacks_in_moodles_order():
    q = gift_question("Le ciel est bleu.{TRUE#Regardez mieux.#Exact.}")
    right, wrong = grade(q, {"choice": "true"}), grade(q, {"choice": "false"})
    assert (right.score, right.feedback, right.choice_keys) == (1.0, ["Exact."], ["true"])
    assert (wrong.score, wrong.feedback) == (0.0, ["Regardez mieux."])
    assert call(q, "correct") == "Vrai"


def test_false_statement():
    q = gift_question("La Terre est plate.{F}")
    assert grade(q, {"choice": "false"}).score == 1.0
    assert grade(q, {"choice": "true"}).score == 0.0


SHORT = """Qui a créé le RGPD ? {
=l'Union européenne#Oui.
=%50%UE
=%25%Europe*
}"""


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("l'Union européenne", 1.0),
        ("  L'UNION   Européenne ", 1.0),
        ("ue", 0.5),
        ("Europe occidentale", 0.25),
        ("la France", 0.0),
        ("", 0.0),
    ],
)
def test_short_answer_is_case_insensitive_trimmed_with_partial_credit(typed, expected):
    q = gift_question(SHORT)
    assert grade(q, {"text": typed}).score == expected


def test_short_answer_keeps_the_key_and_feedback_of_the_matched_answer():
    q = gift_question(SHORT)
    result = grade(q, {"text": "L'union européenne"})
    assert result.choice_keys == [q.settings["answers"][0]["key"]]
    assert result.feedback == ["Oui."]
    assert "UE (50 %)" in call(q, "correct")


NUMERICAL = """::annee:: En quelle année ? {#
=1822:0#Exact.
=%50%1822:2#Presque.
=%25%1800..1850
~#Non.
}"""


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1822", 1.0), ("1 822", 1.0), ("1823", 0.5), ("1820,5", 0.5), ("1849", 0.25), ("1900", 0.0)],
)
def test_numerical_uses_the_best_matching_answer(typed, expected):
    q = gift_question(NUMERICAL)
    assert grade(q, {"text": typed}).score == expected


def test_numerical_catch_all_answer_gives_its_feedback():
    q = gift_question(NUMERICAL)
    result = grade(q, {"text": "2000"})
    assert result.score == 0.0
    assert result.feedback == ["Non."]


@pytest.mark.parametrize("typed", ["", "mille", "1e999", "nan", "12abc", "--3"])
def test_numerical_rejects_what_is_not_a_number(typed):
    q = gift_question(NUMERICAL)
    assert grade(q, {"text": typed}).score == 0.0


def test_numerical_exact_tolerance_and_range_forms():
    exact, tolerance, span = gift_questions("A {#3.5}\n\nB {#10:0.5}\n\nC {#1..2}")
    assert grade(exact, {"text": "3,5"}).score == 1.0
    assert grade(exact, {"text": "3.6"}).score == 0.0
    assert grade(tolerance, {"text": "10.5"}).score == 1.0
    assert grade(tolerance, {"text": "10.6"}).score == 0.0
    assert grade(span, {"text": "1"}).score == 1.0
    assert grade(span, {"text": "2.01"}).score == 0.0
    assert call(tolerance, "correct") == "10 ± 0.5"
    assert call(span, "correct") == "1 – 2"


MATCHING = """Associez. {
=CNIL -> données personnelles
=Arcom -> audiovisuel
=ANCT -> cohésion des territoires
= -> santé
}"""


def test_matching_gives_one_share_per_right_pair():
    q = gift_question(MATCHING)
    right = {
        sub_key(q, "CNIL"): key_of(q, "données personnelles"),
        sub_key(q, "Arcom"): key_of(q, "audiovisuel"),
        sub_key(q, "ANCT"): key_of(q, "santé"),
    }
    result = grade(q, {"pairs": right})
    assert result.score == pytest.approx(2 / 3, abs=1e-6)
    assert len(result.choice_keys) == 3
    all_right = dict(right, **{sub_key(q, "ANCT"): key_of(q, "cohésion des territoires")})
    assert grade(q, {"pairs": all_right}).score == 1.0
    assert grade(q, {"pairs": {}}).score == 0.0
    assert "CNIL → données personnelles" in call(q, "correct")


def test_matching_parse_reads_one_list_per_sub_question():
    q = gift_question(MATCHING)
    cnil = sub_key(q, "CNIL")
    fields = {f"q__{cnil}": key_of(q, "santé"), f"q__{sub_key(q, 'Arcom')}": "unknown"}
    assert parse(q, **fields) == {"pairs": {cnil: key_of(q, "santé")}}


def test_essay_needs_a_trainer_and_description_is_not_a_question():
    essay, description = gift_questions("Racontez. {}\n\nUn texte d'information.")
    assert grade(essay, {"text": "Il était une fois"}).score is None
    assert essay.max_score == 1.0
    assert description.type == "description"
    assert description.max_score == 0.0
    assert grade(description, {}).score == 0.0
    assert empty(description, {}) is True


SURVEY = """? scale niveau required
Votre niveau ?
- 1 Débutant
- 2 Moyen
- 3 Expert

? score nps
Recommanderiez-vous ?

? single format other
Format ?
- presentiel Présentiel
- distanciel Distanciel

? multiple attentes other
Attentes ?
- outils Outils
- echanges Échanges

? yesno applique
Appliquez-vous ?

? text libre
Commentaires.

? info
Merci.
"""


def test_survey_types_set_value_and_choice_keys_but_no_score():
    scale, score, single, multiple, yesno, text, info = survey_questions(SURVEY)
    assert vars(grade(scale, {"choice": "3"})) == {
        "score": None,
        "choice_keys": ["3"],
        "value": 3.0,
        "feedback": [],
    }
    assert (grade(score, {"value": 7}).value, grade(score, {"value": 7}).choice_keys) == (7.0, [])
    assert grade(single, {"choice": "distanciel"}).choice_keys == ["distanciel"]
    assert grade(multiple, {"choices": ["outils", "_other"]}).choice_keys == ["outils", "_other"]
    assert (grade(yesno, {"choice": "yes"}).value, grade(yesno, {"choice": "no"}).value) == (1, 0)
    assert grade(yesno, {"choice": "no"}).choice_keys == ["no"]
    assert grade(text, {"text": "Bien"}).score is None
    assert grade(info, {}).choice_keys == []
    assert all(q.max_score == 0.0 for q in (scale, score, single, multiple, yesno, text, info))


def test_survey_forms_are_parsed_with_the_other_text():
    scale, score, single, multiple, yesno, text, _info = survey_questions(SURVEY)
    assert parse(scale, q="2") == {"choice": "2"}
    assert parse(scale, q="9") == {}
    assert parse(score, q="10") == {"value": 10}
    assert parse(score, q="11") == {}
    assert parse(single, q="_other", q__other=" Hybride ") == {
        "choice": "_other",
        "other": "Hybride",
    }
    assert parse(single, q="presentiel", q__other="ignored") == {"choice": "presentiel"}
    assert parse(multiple, q=["echanges", "x", "outils"]) == {"choices": ["outils", "echanges"]}
    assert parse(yesno, q="maybe") == {}
    assert parse(text, q="  ") == {}


def test_empty_responses_per_type():
    scale, score, single, multiple, yesno, text, _info = survey_questions(SURVEY)
    assert empty(scale, {}) and not empty(scale, {"choice": "1"})
    assert empty(score, {}) and not empty(score, {"value": 0})
    assert empty(multiple, {"choices": []})
    assert empty(text, {"text": "   "})
