"""Throughput of the outbox sender: messages per second to the file backend and to a real SMTP
server on loopback (aiosmtpd, the one the tests use), through one ``send_queued`` batch."""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask

from benchmarks.measure import Result, counting
from lms.db import db
from lms.mail import queue_mail, send_queued
from lms.mail.models import MailStatus, OutboxMessage


def _queue(app: Flask, label: str, messages: int) -> None:
    """Put ``messages`` fresh invitations in the outbox (earlier ones are marked sent)."""
    with app.app_context():
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.status != MailStatus.SENT)
            .values(status=MailStatus.SENT)
        )
        subject, text, html = _texts()
        for n in range(messages):
            queue_mail(
                f"bench:{label}:{n}",
                f"apprenant{n}@bench.example.org",
                subject,
                text,
                html,
                to_name=f"Apprenant {n}",
                category="bench",
            )
        db.session.commit()


def _texts() -> tuple[str, str, str]:
    """A message of the size of an invitation (about 1 KB of text and 3 KB of HTML)."""
    line = "Vous êtes inscrit·e à la session « Responsable de la transition numérique ». "
    return (
        "Invitation : Responsable de la transition numérique",
        line * 12,
        "<html><body>" + f"<p>{line}</p>" * 30 + "</body></html>",
    )


def throughput(app: Flask, name: str, config: dict, messages: int) -> Result:
    """Queue ``messages`` then time one ``send_queued`` batch with ``config`` applied."""
    _queue(app, name, messages)
    saved = {key: app.config.get(key) for key in config}
    app.config.update(config)
    try:
        with counting(app) as tally, app.app_context():
            start = time.perf_counter()
            sent = send_queued(limit=messages)
            seconds = time.perf_counter() - start
    finally:
        app.config.update(saved)
    if sent != messages:
        raise RuntimeError(f"{name}: {sent} of {messages} messages sent")
    per_message = round(len(tally.statements) / messages, 1)
    return Result(name, None, sent, seconds, queries=[per_message], unit="msg/s")


def smtp_sink():
    """A started aiosmtpd server on 127.0.0.1 (from the test support code)."""
    from tests.support.smtp import SmtpSink

    sink = SmtpSink()
    sink.start()
    return sink
