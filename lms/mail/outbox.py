"""Queue e-mails in the outbox and drain it through the configured backend."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale

from lms.db import begin_write, bulk_insert, db, is_sqlite, keeping_loaded, utcnow
from lms.mail.backends import PermanentFailure, TemporaryFailure, get_backend
from lms.mail.models import MailStatus, OutboxMessage
from lms.signals import mail_failed

log = logging.getLogger(__name__)

#: Seconds to wait before retrying a temporary failure, by attempt number (then the last one).
BACKOFF = (60, 300, 900, 3600, 4 * 3600)
#: A message claimed longer ago than this by a sender that died is put back in the queue.
CLAIM_LEASE = timedelta(minutes=15)


def render_mail(template: str, locale: str | None = None, **context) -> tuple[str, str, str]:
    """Render ``<template>.subject.txt``, ``.txt`` and ``.html`` in ``locale``.

    ``template`` is a namespaced path without suffix, e.g. ``"courses/mail/invitation"``.
    Returns (subject, text, html).
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = " ".join(render_template(f"{template}.subject.txt", **context).split())
        text = render_template(f"{template}.txt", **context)
        html = render_template(f"{template}.html", **context)
    return subject, text, html


def _message_id(key: str) -> str:
    domain = current_app.config["LMS_BASE_URL"].split("//")[-1].split("/")[0].split(":")[0]
    return f"<{uuid.uuid5(uuid.NAMESPACE_URL, key + '@' + domain)}@{domain or 'parcours'}>"


def queue_mail(
    key: str,
    to_addr: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    *,
    to_name: str | None = None,
    user_id: int | None = None,
    category: str = "general",
    headers: dict | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the current transaction, unless ``key`` is queued already.

    The caller commits; the message leaves with the change that caused it or not at all.
    """
    existing = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.key == key))
    if existing is not None:
        return existing
    message = OutboxMessage(
        key=key,
        to_addr=to_addr,
        to_name=to_name,
        user_id=user_id,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        category=category,
        headers=headers or {},
        message_id=_message_id(key),
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def queue_many(messages: list[dict]) -> int:
    """Add many messages in one INSERT batch, skipping keys already queued; return how many.

    Each dict holds the arguments of :func:`queue_mail` (``key``, ``to_addr``, ``subject``,
    ``body_text``, ``body_html``, ``to_name``, ``user_id``, ``category``). Same transaction rule:
    the caller commits. Used by imports, where one statement per message would not scale.
    """
    keys = [m["key"] for m in messages]
    existing = set(
        db.session.scalars(sa.select(OutboxMessage.key).where(OutboxMessage.key.in_(keys)))
    )
    now = utcnow()
    rows = [
        {
            "to_name": None,
            "user_id": None,
            "body_html": None,
            "category": "general",
            **message,
            "headers": {},
            "message_id": _message_id(message["key"]),
            "status": MailStatus.QUEUED,
            "attempts": 0,
            "created_at": now,
            "next_attempt_at": now,
        }
        for message in messages
        if message["key"] not in existing
    ]
    if rows:
        bulk_insert(OutboxMessage.__table__, rows)
    return len(rows)


def _claim(limit: int, now: datetime) -> list[int]:
    """Mark up to ``limit`` due messages as being sent by this process; return their ids."""
    begin_write()
    stale = now - CLAIM_LEASE
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == MailStatus.SENDING, OutboxMessage.claimed_at < stale)
        .values(status=MailStatus.QUEUED)
    )
    query = (
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status == MailStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if not is_sqlite():
        query = query.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(query))
    if ids:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(status=MailStatus.SENDING, claimed_at=now)
        )
    db.session.commit()
    return ids


def _record(message: OutboxMessage, error: Exception | None, now: datetime) -> None:
    begin_write()  # SQLite: a read transaction cannot turn into a write while another sender writes
    if error is None:
        message.status, message.sent_at, message.last_error = MailStatus.SENT, now, None
    elif isinstance(error, PermanentFailure):
        message.status, message.last_error = MailStatus.FAILED, str(error)
        mail_failed.send(current_app._get_current_object(), message=message)
    else:
        delay = BACKOFF[min(message.attempts, len(BACKOFF) - 1)]
        message.status, message.last_error = MailStatus.QUEUED, str(error)
        message.next_attempt_at = now + timedelta(seconds=delay)
    message.attempts += 1
    message.claimed_at = None
    db.session.commit()


def send_queued(limit: int = 200, now: datetime | None = None) -> int:
    """Send due messages through one backend connection; return how many were sent.

    Each message is marked sent right after the server accepted it (send, then mark), in its own
    commit, so a crash loses nothing and can at worst repeat the one message in flight, which its
    stable Message-ID lets the receiver recognise.
    """
    now = now or utcnow()
    ids = _claim(limit, now)
    if not ids:
        return 0
    messages = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    # The claimed rows are this process's alone: the commit after each message need not expire
    # (and reload) the whole batch, which made sending quadratic in the batch size.
    with keeping_loaded():
        return _send_batch(messages, now)


def _send_batch(messages: list[OutboxMessage], now: datetime) -> int:
    sent = 0
    with get_backend(current_app) as backend:
        for message in messages:
            try:
                backend.send(message)
            except (TemporaryFailure, PermanentFailure) as exc:
                log.warning("mail %s to %s: %s", message.id, message.to_addr, exc)
                _record(message, exc, now)
                if isinstance(exc, TemporaryFailure) and exc.connection_lost:
                    _release_rest(messages, message)
                    break
                continue
            _record(message, None, now)
            sent += 1
    return sent


def _release_rest(messages: list[OutboxMessage], failed: OutboxMessage) -> None:
    """Put back in the queue the messages of a batch after a lost connection."""
    rest = [m.id for m in messages if m.id > failed.id and m.status == MailStatus.SENDING]
    if rest:
        begin_write()
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(rest))
            .values(status=MailStatus.QUEUED, claimed_at=None)
        )
        db.session.commit()
