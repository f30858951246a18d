"""Figures of the campaign pages, in SQL aggregates: invitations by state per campaign, people
to invite per run, the schedule ("what is due when") and the non-respondents of a campaign (a
page at a time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from courses.models import Enrolment, EnrolmentStatus
from lms.db import db
from lms.models import User
from lms.pagination import Listing, Page, paginate, search
from quizzes.campaigns.models import Invitation, InvitationState
from quizzes.campaigns.scheduling import opted_out
from quizzes.campaigns.timing import Slot, catch_up_until, slots
from quizzes.models import Attempt, AttemptState


@dataclass
class Figures:
    """Invitations of a campaign by what became of them."""

    invited: int = 0
    reminded: int = 0
    reminders: int = 0
    answered: int = 0
    expired: int = 0
    failed: int = 0
    phone: int = 0

    @property
    def waiting(self) -> int:
        """Invited people who have not answered and whose link still works."""
        return self.invited - self.answered - self.expired - self.failed

    @property
    def rate(self) -> float | None:
        """Share of the invited who answered (None before any invitation)."""
        return self.answered / self.invited if self.invited else None


def _count(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def campaign_figures(campaign_ids: list[int]) -> dict[int, Figures]:
    """{campaign_id: Figures} in one aggregate query."""
    if not campaign_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Invitation.campaign_id,
            sa.func.count(Invitation.id),
            _count(Invitation.reminders > 0),
            sa.func.coalesce(sa.func.sum(Invitation.reminders), 0),
            _count(Invitation.state == InvitationState.ANSWERED),
            _count(Invitation.state == InvitationState.EXPIRED),
            _count(Invitation.state == InvitationState.FAILED),
            _count(Invitation.phone_call.is_(True)),
        )
        .where(Invitation.campaign_id.in_(campaign_ids))
        .group_by(Invitation.campaign_id)
    ).all()
    return {row[0]: Figures(*(int(v) for v in row[1:])) for row in rows}


def eligible_counts(run_ids: list[int]) -> dict[int, int]:
    """{run_id: completed enrolments of active people who did not opt out} (one query)."""
    if not run_ids:
        return {}
    rows = db.session.execute(
        sa.select(Enrolment.run_id, sa.func.count(Enrolment.id))
        .join(User, User.id == Enrolment.user_id)
        .where(
            Enrolment.run_id.in_(run_ids),
            Enrolment.status == EnrolmentStatus.COMPLETED,
            User.active.is_(True),
            ~opted_out(Enrolment.user_id),
        )
        .group_by(Enrolment.run_id)
    ).all()
    return dict(rows)


@dataclass
class ScheduleRow:
    """One line of "what is due when": a wave for a run, its state and its figures."""

    slot: Slot
    status: str
    eligible: int
    figures: Figures


def status_of(slot: Slot, figures: Figures, today: date) -> str:
    """``no_questionnaire``, ``paused``, ``planned``, ``due``, ``sent`` or ``missed``."""
    if slot.wave.instrument_id is None:
        return "no_questionnaire"
    if slot.campaign is not None and slot.campaign.paused:
        return "paused"
    if figures.invited:
        return "sent"
    if today < slot.due_on:
        return "planned"
    if today < catch_up_until(slot.run, slot.wave):
        return "due"
    return "missed"


def schedule(today: date, run_ids: list[int] | None = None) -> list[ScheduleRow]:
    """The waves of the runs (all, or ``run_ids``) by due date, with their figures."""
    found = slots(run_ids=run_ids)
    figures = campaign_figures([s.campaign.id for s in found if s.campaign])
    eligible = eligible_counts(list({s.run.id for s in found}))
    rows = []
    for slot in found:
        fig = figures.get(slot.campaign.id, Figures()) if slot.campaign else Figures()
        rows.append(
            ScheduleRow(slot, status_of(slot, fig, today), eligible.get(slot.run.id, 0), fig)
        )
    return rows


#: Sorts of the non-respondents' table; ``call`` (the default) puts those to call first.
SORTS = ("call", "name", "email", "state", "sent", "reminders")
#: Its filters: state of the invitation, marked for a call, answers started on the web.
FILTERS = {
    "state": [InvitationState.INVITED, InvitationState.EXPIRED, InvitationState.FAILED],
    "call": ["yes", "no"],
    "started": ["yes", "no"],
}


def non_respondents_listing(args) -> Listing:
    """What the administrator asked of the non-respondents' table (query string)."""
    return Listing.from_args(args, SORTS, "call", FILTERS)


def _non_respondents_filters(query: sa.Select, chosen: Listing) -> sa.Select:
    found = search(chosen.q, User.name, User.email, User.organisation)
    if found is not None:
        query = query.where(found)
    if "state" in chosen.filters:
        query = query.where(Invitation.state == chosen.filters["state"])
    if "call" in chosen.filters:
        query = query.where(Invitation.phone_call.is_(chosen.filters["call"] == "yes"))
    if "started" in chosen.filters:
        started = Attempt.state == AttemptState.IN_PROGRESS
        query = query.where(started if chosen.filters["started"] == "yes" else ~started)
    return query


def non_respondents(campaign_id: int, chosen: Listing) -> Page:
    """One page of (Invitation, User, attempt state or None) of those who have not answered,
    searched (name, e-mail, organisation), filtered and sorted in SQL."""
    query = (
        sa.select(Invitation, User, Attempt.state)
        .join(User, User.id == Invitation.user_id)
        .outerjoin(Attempt, Attempt.id == Invitation.attempt_id)
        .where(
            Invitation.campaign_id == campaign_id,
            Invitation.state != InvitationState.ANSWERED,
        )
    )
    query = _non_respondents_filters(query, chosen)
    to_call = sa.case((Invitation.phone_call.is_(True), 0), else_=1)
    columns = {
        "call": [to_call, User.name, User.id],
        "name": [User.name, User.id],
        "email": [User.email, User.id],
        "state": [Invitation.state, User.name, User.id],
        "sent": [Invitation.sent_at, User.name, User.id],
        "reminders": [Invitation.reminders, User.name, User.id],
    }
    return paginate(
        query, chosen, chosen.order_by(columns), fetch=lambda s: db.session.execute(s).all()
    )
