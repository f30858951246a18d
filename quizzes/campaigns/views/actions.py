"""What an administrator does to a campaign: send it now, send reminders now, pause or resume
it, list its non-respondents and mark some for a phone call."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.auth import admin_required
from lms.db import db, utcnow
from quizzes.blueprint import bp
from quizzes.campaigns import scheduling
from quizzes.campaigns.figures import (
    campaign_figures,
    non_respondents,
    non_respondents_listing,
)
from quizzes.campaigns.forms import ActionForm
from quizzes.campaigns.models import Campaign, Invitation, InvitationState
from quizzes.campaigns.views.common import drain, run_and_wave, today

PREFIX = "/admin/suivi/sessions/<int:run_id>/vagues/<int:wave_id>"


def _back(run_id: int):
    return redirect(url_for("quizzes.campaign_run", run_id=run_id), 303)


@bp.route(PREFIX + "/envoyer", methods=["POST"])
@admin_required
def campaign_send(run_id: int, wave_id: int):
    """Invite now every completed enrolment of the run that has no invitation for this wave."""
    run, wave = run_and_wave(run_id, wave_id)
    if wave.instrument_id is None:
        flash(
            _("Choisissez d'abord le questionnaire de cette vague dans le plan de suivi."), "error"
        )
        return _back(run.id)
    if run.ends_on > today():
        flash(
            _("La session n'est pas terminée : le suivi à froid ne peut pas encore partir."),
            "error",
        )
        return _back(run.id)
    campaign = scheduling.ensure_campaign(run.id, wave.id)
    if campaign.paused:
        flash(_("Cette campagne est en pause : reprenez-la avant d'envoyer."), "error")
        return _back(run.id)
    count = scheduling.issue_invitations(campaign.id, utcnow())
    drain()
    if count:
        flash(
            ngettext("%(num)d invitation envoyée.", "%(num)d invitations envoyées.", count),
            "success",
        )
    else:
        flash(
            _("Aucune nouvelle invitation : chaque apprenant concerné a déjà la sienne."), "warning"
        )
    return _back(run.id)


@bp.route(PREFIX + "/relancer", methods=["POST"])
@admin_required
def campaign_remind(run_id: int, wave_id: int):
    """Remind now those who have not answered (within the wave's maximum of reminders)."""
    run, wave = run_and_wave(run_id, wave_id)
    campaign = db.session.scalar(
        sa.select(Campaign).where(Campaign.run_id == run.id, Campaign.wave_id == wave.id)
    )
    if campaign is None or campaign.paused:
        flash(
            _("Aucune relance possible : la campagne n'est pas envoyée ou est en pause."), "error"
        )
        return _back(run.id)
    count = scheduling.queue_reminders(utcnow(), campaign.id, force=True)
    drain()
    if count:
        flash(ngettext("%(num)d relance envoyée.", "%(num)d relances envoyées.", count), "success")
    else:
        flash(
            _(
                "Aucune relance envoyée : tout le monde a répondu, a atteint le nombre maximal "
                "de relances, ou a reçu un e-mail il y a moins de 20 heures."
            ),
            "warning",
        )
    return _back(run.id)


def _set_paused(run_id: int, wave_id: int, paused: bool):
    run, wave = run_and_wave(run_id, wave_id)
    campaign = scheduling.ensure_campaign(run.id, wave.id)
    campaign.paused = paused
    db.session.commit()
    if paused:
        flash(_("Campagne en pause : ni invitation ni relance ne partira."), "success")
    else:
        flash(_("Campagne reprise : les envois reprendront au prochain passage."), "success")
    return _back(run.id)


@bp.route(PREFIX + "/pause", methods=["POST"])
@admin_required
def campaign_pause(run_id: int, wave_id: int):
    """Pause a campaign: no invitation or reminder goes out until it is resumed."""
    return _set_paused(run_id, wave_id, True)


@bp.route(PREFIX + "/reprendre", methods=["POST"])
@admin_required
def campaign_resume(run_id: int, wave_id: int):
    """Resume a paused campaign."""
    return _set_paused(run_id, wave_id, False)


@bp.route(PREFIX + "/sans-reponse")
@admin_required
def campaign_nonrespondents(run_id: int, wave_id: int):
    """Those who have not answered: state, reminders, phone-call mark, phone entry link."""
    run, wave = run_and_wave(run_id, wave_id)
    campaign = db.session.scalar(
        sa.select(Campaign).where(Campaign.run_id == run.id, Campaign.wave_id == wave.id)
    )
    chosen = non_respondents_listing(request.args)
    page = non_respondents(campaign.id, chosen) if campaign else None
    figures = campaign_figures([campaign.id]).get(campaign.id) if campaign else None
    return render_template(
        "quizzes/campaigns/admin/nonrespondents.html",
        run=run,
        wave=wave,
        listing=chosen,
        page=page,
        rows=page.items if page else [],
        figures=figures,
        form=ActionForm(),
        now=utcnow(),
    )


@bp.route("/admin/suivi/invitations/<int:invitation_id>/appel", methods=["POST"])
@admin_required
def followup_phone_mark(invitation_id: int):
    """Mark (or unmark) a non-respondent to be called."""
    invitation = db.session.get(Invitation, invitation_id) or abort(404)
    if invitation.state != InvitationState.ANSWERED:
        invitation.phone_call = not invitation.phone_call
        db.session.commit()
    campaign = invitation.campaign
    kept = non_respondents_listing(request.args).args()  # back to the same page of the table
    return redirect(
        url_for(
            "quizzes.campaign_nonrespondents",
            run_id=campaign.run_id,
            wave_id=campaign.wave_id,
            **kept,
        ),
        303,
    )
