"""The .survey format: a complete file, every error at its line, export round trip, robustness."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.authoring.survey import SurveyError, export, parse

COMPLETE = """---
key: auto-evaluation-entree
title: Auto-évaluation avant la formation #1
kind: self_assessment          # self_assessment | questionnaire
purpose: pre                   # needs | pre | post | ...
opens: enrolment
respondent: learner
hidden: false
---
Avant de commencer, situez-vous **honnêtement**.

Vos réponses restent entre vous et votre formateur.

## Relation aux habitants

? scale objectif-1 competency=relation-usagers required
Je sais utiliser les outils numériques
dans la relation avec les habitants.
- 1 Pas du tout
- 2 Un peu
- 3 Moyennement
- 4 Bien
- 5 Tout à fait

? score recommandation required
Sur une échelle de 0 à 10, recommanderiez-vous cette formation ?

## Préférences

? single format-prefere other
Quel format préférez-vous ?
- presentiel Présentiel
- distanciel Classe virtuelle

? multiple attentes
Qu'attendez-vous ?
- outils Découvrir des outils
- echanges Échanger entre pairs

? yesno applique required
Appliquez-vous déjà une démarche participative ?

? text commentaire lines=5
Vos commentaires libres.

? info
Merci pour vos réponses !
"""


def _question(**fields):
    base = {
        "text": "",
        "options": [],
        "required": False,
        "competency": None,
        "other": False,
        "lines": None,
    }
    return base | fields


def test_a_complete_file():
    data = parse(COMPLETE, "entree.survey")
    assert data["meta"] == {
        "key": "auto-evaluation-entree",
        "title": "Auto-évaluation avant la formation #1",
        "kind": "self_assessment",
        "purpose": "pre",
        "opens": "enrolment",
        "respondent": "learner",
        "hidden": False,
    }
    assert data["intro"] == (
        "Avant de commencer, situez-vous **honnêtement**.\n\n"
        "Vos réponses restent entre vous et votre formateur."
    )
    scale, score, single, multiple, yesno, text, info = data["questions"]
    assert scale == _question(
        type="scale",
        key="objectif-1",
        text="Je sais utiliser les outils numériques\ndans la relation avec les habitants.",
        options=[
            {"key": "1", "label": "Pas du tout"},
            {"key": "2", "label": "Un peu"},
            {"key": "3", "label": "Moyennement"},
            {"key": "4", "label": "Bien"},
            {"key": "5", "label": "Tout à fait"},
        ],
        required=True,
        competency="relation-usagers",
        section="Relation aux habitants",
        line=16,
    )
    assert (score["type"], score["required"], score["line"]) == ("score", True, 25)
    assert single["other"] and single["section"] == "Préférences"
    assert [o["key"] for o in multiple["options"]] == ["outils", "echanges"]
    assert (yesno["key"], yesno["required"]) == ("applique", True)
    assert (text["lines"], text["text"]) == (5, "Vos commentaires libres.")
    assert (info["type"], info["key"], info["text"]) == (
        "info",
        "info-1",
        "Merci pour vos réponses !",
    )


@pytest.mark.parametrize(
    ("purpose", "kind", "opens", "respondent", "hidden"),
    [
        ("needs", "questionnaire", "enrolment", "learner", False),
        ("pre", "self_assessment", "enrolment", "learner", False),
        ("post", "self_assessment", "run_end", "learner", False),
        ("satisfaction", "questionnaire", "run_end", "learner", False),
        ("trainer_review", "questionnaire", "run_end", "trainer", True),
        ("followup_6m", "questionnaire", "enrolment", "learner", True),
    ],
)
def test_defaults_follow_the_purpose(purpose, kind, opens, respondent, hidden):
    meta = parse(f"---\npurpose: {purpose}\n---\n? yesno ok\nOui ?\n", "02-Mon suivi.survey")[
        "meta"
    ]
    assert (meta["kind"], meta["opens"], meta["respondent"], meta["hidden"]) == (
        kind,
        opens,
        respondent,
        hidden,
    )
    assert (meta["key"], meta["title"]) == ("02-mon-suivi", "Mon suivi")


def test_front_matter_is_optional():
    data = parse("Intro.\n\n? text avis\nVotre avis ?\n", "avis.survey")
    assert data["intro"] == "Intro."
    assert data["meta"]["purpose"] == "survey"


ERRORS = [
    ("---\nkey: x\n? text a\nA\n", 1, "not closed"),
    ("---\ncolour: blue\n---\n", 2, "unknown field 'colour'"),
    ("---\nkey: x\nkey: y\n---\n", 3, "given twice (first at line 2)"),
    ("---\nkey: Pas Bon\n---\n", 2, "key uses lower-case"),
    ("---\npurpose: party\n---\n", 2, "purpose: expected one of"),
    ("---\nhidden: maybe\n---\n", 2, "expected true or false"),
    ("---\npurpose: trainer_review\nrespondent: learner\n---\n", 3, "answered by the trainer"),
    ("---\njust text\n---\n", 2, "expected 'name: value'"),
    ("Intro\n\n? rating x\nA ?\n", 3, "unknown question type 'rating'"),
    ("? scale\nA ?\n- 1 a\n- 2 b\n", 1, "needs a key"),
    ("?\n", 1, "must be followed by a type"),
    ("? text a\nA ?\n\n? text a\nB ?\n", 4, "used twice (first at line 1)"),
    ("? text a bogus\nA ?\n", 1, "attribute 'bogus' is not allowed"),
    ("? yesno a other\nA ?\n", 1, "attribute 'other' is not allowed on a yesno"),
    ("? text a lines=99\nA ?\n", 1, "lines=N needs a number"),
    ("? text a required required\nA ?\n", 1, "given twice"),
    ("? text a competency=Bad_Key\nA ?\n", 1, "competency=KEY"),
    ("? single a\nA ?\n\n- x Choix\n", 4, "remove the blank line"),
    ("? single a\nA ?\n- x Choix\nEncore du texte\n", 4, "text after the options"),
    ("? scale a\nA ?\n- un Faible\n- 2 Fort\n", 3, "whole numbers"),
    ("? single a\nA ?\n- x\n", 3, "'- KEY Label'"),
    ("? single a\nA ?\n- x Un\n- x Deux\n", 4, "used twice in this question"),
    ("? scale a\nA ?\n- 1 Seul\n", 1, "at least 2 option"),
    ("? multiple a\nA ?\n", 1, "at least 1 option"),
    ("? text a\n\n", 1, "question without text"),
    ("? text a\nA ?\n\nDu texte perdu\n", 4, "text outside a question"),
    ("? text a\nA ?\n\n### Titre\n", 4, "starts with '## '"),
    ("##   \n", 1, "empty section title"),
    ("? text mauvaise/clé\nA ?\n", 1, "bad question key"),
]


@pytest.mark.parametrize(("text", "line", "message"), ERRORS)
def test_each_error_names_its_line(text, line, message):
    with pytest.raises(SurveyError) as caught:
        parse(text, "besoins.survey")
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"besoins.survey:{line}:")


def _without_lines(data: dict) -> dict:
    return {
        **data,
        "questions": [{k: v for k, v in q.items() if k != "line"} for q in data["questions"]],
    }


def test_export_parses_back_to_the_same_survey():
    data = parse(COMPLETE, "entree.survey")
    again = parse(export(data), "entree.survey")
    assert _without_lines(again) == _without_lines(data)
    assert export(again) == export(data)


SURVEY_CHARS = st.sampled_from(
    list("?-#:=\n \t") + ["---", "## ", "? scale ", "? single a ", "- 1 "]
)
TEXT = st.lists(st.one_of(SURVEY_CHARS, st.text(max_size=6)), max_size=40).map("".join)
HYPOTHESIS = settings(
    database=None, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow]
)


@HYPOTHESIS
@given(text=TEXT)
def test_random_text_gives_data_or_a_survey_error(text):
    try:
        data = parse(text, "x.survey")
    except SurveyError as error:
        assert error.line >= 1 and error.column >= 1
        return
    assert _without_lines(parse(export(data), "x.survey")) == _without_lines(data)


@HYPOTHESIS
@given(cuts=st.lists(st.tuples(st.integers(0, len(COMPLETE)), st.integers(0, 8), TEXT), max_size=4))
def test_mutated_files_give_data_or_a_survey_error(cuts):
    text = COMPLETE
    for at, length, insert in cuts:
        text = text[:at] + insert + text[at + length :]
    try:
        data = parse(text, "x.survey")
    except SurveyError as error:
        assert 1 <= error.line <= text.count("\n") + 2
        return
    assert _without_lines(parse(export(data), "x.survey")) == _without_lines(data)
