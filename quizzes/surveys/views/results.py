"""Administrators' pages of a campaign's results: charts and tables (CSV / XLSX exports), and
the open-data ZIP (CSV tables and ``datapackage.json``, small counts suppressed)."""

from __future__ import annotations

from flask import Response, render_template, request

from lms.auth import admin_required
from lms.db import utcnow
from quizzes.blueprint import bp
from quizzes.evidence.opendata import LICENCES
from quizzes.results.exports import FORMATS, export_response, slug
from quizzes.results.questionnaires import survey_tables
from quizzes.surveys.results import campaign_results, open_data
from quizzes.surveys.service import figures
from quizzes.surveys.views.admin import campaign_or_404


@bp.route("/admin/enquetes/<int:campaign_id>/resultats")
@admin_required
def survey_results(campaign_id: int):
    """The answers question by question; ``?format=csv|xlsx`` downloads the tables."""
    campaign = campaign_or_404(campaign_id)
    result = campaign_results(campaign)
    tables = survey_tables(result, named=False)
    fmt = request.args.get("format", "")
    if fmt in FORMATS:
        name = f"enquete-{campaign.id}-{slug(campaign.title)}-resultats.{fmt}"
        return export_response(tables, fmt, name)
    return render_template(
        "quizzes/surveys/admin/results.html",
        campaign=campaign,
        result=result,
        fig=figures([campaign.id])[campaign.id],
        licences=LICENCES,
    )


@bp.route("/admin/enquetes/<int:campaign_id>/donnees-ouvertes.zip")
@admin_required
def survey_open_data(campaign_id: int):
    """The campaign's open data as a ZIP (``?licence=`` one of the open-data licences)."""
    campaign = campaign_or_404(campaign_id)
    licence = request.args.get("licence", "")
    licence = licence if licence in LICENCES else next(iter(LICENCES))
    response = Response(open_data(campaign, licence, utcnow()), mimetype="application/zip")
    name = f"enquete-{campaign.id}-{slug(campaign.title)}-donnees-ouvertes.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
