"""Right of access (RGPD art. 15): a person downloads everything Parcours holds about them, as
a ZIP of JSON files (profile, e-mails, then one file per plugin) with the e-mails' texts as
attachments."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import sqlalchemy as sa
from flask import Response, render_template
from flask_login import current_user, login_required

from lms.db import db, utcnow
from lms.mail.models import OutboxMessage
from lms.models import User
from lms.plugins import get_registry
from lms.views import bp


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not serialisable: {type(value).__name__}")


def dump(data) -> bytes:
    """Pretty UTF-8 JSON (dates as ISO strings)."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default).encode("utf-8")


def profile(user: User) -> dict:
    """The account as stored (the password hash excepted)."""
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "locale": user.locale,
        "active": user.active,
        "created_at": user.created_at,
        "last_login_at": user.last_login_at,
    }


def emails(user: User) -> list[OutboxMessage]:
    """The e-mails queued or sent to the person (by account or by address), oldest first."""
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(sa.or_(OutboxMessage.user_id == user.id, OutboxMessage.to_addr == user.email))
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )


def archive(user: User) -> bytes:
    """The ZIP: ``profil.json``, ``e-mails.json`` and ``e-mails/*.txt``, one JSON per plugin."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("profil.json", dump(profile(user)))
        listed = []
        for number, message in enumerate(emails(user), start=1):
            name = f"e-mails/{number:04d}.txt"
            listed.append(
                {
                    "file": name,
                    "subject": message.subject,
                    "to": message.to_addr,
                    "category": message.category,
                    "status": message.status,
                    "created_at": message.created_at,
                    "sent_at": message.sent_at,
                }
            )
            out.writestr(name, message.body_text)
        out.writestr("e-mails.json", dump(listed))
        for name, data in get_registry().personal_data(user).items():
            out.writestr(f"{name}.json", dump(data))
    return buffer.getvalue()


@bp.route("/parcours/mes-donnees")
@login_required
def my_data():
    """What Parcours holds about the signed-in person, and the download."""
    return render_template("lms/my_data.html")


@bp.route("/parcours/mes-donnees.zip")
@login_required
def my_data_zip():
    """The signed-in person's data as a ZIP (nothing is written)."""
    stamp = utcnow().strftime("%Y%m%d")
    response = Response(archive(current_user), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="mes-donnees-{stamp}.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response
