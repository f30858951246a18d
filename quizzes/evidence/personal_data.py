"""What the quizzes plugin holds about a person (RGPD): attempts with every answer, follow-up
invitations and the opt-out; the download (right of access) and the erasure."""

from __future__ import annotations

import sqlalchemy as sa

from courses.models import CourseRun
from lms.db import db
from quizzes.campaigns.models import FollowUpOptOut, Invitation
from quizzes.models import Answer, Attempt, Instrument, Question


def _attempts(user_id: int) -> list[dict]:
    rows = db.session.execute(
        sa.select(Attempt, Instrument.title, CourseRun.title.label("session"))
        .join(Instrument, Instrument.id == Attempt.instrument_id)
        .outerjoin(CourseRun, CourseRun.id == Attempt.run_id)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.id)
    ).all()
    answers = db.session.execute(
        sa.select(Answer, Question.key, Question.title)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Attempt.user_id == user_id)
        .order_by(Answer.attempt_id, Question.position)
    ).all()
    by_attempt: dict[int, list] = {}
    for answer, key, title in answers:
        by_attempt.setdefault(answer.attempt_id, []).append(
            {
                "question": key,
                "title": title,
                "response": answer.response,
                "score": answer.score,
                "value": answer.value,
                "comment": answer.comment,
            }
        )
    return [
        {
            "instrument": title,
            "session": session,
            "number": a.number,
            "state": a.state,
            "channel": a.channel,
            "started_at": a.started_at,
            "submitted_at": a.submitted_at,
            "score": a.score,
            "max_score": a.max_score,
            "passed": a.passed,
            "answers": by_attempt.get(a.id, []),
        }
        for a, title, session in rows
    ]


def personal_data(user) -> dict:
    """Attempts and answers, follow-up invitations, opt-out of ``user`` (four queries)."""
    invitations = db.session.scalars(
        sa.select(Invitation).where(Invitation.user_id == user.id).order_by(Invitation.id)
    ).all()
    opted = db.session.get(FollowUpOptOut, user.id)
    return {
        "attempts": _attempts(user.id),
        "followup_invitations": [
            {
                "state": i.state,
                "sent_at": i.sent_at,
                "expires_at": i.expires_at,
                "reminders": i.reminders,
                "answered_at": i.answered_at,
                "phone_call": i.phone_call,
            }
            for i in invitations
        ],
        "followup_opt_out_at": opted.created_at if opted else None,
    }


#: What replaces a free text of an erased person (the answer still counts).
ERASED_TEXT = "[effacé]"


def _scrub(response) -> dict:
    if not isinstance(response, dict):
        return {}
    return {
        key: (ERASED_TEXT if isinstance(value, str) and key in ("text", "other") else value)
        for key, value in response.items()
        if key in ("choice", "choices", "text", "other")
    }


def erase_personal_data(user) -> None:
    """Replace the person's free texts and graders' comments, unquote them from reports, close
    their follow-up links and opt them out; choices, values and scores stay (aggregates)."""
    from lms.db import utcnow
    from quizzes.campaigns.models import InvitationState
    from quizzes.evidence.models import ReportComment

    attempts = sa.select(Attempt.id).where(Attempt.user_id == user.id)
    answer_ids = sa.select(Answer.id).where(Answer.attempt_id.in_(attempts))
    db.session.execute(sa.delete(ReportComment).where(ReportComment.answer_id.in_(answer_ids)))
    for answer in db.session.scalars(sa.select(Answer).where(Answer.attempt_id.in_(attempts))):
        answer.response = _scrub(answer.response)
        answer.comment = None
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.user_id == user.id, Invitation.state == InvitationState.INVITED)
        .values(state=InvitationState.EXPIRED, expired_at=utcnow(), next_reminder_at=None)
    )
    if db.session.get(FollowUpOptOut, user.id) is None:
        db.session.add(FollowUpOptOut(user_id=user.id))
    db.session.flush()
