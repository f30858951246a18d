"""A survey campaign's results: the questionnaire results of its answers (the same figures,
charts and tables as a session's questionnaires, free texts anonymous), and its open data
(answer counts with small-count suppression, never a free text)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from quizzes.evidence.opendata import (
    INDICATOR_FIELDS,
    DataTable,
    answer_table,
    build_descriptor,
    zip_package,
)
from quizzes.evidence.suppression import K, publishable
from quizzes.models import Attempt
from quizzes.results.questionnaires import InstrumentResult, results_of
from quizzes.results.reports import FINISHED
from quizzes.surveys.models import SurveyCampaign


def attempt_ids(campaign: SurveyCampaign):
    """A select of the campaign's sent answers (attempts of its anonymous account)."""
    return sa.select(Attempt.id).where(
        Attempt.user_id == campaign.owner_id,
        Attempt.instrument_id == campaign.instrument_id,
        Attempt.state.in_(FINISHED),
    )


def campaign_results(campaign: SurveyCampaign) -> InstrumentResult:
    """Distribution, mean, NPS and free texts (anonymous) per question."""
    return results_of(campaign.instrument, attempt_ids(campaign), named=False)


def open_data(campaign: SurveyCampaign, licence: str, now: datetime) -> bytes:
    """The ZIP of the campaign's open data: participation, answers (suppressed), descriptor."""
    result = results_of(campaign.instrument, attempt_ids(campaign), named=False)
    participation = DataTable("participation", "Participation", INDICATOR_FIELDS)
    people = publishable(result.respondents, K)
    participation.rows.append(["repondants", people, people])
    found = [participation, answer_table(result)]
    meta = build_descriptor(
        f"enquete-{campaign.id}-{campaign.title}",
        campaign.title,
        "Réponses agrégées et anonymisées d'une enquête. Tout chiffre calculé sur moins de "
        f"{K} personnes est masqué (cellule vide), ainsi qu'assez d'autres pour qu'il ne puisse "
        "pas être recalculé à partir des totaux. Les réponses libres ne sont jamais publiées.",
        licence,
        found,
        now,
    )
    return zip_package(meta, found)
