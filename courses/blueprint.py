"""The courses blueprint (templates under ``courses/templates/courses/``)."""

from flask import Blueprint

bp = Blueprint(
    "courses",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/courses",
)
