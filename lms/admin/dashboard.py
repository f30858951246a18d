"""The administrator's home page (« Tableau de bord »): the panels that the host and the plugins
contribute through :attr:`lms.plugins.Plugin.dashboard`, in order. The host's own panel lists the
e-mails that failed."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user

from lms.admin import bp
from lms.auth import admin_required
from lms.db import db
from lms.mail.models import MailStatus, OutboxMessage
from lms.plugins import DashboardPanel, get_registry

#: How many of the latest failed e-mails the panel lists.
LATEST_FAILED = 5


def failed_mail_panel(user) -> list[DashboardPanel]:
    """The host's panel for administrators: how many e-mails failed, and the latest few (two
    queries)."""
    if not user.is_admin:
        return []
    failed = OutboxMessage.status == MailStatus.FAILED
    count = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(failed))
    latest = db.session.scalars(
        sa.select(OutboxMessage)
        .where(failed)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(LATEST_FAILED)
    ).all()
    context = {"count": count or 0, "latest": latest}
    return [DashboardPanel("lms/admin/_failed_mail_panel.html", context, order=90)]


@bp.route("/tableau-de-bord")
@admin_required
def dashboard():
    """The administrator's home: every panel contributed, in order."""
    panels = get_registry().dashboard_panels(current_user)
    return render_template("lms/admin/dashboard.html", panels=panels)
