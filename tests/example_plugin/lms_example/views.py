"""The plugin's own page, listing the checklist items imported (any signed-in user)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import login_required

from lms.db import db
from lms_example.models import ChecklistItem

bp = Blueprint("example", __name__, template_folder="templates", url_prefix="/exemple")


@bp.route("/")
@login_required
def index():
    """A page contributed by the plugin."""
    items = db.session.scalars(sa.select(ChecklistItem).order_by(ChecklistItem.id)).all()
    return render_template("example/index.html", items=items)
