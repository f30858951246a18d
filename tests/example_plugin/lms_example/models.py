"""Tables of the example plugin (created by its own migrations, ``migrations/e000*.py``)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, utcnow


class ChecklistItem(db.Model):
    """A line of a checklist activity, as last imported (listed on the plugin's page)."""

    __tablename__ = "example_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_key: Mapped[str] = mapped_column(sa.String(80), index=True)
    text: Mapped[str] = mapped_column(sa.String(200))


class ChecklistTick(db.Model):
    """An item a learner ticked, per enrolment: the plugin's own learner state."""

    __tablename__ = "example_checklist_ticks"
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "activity_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    #: Index of the item in the activity's ``settings["items"]``.
    position: Mapped[int]
    ticked_at: Mapped[datetime] = mapped_column(default=utcnow)
