"""The quizzes plugin: what is measured (quizzes, self-assessments, questionnaires)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

from lms.plugins import Plugin

HERE = Path(__file__).resolve().parent

bp = Blueprint("quizzes", __name__, template_folder="templates")


def _cli():
    from quizzes.cli import quiz_cli

    return quiz_cli


plugin = Plugin(
    name="quizzes",
    requires=("courses",),
    blueprint=bp,
    models="quizzes.models",
    migrations=str(HERE / "migrations"),
    cli=_cli(),
)
