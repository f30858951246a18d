"""Outgoing mail: an outbox table written in the request's transaction, and senders.

May import: ``lms``. Never a plugin.
"""

from lms.mail.outbox import queue_mail, queue_many, render_mail, send_queued

__all__ = ["queue_mail", "queue_many", "render_mail", "send_queued"]
