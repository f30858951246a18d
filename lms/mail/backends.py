"""Mail backends: ``file`` (.eml files in the instance folder) and ``smtp``."""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
import time
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from flask import Flask

from lms.db import utcnow


class TemporaryFailure(Exception):
    """The message could not be sent now; try again later."""

    def __init__(self, message: str, connection_lost: bool = False) -> None:
        super().__init__(message)
        self.connection_lost = connection_lost


class PermanentFailure(Exception):
    """The message will never go through (address refused...)."""


def build_message(msg, sender: str) -> EmailMessage:
    """Turn an outbox row into an RFC 5322 message with its stable Message-ID."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = formataddr((msg.to_name or "", msg.to_addr))
    email["Subject"] = msg.subject
    email["Message-ID"] = msg.message_id
    email["Date"] = format_datetime((msg.created_at or utcnow()).replace(tzinfo=UTC))
    for name, value in (msg.headers or {}).items():
        email[name] = value
    email.set_content(msg.body_text)
    if msg.body_html:
        email.add_alternative(msg.body_html, subtype="html")
    return email


class FileBackend:
    """Write each message as an .eml file under ``instance/mail`` (the default, for local use)."""

    def __init__(self, app: Flask) -> None:
        self.folder = Path(app.instance_path) / "mail"
        self.sender = app.config["MAIL_DEFAULT_SENDER"]

    def __enter__(self) -> FileBackend:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc) -> None:
        return None

    def send(self, msg) -> None:
        """Write the message to its own file, named after its id and subject."""
        slug = re.sub(r"[^a-z0-9]+", "-", msg.subject.lower())[:40].strip("-")
        path = self.folder / f"{msg.id:06d}-{slug or 'message'}.eml"
        path.write_bytes(bytes(build_message(msg, self.sender)))


class SmtpBackend:
    """Send through one SMTP connection per batch, at a configurable rate."""

    def __init__(self, app: Flask) -> None:
        cfg = app.config
        self.host, self.port = cfg["MAIL_SERVER"], cfg["MAIL_PORT"]
        self.username, self.password = cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"]
        self.use_tls, self.use_ssl = cfg["MAIL_USE_TLS"], cfg["MAIL_USE_SSL"]
        self.sender = cfg["MAIL_DEFAULT_SENDER"]
        rate = float(cfg.get("MAIL_RATE_PER_SECOND") or 0)
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.smtp: smtplib.SMTP | None = None
        self._last = 0.0

    def __enter__(self) -> SmtpBackend:
        return self

    def __exit__(self, *exc) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            self.smtp = None

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.use_ssl:
                smtp = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=30, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=30)
                if self.use_tls:
                    smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(
                f"cannot connect to {self.host}:{self.port}: {exc}", True
            ) from exc
        return smtp

    def _throttle(self) -> None:
        if self.interval:
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()

    def send(self, msg) -> None:
        """Send one message, classifying failures as temporary (4xx, network) or permanent."""
        if self.smtp is None:
            self.smtp = self._connect()
        self._throttle()
        email = build_message(msg, self.sender)
        try:
            self.smtp.send_message(email, to_addrs=[msg.to_addr])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _classify(code, text) from exc
        except smtplib.SMTPResponseException as exc:
            raise _classify(exc.smtp_code, exc.smtp_error) from exc
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
            self.smtp = None
            raise TemporaryFailure(f"connection lost: {exc}", True) from exc


def _classify(code: int, text) -> Exception:
    detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if 500 <= code < 600:
        return PermanentFailure(f"{code} {detail}")
    return TemporaryFailure(f"{code} {detail}")


BACKENDS = {"file": FileBackend, "smtp": SmtpBackend}


def get_backend(app: Flask):
    """Instantiate the backend named by ``MAIL_BACKEND``."""
    name = app.config["MAIL_BACKEND"]
    if name not in BACKENDS:
        raise RuntimeError(f"MAIL_BACKEND={name!r} is not one of {', '.join(BACKENDS)}")
    return BACKENDS[name](app)
