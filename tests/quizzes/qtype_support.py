"""Question rows built from GIFT or .survey text exactly as an import builds them (not saved)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from quizzes.authoring import gift, survey
from quizzes.authoring.quizfile import questions_data
from quizzes.authoring.sync import quiz_rows, survey_rows
from quizzes.models import Question
from quizzes.qtypes import HANDLERS


def gift_questions(text: str) -> list[Question]:
    """Questions of a GIFT text, with the settings and HTML an import stores."""
    rows = quiz_rows(questions_data(gift.parse(text, "t.gift"), "t.gift"))
    return [Question(id=n, position=n, **row) for n, row in enumerate(rows, start=1)]


def gift_question(text: str) -> Question:
    """The only question of a GIFT text."""
    (question,) = gift_questions(text)
    return question


def survey_questions(text: str) -> list[Question]:
    """Questions of a ``.survey`` text."""
    rows = survey_rows(survey.parse(text, "t.survey")["questions"])
    return [Question(id=n, position=n, **row) for n, row in enumerate(rows, start=1)]


def call(question: Question, name: str, *args):
    """Call the handler ``name`` of the question's type."""
    return HANDLERS[question.type][name](question, *args)


def grade(question: Question, response: dict):
    """Grade a response."""
    return call(question, "grade", response)


def parse(question: Question, **fields) -> dict:
    """Parse a form holding ``fields`` (lists for multi-valued ones) for field ``q``."""
    form = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            form.add(name.replace("__", "-"), item)
    return call(question, "parse", form, "q")


def key_of(question: Question, label: str) -> str:
    """Key of the choice (or survey option, or matching answer) whose text is ``label``."""
    settings = question.settings
    for choice in settings.get("choices", []):
        if choice["text"]["text"] == label:
            return choice["key"]
    for answer in settings.get("answers", []):
        if answer.get("text") == label:
            return answer["key"]
    for option in settings.get("options", []):
        if option["label"] == label:
            return option["key"]
    raise KeyError(label)


def sub_key(question: Question, text: str) -> str:
    """Key of a matching sub-question."""
    return next(p["key"] for p in question.settings["pairs"] if p["question"]["text"] == text)


def empty(question: Question, response) -> bool:
    """The type's ``empty`` check of a response."""
    return HANDLERS[question.type]["empty"](response)
