"""Learner pages (placeholder until the learner task lands)."""

from flask import render_template
from flask_login import login_required

from courses.blueprint import bp


@bp.route("/parcours")
@login_required
def my_courses():
    """My trainings."""
    return render_template("lms/home.html")
