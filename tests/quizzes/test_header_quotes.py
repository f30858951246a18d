"""Header values written in quotes (``title: "Grille : quel rôle ?"``), as YAML allows, are read
without their quotes, and written back so that they read the same."""

from __future__ import annotations

import pytest

from quizzes.authoring import survey
from quizzes.authoring.quizfile import header_text
from quizzes.authoring.survey.export import export

SURVEY = """---
key: grille
title: "Grille d'auto-positionnement : quel rôle donnez-vous aux citoyens ?"
kind: self_assessment
---

? text remarque
Une remarque ?
"""


def test_survey_title_loses_its_quotes():
    data = survey.parse(SURVEY, "t.survey")
    assert (
        data["meta"]["title"]
        == "Grille d'auto-positionnement : quel rôle donnez-vous aux citoyens ?"
    )


@pytest.mark.parametrize("title", ['"Cité" entre guillemets"', '"Tout entre guillemets"', "'x'"])
def test_a_title_with_its_own_quotes_survives_export(title):
    data = survey.parse(SURVEY, "t.survey")
    data["meta"]["title"] = title
    assert survey.parse(export(data), "t.survey")["meta"]["title"] == title


def test_quiz_header_quotes_a_title_that_would_lose_its_quotes():
    assert "// title: '\"Vrai\"'" in header_text({"key": "q", "title": '"Vrai"'})
