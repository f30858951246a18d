"""Trainer pages (placeholder until the trainer task lands)."""

from flask import render_template

from courses.blueprint import bp
from lms.auth import trainer_required


@bp.route("/formateur/sessions")
@trainer_required
def trainer_runs():
    """The trainer's runs."""
    return render_template("lms/home.html")
