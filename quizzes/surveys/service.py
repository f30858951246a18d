"""Creating and running a survey campaign: its anonymous account, its public link, its
recipients (read by the learners' list reader), pause / resume / close, and its figures."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from courses.csv_import import CsvReport, parse_learners
from lms.db import db, utcnow
from lms.models import Role, User
from quizzes.campaigns.tokens import link_token, new_nonce, token_hash_for
from quizzes.models import Instrument, InstrumentKind
from quizzes.surveys.models import (
    Respondent,
    RespondentState,
    SurveyCampaign,
    SurveyMode,
    SurveyOptOut,
    SurveyStatus,
)

#: Domain of the anonymous accounts (``.invalid`` is reserved: nothing is ever sent there).
OWNER_DOMAIN = "repondants.invalid"


def questionnaires() -> list[Instrument]:
    """Every questionnaire of the catalogue, by title (what a campaign may send)."""
    return list(
        db.session.scalars(
            sa.select(Instrument)
            .where(Instrument.kind == InstrumentKind.QUESTIONNAIRE)
            .order_by(Instrument.title, Instrument.id)
        )
    )


def local_moment(day: date, end: bool = False) -> datetime:
    """The naive UTC moment a local calendar day starts (or ends, with ``end``)."""
    zone = ZoneInfo(current_app.config["LMS_TIMEZONE"])
    moment = datetime.combine(day + timedelta(days=1) if end else day, time(), zone)
    return moment.astimezone(UTC).replace(tzinfo=None)


def new_owner(title: str) -> User:
    """The anonymous account that will hold a campaign's answers (cannot sign in); its
    address becomes ``enquete-<campaign id>@repondants.invalid`` once the campaign exists."""
    owner = User(
        email=f"enquete-{secrets.token_hex(8)}@{OWNER_DOMAIN}",
        name=f"Répondants anonymes — {title}"[:200],
        role=Role.RESPONDENT,
        active=False,
    )
    db.session.add(owner)
    db.session.flush()
    return owner


def create(values: dict, by_id: int | None) -> SurveyCampaign:
    """A new campaign from the form's ``values`` (flushes; the caller commits)."""
    campaign = SurveyCampaign(
        owner_id=new_owner(values["title"]).id, created_by_id=by_id, answered=0, **values
    )
    if campaign.mode == SurveyMode.PUBLIC:
        campaign.public_nonce = new_nonce()
        campaign.public_hash = token_hash_for(campaign.public_nonce)
    db.session.add(campaign)
    db.session.flush()
    campaign.owner.email = f"enquete-{campaign.id}@{OWNER_DOMAIN}"
    db.session.flush()
    return campaign


def public_token(campaign: SurveyCampaign) -> str | None:
    """The secret of the campaign's public link (None in list mode)."""
    return link_token(campaign.public_nonce) if campaign.public_nonce else None


def accepting(campaign: SurveyCampaign, now: datetime | None = None) -> bool:
    """Whether answers are accepted now (open, started, not past its date nor its cap)."""
    now = now or utcnow()
    return (
        campaign.status == SurveyStatus.OPEN
        and campaign.opens_at <= now
        and (campaign.closes_at is None or now < campaign.closes_at)
        and (campaign.max_responses is None or campaign.answered < campaign.max_responses)
    )


def set_status(campaign: SurveyCampaign, status: str) -> None:
    """Pause, resume or close; a closed campaign stays closed (the caller commits)."""
    if campaign.status != SurveyStatus.CLOSED:
        campaign.status = status


@dataclass
class ImportOutcome:
    """What reading a list of recipients gave: the report, how many added and skipped."""

    report: CsvReport
    added: int = 0
    already: int = 0
    opted_out: int = 0


def import_recipients(campaign: SurveyCampaign, data: bytes, filename: str) -> ImportOutcome:
    """Add the people of a CSV / .xlsx list as pending recipients: all of them, or none when
    any line is wrong (same reader and messages as the learners' import). Flushes."""
    limit = current_app.config["LMS_IMPORT_MAX_ROWS"]
    outcome = ImportOutcome(parse_learners(data, filename, max_rows=limit))
    if not outcome.report.ok:
        return outcome
    emails = [row.email for row in outcome.report.rows]
    known = set(
        db.session.scalars(
            sa.select(Respondent.email).where(
                Respondent.campaign_id == campaign.id, Respondent.email.in_(emails)
            )
        )
    )
    stopped = set(
        db.session.scalars(sa.select(SurveyOptOut.email).where(SurveyOptOut.email.in_(emails)))
    )
    for row in outcome.report.rows:
        if row.email in known:
            outcome.already += 1
        elif row.email in stopped:
            outcome.opted_out += 1
        else:
            nonce = new_nonce()
            db.session.add(
                Respondent(
                    campaign_id=campaign.id,
                    email=row.email,
                    name=row.name,
                    nonce=nonce,
                    token_hash=token_hash_for(nonce),
                    state=RespondentState.PENDING,
                    reminders=0,
                )
            )
            outcome.added += 1
    db.session.flush()
    return outcome


@dataclass
class Figures:
    """A campaign's counts, as its page shows them."""

    listed: int = 0
    invited: int = 0
    answered: int = 0
    reminded: int = 0
    expired: int = 0
    failed: int = 0
    unsubscribed: int = 0

    @property
    def rate(self) -> float | None:
        """Answered / invited (None before anyone is invited)."""
        return self.answered / self.invited if self.invited else None


def figures(campaign_ids: list[int]) -> dict[int, Figures]:
    """The counts of several campaigns in one query."""
    state = Respondent.state
    sent = state != RespondentState.PENDING
    stopped = sa.exists().where(SurveyOptOut.email == Respondent.email)
    rows = db.session.execute(
        sa.select(
            Respondent.campaign_id,
            sa.func.count(),
            sa.func.count().filter(sent),
            sa.func.count().filter(state == RespondentState.ANSWERED),
            sa.func.count().filter(Respondent.reminders > 0),
            sa.func.count().filter(state == RespondentState.EXPIRED),
            sa.func.count().filter(state == RespondentState.FAILED),
            sa.func.count().filter(stopped),
        )
        .where(Respondent.campaign_id.in_(campaign_ids))
        .group_by(Respondent.campaign_id)
    ).all()
    found = {row[0]: Figures(*row[1:]) for row in rows}
    return {cid: found.get(cid, Figures()) for cid in campaign_ids}
