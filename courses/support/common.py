"""Shared helpers of the support pages: file downloads and forms carrying an attachment."""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa
from flask import abort, send_file
from flask_babel import gettext as _

from courses.support.files import MAX_BYTES, AttachmentError
from courses.support.models import SupportAttachment, SupportMessage, SupportRequest
from lms import storage
from lms.db import db


def conversation(request: SupportRequest):
    """Messages of ``request`` with authors, and ``{message_id: [attachments]}`` (2 queries)."""
    from sqlalchemy.orm import joinedload

    messages = list(
        db.session.scalars(
            sa.select(SupportMessage)
            .where(SupportMessage.request_id == request.id)
            .options(joinedload(SupportMessage.author))
            .order_by(SupportMessage.created_at, SupportMessage.id)
        )
    )
    files: dict[int, list] = {}
    rows = db.session.execute(
        sa.select(
            SupportAttachment.id,
            SupportAttachment.message_id,
            SupportAttachment.filename,
            SupportAttachment.size,
        ).where(SupportAttachment.message_id.in_([m.id for m in messages]))
    )
    for row in rows:
        files.setdefault(row.message_id, []).append(row)
    return messages, files


def download(request: SupportRequest, attachment_id: int):
    """Send an attachment of ``request``: always as a download, never sniffed by the browser."""
    attachment = db.session.get(SupportAttachment, attachment_id)
    message = db.session.get(SupportMessage, attachment.message_id) if attachment else None
    if attachment is None or message is None or message.request_id != request.id:
        abort(404)
    response = send_file(
        BytesIO(storage.get(attachment.storage_key)),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def attachment_error(form, error: AttachmentError) -> None:
    """Put the reason a file was refused under the attachment field."""
    messages = {
        "empty": _("Le fichier est vide."),
        "too_large": _("Le fichier dépasse %(mb)s Mo.", mb=MAX_BYTES // (1024 * 1024)),
        "type": _("Seules les images (PNG, JPEG, GIF, WebP) et les PDF sont acceptés."),
    }
    form.attachment.errors = [messages.get(str(error), str(error))]
