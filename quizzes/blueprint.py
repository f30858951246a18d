"""The quizzes blueprint (templates under ``quizzes/templates/quizzes/``)."""

from flask import Blueprint

bp = Blueprint(
    "quizzes",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/quizzes",
)
