"""A real SMTP server on loopback (aiosmtpd) that records what it receives."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.sink.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in self.sink.defer:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope):
        message = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        with self.sink.lock:
            self.sink.messages.append(message)
            self.sink.connections.add(id(session))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """Start with ``start()``; ``messages`` holds parsed e-mails, ``refuse``/``defer`` addresses."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.connections: set[int] = set()
        self.refuse: set[str] = set()
        self.defer: set[str] = set()
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        """Start listening."""
        self.controller.start()

    def stop(self) -> None:
        """Stop listening (twice is harmless)."""
        if self.controller._thread is not None:
            self.controller.stop()

    def config(self) -> dict:
        """App settings that send through this server."""
        return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port}

    def to(self, address: str) -> list[EmailMessage]:
        """Messages delivered to ``address``."""
        return [m for m in self.messages if address in m["To"]]
