"""Shapes of the courses API (marshmallow schemas, documented in the OpenAPI document)."""

from __future__ import annotations

import marshmallow as ma

from courses.models import EnrolmentStatus
from lms.api.pagination import PageArgs, UtcDateTime, page_schema

F = ma.fields
STATUSES = [status.value for status in EnrolmentStatus]


class CourseSchema(ma.Schema):
    """A course of the catalogue."""

    id = F.Integer(required=True)
    key = F.String(required=True, metadata={"description": "Stable key (its folder's)"})
    code = F.String(required=True, allow_none=True)
    title = F.String(required=True)
    subtitle = F.String(required=True, allow_none=True)
    language = F.String(required=True)
    duration_hours = F.Integer(required=True, allow_none=True)
    updated_at = UtcDateTime(required=True)


class TrainerSchema(ma.Schema):
    """A trainer of a session."""

    id = F.Integer(required=True)
    name = F.String(required=True)
    email = F.String(required=True)


class SessionSchema(ma.Schema):
    """A session (course run): dates, place, capacity, trainers."""

    id = F.Integer(required=True)
    course_id = F.Integer(required=True)
    title = F.String(required=True)
    starts_on = F.Date(required=True)
    ends_on = F.Date(required=True)
    place = F.String(required=True, allow_none=True)
    capacity = F.Integer(required=True, allow_none=True)
    access_days = F.Integer(required=True, allow_none=True)
    trainers = F.List(F.Nested(TrainerSchema), required=True)
    updated_at = UtcDateTime(required=True, allow_none=True)


class EnrolmentSchema(ma.Schema):
    """A learner's enrolment in a session."""

    id = F.Integer(required=True)
    session_id = F.Integer(required=True, attribute="run_id")
    user_id = F.Integer(required=True)
    name = F.String(required=True, attribute="user.name")
    email = F.String(required=True, attribute="user.email")
    status = F.String(required=True, validate=ma.validate.OneOf(STATUSES))
    invited_at = UtcDateTime(required=True, allow_none=True)
    access_starts_at = UtcDateTime(required=True, allow_none=True)
    access_ends_at = UtcDateTime(required=True, allow_none=True)
    completed_at = UtcDateTime(required=True, allow_none=True)
    last_seen_at = UtcDateTime(required=True, allow_none=True)
    updated_at = UtcDateTime(required=True, allow_none=True)


class NewEnrolmentSchema(ma.Schema):
    """Enrol a learner: their account is created if needed and the invitation e-mailed."""

    name = F.String(required=True, validate=ma.validate.Length(min=1, max=200))
    email = F.String(required=True, validate=ma.validate.Length(min=3, max=254))


class ProgressLineSchema(ma.Schema):
    """A learner's progress in a session."""

    enrolment_id = F.Integer(required=True)
    user_id = F.Integer(required=True)
    name = F.String(required=True)
    status = F.String(required=True)
    completed = F.Integer(required=True, metadata={"description": "Activities completed"})
    total = F.Integer(required=True, metadata={"description": "Activities of the course"})
    ratio = F.Float(required=True, metadata={"description": "completed / total, 0 to 1"})
    last_seen_at = UtcDateTime(required=True, allow_none=True)
    completed_at = UtcDateTime(required=True, allow_none=True)


class ActivityProgressSchema(ma.Schema):
    """A learner's state on one activity."""

    activity_id = F.Integer(required=True)
    key = F.String(required=True)
    kind = F.String(required=True)
    title = F.String(required=True)
    module_key = F.String(required=True)
    started_at = UtcDateTime(required=True, allow_none=True)
    completed_at = UtcDateTime(required=True, allow_none=True)


class LearnerProgressSchema(ProgressLineSchema):
    """A learner's progress in a session, activity by activity."""

    session_id = F.Integer(required=True)
    activities = F.List(F.Nested(ActivityProgressSchema), required=True)


class SessionArgs(PageArgs):
    """Filters of the sessions list."""

    course_id = F.Integer(load_default=None, validate=ma.validate.Range(min=1, max=2**31 - 1))


class EnrolmentArgs(PageArgs):
    """Filters of a session's enrolments."""

    status = F.String(load_default=None, validate=ma.validate.OneOf(STATUSES))


CoursePage = page_schema(CourseSchema, "CoursePage")
SessionPage = page_schema(SessionSchema, "SessionPage")
EnrolmentPage = page_schema(EnrolmentSchema, "EnrolmentPage")
ProgressPage = page_schema(ProgressLineSchema, "ProgressPage")
