"""An outside plugin: a "checklist" activity kind, a page and a migration of its own.

It touches nothing in lms/, courses/ or quizzes/; the tests enable it with LMS_PLUGINS.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import login_required
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db
from lms.plugins import ActivityKind, NavItem, Plugin

bp = Blueprint("example", __name__, template_folder="templates", url_prefix="/exemple")


class ChecklistItem(db.Model):
    """A line of a checklist activity."""

    __tablename__ = "example_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_key: Mapped[str] = mapped_column(sa.String(80), index=True)
    text: Mapped[str] = mapped_column(sa.String(200))


@bp.route("/")
@login_required
def index():
    """A page contributed by the plugin."""
    items = db.session.scalars(sa.select(ChecklistItem).order_by(ChecklistItem.id)).all()
    return render_template("example/index.html", items=items)


def _load_checklist(path, text):
    lines = [line.strip("- ").strip() for line in text.splitlines() if line.strip()]
    return {
        "key": path.stem,
        "title": lines[0] if lines else path.stem,
        "settings": {"items": lines[1:]},
        "body": "",
    }


plugin = Plugin(
    name="example",
    requires=("courses",),
    blueprint=bp,
    models="lms_example",
    migrations=str(Path(__file__).parent / "migrations"),
    nav=lambda user: [NavItem("Exemple", "example.index", 90)],
    activity_kinds=(
        ActivityKind(
            "checklist", "Liste de contrôle", suffixes=(".checklist",), loader=_load_checklist
        ),
    ),
)
