"""The outbox and its senders, with a real SMTP server on loopback."""

from pathlib import Path

import sqlalchemy as sa

from lms.db import db
from lms.mail import queue_mail, send_queued
from lms.mail.models import MailStatus, OutboxMessage


def _queue(n: int, prefix: str = "t") -> None:
    for i in range(n):
        queue_mail(
            f"{prefix}:{i}",
            f"person{i}@example.org",
            f"Objet {i}",
            f"Bonjour {i}",
            f"<p>Bonjour {i}</p>",
        )
    db.session.commit()


def test_same_key_is_queued_once(app):
    queue_mail("k", "a@example.org", "Objet", "Texte")
    queue_mail("k", "a@example.org", "Objet", "Texte")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_file_backend_writes_eml_files(app):
    _queue(2)
    assert send_queued() == 2
    files = sorted((Path(app.instance_path) / "mail").glob("*.eml"))
    assert len(files) == 2
    assert b"Subject: Objet 0" in files[0].read_bytes()
    assert send_queued() == 0


def test_smtp_backend_sends_each_message_once_with_stable_message_id(app, smtp_server):
    app.config.update(smtp_server.config())
    _queue(3)
    assert send_queued() == 3
    assert send_queued() == 0
    assert [m["Subject"] for m in smtp_server.messages] == ["Objet 0", "Objet 1", "Objet 2"]
    ids = {m["Message-ID"] for m in smtp_server.messages}
    stored = set(db.session.scalars(sa.select(OutboxMessage.message_id)))
    assert ids == stored and len(ids) == 3
    assert len(smtp_server.connections) == 1  # one connection for the batch
    body = smtp_server.messages[0]
    assert body.get_body(("html",)).get_content().strip() == "<p>Bonjour 0</p>"


def test_refused_address_is_recorded_and_deferred_one_retried(app, smtp_server):
    app.config.update(smtp_server.config())
    smtp_server.refuse.add("person0@example.org")
    smtp_server.defer.add("person1@example.org")
    _queue(3)
    assert send_queued() == 1
    rows = {m.to_addr: m for m in db.session.scalars(sa.select(OutboxMessage))}
    assert rows["person0@example.org"].status == MailStatus.FAILED
    assert "550" in rows["person0@example.org"].last_error
    assert rows["person1@example.org"].status == MailStatus.QUEUED
    assert rows["person1@example.org"].next_attempt_at > rows["person1@example.org"].created_at


def test_server_down_loses_nothing(app, smtp_server):
    app.config.update(smtp_server.config())
    port = smtp_server.port
    smtp_server.stop()
    _queue(2)
    assert send_queued() == 0
    assert all(m.status == MailStatus.QUEUED for m in db.session.scalars(sa.select(OutboxMessage)))
    from tests.support.smtp import SmtpSink

    again = SmtpSink(port)
    again.start()
    try:
        later = max(m.next_attempt_at for m in db.session.scalars(sa.select(OutboxMessage)))
        assert send_queued(now=later) == 2
        assert len(again.messages) == 2
    finally:
        again.stop()
