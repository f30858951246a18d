"""Quiz results, questionnaire answers and follow-up invitations of a session (read-only)."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from courses.api.access import db_run, run_or_404
from lms.api.pagination import PageArgs, paginate
from lms.db import db
from quizzes.api import bp
from quizzes.api.schemas import (
    AttemptAnswersSchema,
    AttemptArgs,
    AttemptPage,
    InvitationPage,
)
from quizzes.campaigns.models import Campaign, Invitation
from quizzes.models import Answer, Attempt, AttemptState, Instrument

ID = "int(max=2147483647)"


@bp.get(f"/sessions/<{ID}:run_id>/attempts")
@bp.arguments(AttemptArgs, location="query", unknown=ma.RAISE)
@bp.response(200, AttemptPage)
def list_attempts(args, run_id: int):
    """Submitted attempts of the session's learners: quizzes, self-assessments, questionnaires."""
    run = run_or_404(run_id)
    query = (
        sa.select(Attempt)
        .join(Attempt.instrument)
        .options(contains_eager(Attempt.instrument))
        .where(Attempt.run_id == run.id, Attempt.state != AttemptState.IN_PROGRESS)
        .order_by(Attempt.id)
    )
    if args["kind"]:
        query = query.where(Instrument.kind == args["kind"])
    if args["instrument_key"]:
        query = query.where(Instrument.key == args["instrument_key"])
    if args["updated_since"] is not None:
        query = query.where(Attempt.submitted_at >= args["updated_since"])
    return paginate(query, args)


@bp.get(f"/attempts/<{ID}:attempt_id>")
@bp.response(200, AttemptAnswersSchema)
def get_attempt(attempt_id: int):
    """One submitted attempt with its answers (a questionnaire's or a quiz's)."""
    attempt = db.session.scalar(
        sa.select(Attempt)
        .where(Attempt.id == attempt_id, Attempt.state != AttemptState.IN_PROGRESS)
        .options(
            joinedload(Attempt.instrument),
            selectinload(Attempt.answers).joinedload(Answer.question),
        )
    )
    if attempt is None or attempt.run_id is None or db_run(attempt.run_id) is None:
        abort(404, _("Aucune tentative visible n'a cet identifiant."))
    attempt.answers.sort(key=lambda answer: answer.question.position)
    return attempt


@bp.get(f"/sessions/<{ID}:run_id>/followups")
@bp.arguments(PageArgs, location="query", unknown=ma.RAISE)
@bp.response(200, InvitationPage)
def list_followups(args, run_id: int):
    """Invitations to the session's follow-up questionnaires; answers are at /attempts/{id}."""
    run = run_or_404(run_id)
    query = (
        sa.select(Invitation)
        .join(Invitation.campaign)
        .options(contains_eager(Invitation.campaign).joinedload(Campaign.wave))
        .where(Campaign.run_id == run.id)
        .order_by(Invitation.id)
    )
    since = args["updated_since"]
    if since is not None:
        stamps = (
            Invitation.created_at,
            Invitation.sent_at,
            Invitation.last_reminded_at,
            Invitation.answered_at,
            Invitation.expired_at,
            Invitation.failed_at,
        )
        query = query.where(sa.or_(*(stamp >= since for stamp in stamps)))
    return paginate(query, args)
