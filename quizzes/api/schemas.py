"""Shapes of the quizzes API."""

from __future__ import annotations

import marshmallow as ma

from lms.api.pagination import PageArgs, UtcDateTime, page_schema
from quizzes.campaigns.models import InvitationState
from quizzes.models import InstrumentKind

F = ma.fields
KINDS = [kind.value for kind in InstrumentKind]


class AttemptSchema(ma.Schema):
    """A submitted attempt at a quiz, self-assessment or questionnaire, with its score."""

    id = F.Integer(required=True)
    session_id = F.Integer(required=True, attribute="run_id")
    enrolment_id = F.Integer(required=True, allow_none=True)
    user_id = F.Integer(required=True)
    instrument_key = F.String(required=True, attribute="instrument.key")
    instrument_title = F.String(required=True, attribute="instrument.title")
    kind = F.String(required=True, attribute="instrument.kind")
    purpose = F.String(required=True, attribute="instrument.purpose")
    number = F.Integer(required=True, metadata={"description": "1 for the first attempt"})
    state = F.String(required=True)
    channel = F.String(required=True)
    submitted_at = UtcDateTime(required=True, allow_none=True)
    score = F.Float(required=True, allow_none=True)
    max_score = F.Float(required=True, allow_none=True)
    passed = F.Boolean(required=True, allow_none=True)


class AnswerSchema(ma.Schema):
    """One answer of an attempt: the response as stored (JSON), its score or value."""

    question_key = F.String(required=True, attribute="question.key")
    question_type = F.String(required=True, attribute="question.type")
    question_title = F.String(required=True, allow_none=True, attribute="question.title")
    competency = F.String(required=True, allow_none=True, attribute="question.competency")
    response = F.Dict(required=True)
    score = F.Float(required=True, allow_none=True)
    value = F.Float(required=True, allow_none=True, metadata={"description": "Scales, scores"})
    comment = F.String(required=True, allow_none=True)
    updated_at = UtcDateTime(required=True)


class AttemptAnswersSchema(AttemptSchema):
    """An attempt with its answers."""

    answers = F.List(F.Nested(AnswerSchema), required=True)


class InvitationSchema(ma.Schema):
    """An invitation to a follow-up questionnaire (6 or 12 months after the session)."""

    id = F.Integer(required=True)
    session_id = F.Integer(required=True, attribute="campaign.run_id")
    offset_months = F.Integer(required=True, attribute="campaign.wave.offset_months")
    enrolment_id = F.Integer(required=True)
    user_id = F.Integer(required=True)
    state = F.String(required=True, validate=ma.validate.OneOf([s.value for s in InvitationState]))
    sent_at = UtcDateTime(required=True, allow_none=True)
    reminders = F.Integer(required=True)
    expires_at = UtcDateTime(required=True)
    answered_at = UtcDateTime(required=True, allow_none=True)
    phone_call = F.Boolean(required=True)
    attempt_id = F.Integer(
        required=True, allow_none=True, metadata={"description": "Its answers: /attempts/{id}"}
    )


class AttemptArgs(PageArgs):
    """Filters of a session's attempts (``updated_since`` applies to the submission time)."""

    kind = F.String(load_default=None, validate=ma.validate.OneOf(KINDS))
    instrument_key = F.String(load_default=None, validate=ma.validate.Length(max=80))


AttemptPage = page_schema(AttemptSchema, "AttemptPage")
InvitationPage = page_schema(InvitationSchema, "InvitationPage")
