"""The mail log: every message of the outbox, its status, and its content shown safely."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import abort, make_response, render_template, request

from lms.admin import bp
from lms.auth import admin_required
from lms.db import db
from lms.mail.models import MailStatus, OutboxMessage
from lms.plugins import get_registry

MESSAGES_PER_PAGE = 30
#: The HTML body is served on its own with this policy: a sandbox with no script, no form, no
#: same-origin access; only images and inline styles of the message itself.
HTML_BODY_CSP = (
    "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; "
    "img-src 'self' data: https:; style-src 'unsafe-inline'; frame-ancestors 'self'"
)
_LINK = re.compile(r"https?://[^\s<>\"']+")


@bp.route("/courriels")
@admin_required
def mail_log():
    """Outbox messages, newest first, optionally filtered by status; paginated."""
    status = request.args.get("status", "")
    query = sa.select(OutboxMessage).order_by(
        OutboxMessage.created_at.desc(), OutboxMessage.id.desc()
    )
    if status in {s.value for s in MailStatus}:
        query = query.where(OutboxMessage.status == status)
    else:
        status = ""
    page = db.paginate(
        query,
        page=request.args.get("page", 1, type=int),
        per_page=MESSAGES_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "lms/admin/mail_log.html",
        page=page,
        status=status,
        statuses=list(MailStatus),
        category=get_registry().mail_category,
    )


def links_of(text: str) -> list[str]:
    """The web links of a text body, in order, without repeats or trailing punctuation."""
    seen: dict[str, None] = {}
    for match in _LINK.findall(text or ""):
        seen.setdefault(match.rstrip(".,;:!?)»"), None)
    return list(seen)


@bp.route("/courriels/<int:message_id>")
@admin_required
def mail_message(message_id: int):
    """One message: its headers, text body, links, and its HTML body in a sandboxed frame."""
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template(
        "lms/admin/mail_message.html",
        message=message,
        links=links_of(message.body_text),
        category=get_registry().mail_category,
    )


@bp.route("/courriels/<int:message_id>/html")
@admin_required
def mail_message_html(message_id: int):
    """The HTML body alone, under a CSP sandbox: shown in a frame, it can run nothing."""
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    if not message.body_html:
        abort(404)
    response = make_response(message.body_html)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = HTML_BODY_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "no-store"
    return response
