"""The ``checklist`` activity kind: its file format and the hooks of the activity-kind contract.

File format (``NAME.checklist``; the key is the file name without its suffix)::

    Préparer l'atelier
    - Réserver la salle
    - Imprimer les fiches

The first line is the title; every other non-empty line is an item starting with ``- ``.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import render_template
from flask_babel import ngettext

from courses.content.errors import ContentError, ContentErrors
from lms.db import db
from lms_example.models import ChecklistItem, ChecklistTick

ITEM_MAX = 200
ITEMS_MAX = 50


def _items(file: str, lines: list[tuple[int, str]], errors: list) -> list[str]:
    items = []
    for number, line in lines:
        if not line.startswith("- ") or not line[2:].strip():
            errors.append(ContentError(file, number, "an item line starts with '- ' then text"))
        elif len(line) - 2 > ITEM_MAX:
            errors.append(ContentError(file, number, f"an item has {ITEM_MAX} characters at most"))
        else:
            items.append(line[2:].strip())
    if len(items) > ITEMS_MAX:
        errors.append(ContentError(file, 1, f"a checklist has {ITEMS_MAX} items at most"))
    return items


def load(path: Path, text: str) -> dict:
    """Loader: title on the first line, one ``- item`` per line; errors name file and line."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines or lines[0][1].startswith("- "):
        raise ContentError(path, lines[0][0] if lines else 1, "the first line is the title")
    errors: list[ContentError] = []
    items = _items(str(path), lines[1:], errors)
    if not items and not errors:
        errors.append(ContentError(path, lines[0][0], "a checklist needs at least one '- item'"))
    if errors:
        raise ContentErrors(errors)
    return {"key": path.stem, "title": lines[0][1], "settings": {"items": items}, "body": ""}


def dump(activity) -> tuple[str, str]:
    """Dumper: write the activity back in the format :func:`load` reads."""
    items = (activity.settings or {}).get("items") or []
    text = "\n".join([activity.title, *(f"- {item}" for item in items)]) + "\n"
    return activity.filename or f"{activity.key}.checklist", text


def on_import(activity) -> None:
    """Keep the plugin's item table (listed on its page) in step with the imported activity."""
    db.session.execute(sa.delete(ChecklistItem).where(ChecklistItem.activity_key == activity.key))
    items = (activity.settings or {}).get("items") or []
    db.session.add_all(ChecklistItem(activity_key=activity.key, text=text) for text in items)
    db.session.flush()


def _ticked(activity, enrolment) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(ChecklistTick.position).where(
                ChecklistTick.enrolment_id == enrolment.id,
                ChecklistTick.activity_id == activity.id,
            )
        )
    )


def render(activity, enrolment, done: bool) -> str:
    """The checklist as checkboxes, with what this learner already ticked."""
    items = (activity.settings or {}).get("items") or []
    ticked = _ticked(activity, enrolment)
    return render_template("example/checklist.html", items=items, ticked=ticked, done=done)


def submit(activity, enrolment, form) -> str | None:
    """Save the ticked items; None when all are ticked, else what is left (translated)."""
    items = (activity.settings or {}).get("items") or []
    wanted = {int(v) for v in form.getlist("item") if v.isdigit() and int(v) < len(items)}
    condition = sa.and_(
        ChecklistTick.enrolment_id == enrolment.id, ChecklistTick.activity_id == activity.id
    )
    db.session.execute(
        sa.delete(ChecklistTick).where(condition, ChecklistTick.position.not_in(wanted))
    )
    for position in sorted(wanted - _ticked(activity, enrolment)):
        db.session.add(
            ChecklistTick(enrolment_id=enrolment.id, activity_id=activity.id, position=position)
        )
    db.session.flush()
    left = len(items) - len(wanted)
    if left:
        return ngettext(
            "Il reste %(num)d point à cocher pour terminer cette liste.",
            "Il reste %(num)d points à cocher pour terminer cette liste.",
            left,
        )
    return None
