"""The queue of xAPI statements waiting for the LRS."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, utcnow


class XapiStatement(db.Model):
    """One statement, written in the transaction of its event; ``sent_at`` once the LRS took it."""

    __tablename__ = "xapi_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What happened (``completed:<enrolment>:<activity>``): the same event is queued once.
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    #: The statement's UUID (random: ids must stay unique in an LRS shared by several sites).
    statement_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    payload: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
