"""Phone follow-up: staff fill in a learner's questionnaire during a call. The attempt records
the channel (``phone``) and who typed the answers (``entered_by``)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth import admin_required
from lms.db import db
from quizzes.blueprint import bp
from quizzes.campaigns import answers
from quizzes.campaigns.models import Invitation
from quizzes.campaigns.views.common import questionnaire_page
from quizzes.models import Channel
from quizzes.taking import attempts as service

TEMPLATE = "quizzes/campaigns/admin/phone.html"


def _list_url(invitation: Invitation) -> str:
    campaign = invitation.campaign
    return url_for(
        "quizzes.campaign_nonrespondents", run_id=campaign.run_id, wave_id=campaign.wave_id
    )


@bp.route("/admin/suivi/invitations/<int:invitation_id>/saisie", methods=["GET", "POST"])
@admin_required
def followup_phone_entry(invitation_id: int):
    """The learner's questionnaire, typed in by staff; POST ``save`` or ``submit``."""
    invitation = db.session.get(Invitation, invitation_id) or abort(404)
    if answers.staff_problem(invitation):
        flash(_("Ce questionnaire a déjà été envoyé : il ne peut plus être modifié."), "warning")
        return redirect(_list_url(invitation), 303)
    if request.method == "GET":
        attempt = answers.open_attempt(invitation, Channel.PHONE, current_user.id)
        db.session.commit()
        return questionnaire_page(TEMPLATE, invitation, attempt, person=invitation.user)
    try:
        attempt = answers.save(invitation, request.form, Channel.PHONE, current_user.id)
    except service.AttemptRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "warning")
        return redirect(_list_url(invitation), 303)
    if request.form.get("action") == "submit":
        missing = answers.submit(invitation, attempt)
        db.session.commit()
        if missing:
            return questionnaire_page(
                TEMPLATE, invitation, attempt, missing, 422, person=invitation.user
            )
        flash(
            _("Réponses de %(name)s enregistrées et envoyées.", name=invitation.user.name),
            "success",
        )
        return redirect(_list_url(invitation), 303)
    db.session.commit()
    flash(_("Réponses enregistrées (pas encore envoyées)."), "success")
    return redirect(url_for("quizzes.followup_phone_entry", invitation_id=invitation.id), 303)
