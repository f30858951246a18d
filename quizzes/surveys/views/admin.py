"""Administrators' pages of survey campaigns: the list, a new campaign, a campaign's page with
its figures and public link, importing recipients, pause / resume / close."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from lms.auth import admin_required
from lms.db import db, utcnow
from lms.mail import send_queued
from lms.pagination import Listing, paginate
from lms.urls import external_url
from quizzes.blueprint import bp
from quizzes.campaigns.forms import ActionForm
from quizzes.surveys import scheduling, service
from quizzes.surveys.forms import RecipientsForm, SurveyForm
from quizzes.surveys.models import (
    Respondent,
    RespondentState,
    SurveyCampaign,
    SurveyMode,
    SurveyStatus,
)
from quizzes.taking.opening import local_today

TEMPLATES = "quizzes/surveys/admin/"


def campaign_or_404(campaign_id: int) -> SurveyCampaign:
    """The campaign with its questionnaire, or 404."""
    return db.session.scalar(
        sa.select(SurveyCampaign)
        .where(SurveyCampaign.id == campaign_id)
        .options(selectinload(SurveyCampaign.instrument))
    ) or abort(404)


@bp.route("/admin/enquetes")
@admin_required
def survey_list():
    """Every survey campaign, newest first, with its figures (two queries)."""
    campaigns = list(
        db.session.scalars(
            sa.select(SurveyCampaign)
            .options(selectinload(SurveyCampaign.instrument))
            .order_by(SurveyCampaign.created_at.desc(), SurveyCampaign.id.desc())
        )
    )
    return render_template(
        TEMPLATES + "list.html",
        campaigns=campaigns,
        figures=service.figures([c.id for c in campaigns]),
        now=utcnow(),
    )


def _values(form: SurveyForm) -> dict:
    return {
        "title": form.title.data.strip(),
        "instrument_id": form.instrument_id.data,
        "mode": form.mode.data,
        "opens_at": service.local_moment(form.opens_on.data),
        "closes_at": service.local_moment(form.closes_on.data, end=True)
        if form.closes_on.data
        else None,
        "max_responses": form.max_responses.data,
        "first_reminder_days": form.first_reminder_days.data,
        "reminder_interval_days": form.reminder_interval_days.data,
        "max_reminders": form.max_reminders.data,
        "expiry_days": form.expiry_days.data,
    }


@bp.route("/admin/enquetes/nouvelle", methods=["GET", "POST"])
@admin_required
def survey_new():
    """Create a campaign: questionnaire, list or public link, dates, cap, reminders."""
    form = SurveyForm()
    form.instrument_id.choices = [SelectChoice(i.id, i.title) for i in service.questionnaires()]
    if not form.opens_on.data:
        form.opens_on.data = local_today()
    if form.validate_on_submit():
        campaign = service.create(_values(form), current_user.id)
        db.session.commit()
        flash(_("La campagne d'enquête est créée."), "success")
        return redirect(url_for("quizzes.survey_campaign", campaign_id=campaign.id), 303)
    status = 400 if form.is_submitted() else 200
    return render_template(TEMPLATES + "new.html", form=form), status


def _campaign_page(
    campaign: SurveyCampaign, upload=None, outcome=None, status: int = 200, recipients=None
):
    token = service.public_token(campaign)
    page = render_template(
        TEMPLATES + "campaign.html",
        campaign=campaign,
        fig=service.figures([campaign.id])[campaign.id],
        public_link=external_url("quizzes.survey_public", token=token) if token else None,
        accepting=service.accepting(campaign),
        upload=upload or RecipientsForm(),
        outcome=outcome,
        form=ActionForm(),
        recipients=recipients,
        now=utcnow(),
    )
    return page, status


@bp.route("/admin/enquetes/<int:campaign_id>")
@admin_required
def survey_campaign(campaign_id: int):
    """A campaign: figures, public link or recipients (a page of them), actions."""
    campaign = campaign_or_404(campaign_id)
    recipients = _recipients(campaign) if campaign.mode == SurveyMode.LIST else None
    return _campaign_page(campaign, recipients=recipients)


def _recipients(campaign: SurveyCampaign):
    """One page of the campaign's recipients, by name, filtered by state (``?etat=``)."""
    listing = Listing.from_args(
        request.args, ["name"], "name", filters={"etat": [s.value for s in RespondentState]}
    )
    query = sa.select(Respondent).where(Respondent.campaign_id == campaign.id)
    if "etat" in listing.filters:
        query = query.where(Respondent.state == listing.filters["etat"])
    return paginate(query, listing, [Respondent.name, Respondent.id])


@bp.route("/admin/enquetes/<int:campaign_id>/destinataires", methods=["POST"])
@admin_required
def survey_import(campaign_id: int):
    """Import recipients (CSV or .xlsx): every line, or none and the list of the wrong ones."""
    campaign = campaign_or_404(campaign_id)
    upload = RecipientsForm()
    if campaign.mode != SurveyMode.LIST or campaign.status == SurveyStatus.CLOSED:
        abort(409)
    if not upload.validate_on_submit():
        return _campaign_page(campaign, upload, status=400)
    limit = current_app.config["LMS_IMPORT_MAX_BYTES"]
    data = upload.file.data.read(limit + 1)
    if len(data) > limit:
        upload.file.errors.append(_("Le fichier est trop volumineux : découpez-le."))
        return _campaign_page(campaign, upload, status=400)
    outcome = service.import_recipients(campaign, data, upload.file.data.filename or "")
    if not outcome.report.ok:
        db.session.rollback()
        return _campaign_page(campaign_or_404(campaign_id), upload, outcome, 400)
    db.session.commit()
    invited = scheduling.invite_pending(utcnow(), campaign.id)
    if current_app.config["MAIL_SEND_ON_COMMIT"]:
        send_queued()
    _flash_import(outcome, invited)
    return redirect(url_for("quizzes.survey_campaign", campaign_id=campaign_id), 303)


def _flash_import(outcome, invited: int) -> None:
    parts = [
        ngettext("%(num)s destinataire ajouté", "%(num)s destinataires ajoutés", outcome.added),
        ngettext("%(num)s déjà dans la liste", "%(num)s déjà dans la liste", outcome.already),
        ngettext("%(num)s désinscrit", "%(num)s désinscrits", outcome.opted_out),
        ngettext("%(num)s invitation envoyée", "%(num)s invitations envoyées", invited),
    ]
    flash(" ; ".join(parts) + ".", "success")


STATUS_ACTIONS = {
    "pause": (SurveyStatus.PAUSED, _l("La campagne est en pause : ni réponse ni relance.")),
    "reprendre": (SurveyStatus.OPEN, _l("La campagne a repris.")),
    "cloturer": (
        SurveyStatus.CLOSED,
        _l("La campagne est close : elle n'accepte plus de réponse."),
    ),
}


@bp.route(
    "/admin/enquetes/<int:campaign_id>/<any(pause, reprendre, cloturer):action>", methods=["POST"]
)
@admin_required
def survey_status(campaign_id: int, action: str):
    """Pause, resume or close a campaign (closing cannot be undone)."""
    campaign = campaign_or_404(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    status, message = STATUS_ACTIONS[action]
    if campaign.status == SurveyStatus.CLOSED:
        flash(_("Cette campagne est close : elle ne peut plus changer d'état."), "error")
    else:
        service.set_status(campaign, status)
        db.session.commit()
        flash(str(message), "success")
    return redirect(url_for("quizzes.survey_campaign", campaign_id=campaign_id), 303)
