"""Administrator pages (placeholder until the admin task lands)."""

from flask import render_template

from courses.blueprint import bp
from lms.auth import admin_required


@bp.route("/admin/sessions")
@admin_required
def admin_runs():
    """All runs."""
    return render_template("lms/home.html")


@bp.route("/admin/formations")
@admin_required
def admin_courses():
    """All courses."""
    return render_template("lms/home.html")
