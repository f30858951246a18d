"""Posting queued scores to the platforms (``flask lms tick``), with retries.

Each platform gets an access token by the OAuth 2 client-credentials grant with a JWT assertion
signed by the tool's key (scope ``…/lti-ags/scope/score``), through PyLTI1p3's service connector.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests
import sqlalchemy as sa
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector

from courses.lti.ags import MAX_ATTEMPTS
from courses.lti.config import http_session, registration
from courses.lti.models import LtiScore
from lms.db import begin_write, db, is_sqlite

log = logging.getLogger(__name__)
#: Waits between attempts (then the last one, again and again).
BACKOFF = (60, 300, 1800, 3600, 6 * 3600)


def _due(now: datetime, limit: int) -> list[LtiScore]:
    begin_write()
    query = (
        sa.select(LtiScore)
        .where(
            LtiScore.sent_at.is_(None),
            LtiScore.next_attempt_at <= now,
            LtiScore.attempts < MAX_ATTEMPTS,
        )
        .order_by(LtiScore.id)
        .limit(limit)
    )
    if not is_sqlite():
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def _grade(payload: dict) -> Grade:
    grade = (
        Grade()
        .set_user_id(payload["userId"])
        .set_score_given(payload["scoreGiven"])
        .set_score_maximum(payload["scoreMaximum"])
        .set_activity_progress(payload["activityProgress"])
        .set_grading_progress(payload["gradingProgress"])
        .set_timestamp(payload["timestamp"])
    )
    return grade


def _post(row: LtiScore, connectors: dict[int, ServiceConnector]) -> None:
    connector = connectors.get(row.platform_id)
    if connector is None:
        connector = connectors[row.platform_id] = ServiceConnector(
            registration(row.platform), http_session()
        )
    service = AssignmentsGradesService(
        connector, {"scope": row.scopes, "lineitem": row.lineitem, "lineitems": row.lineitems}
    )
    item = None
    if not row.lineitem:
        item = (
            LineItem()
            .set_resource_id(row.item["resourceId"])
            .set_tag(row.item["resourceId"])  # the library finds an existing line item by tag
            .set_label(row.item["label"])
            .set_score_maximum(row.item["scoreMaximum"])
        )
    service.put_grade(_grade(row.payload), item)


def _describe(error: Exception) -> str:
    if isinstance(error, LtiServiceException):
        return f"HTTP {error.response.status_code}: {error.response.text[:300]}"
    if isinstance(error, LtiException | requests.RequestException):
        return str(error)
    return f"{type(error).__name__}: {error}"


def send_due(now: datetime, limit: int = 50) -> int:
    """Post every due score, batch after batch; return how many the platforms took."""
    sent = 0
    connectors: dict[int, ServiceConnector] = {}
    while rows := _due(now, limit):
        for row in rows:
            row.attempts += 1
            try:
                _post(row, connectors)
            except Exception as exc:  # noqa: BLE001 - one platform's odd answer never stops tick
                row.last_error = _describe(exc)[:500]
                row.next_attempt_at = now + timedelta(seconds=BACKOFF[min(row.attempts, 5) - 1])
                log.warning("LTI score %s not accepted: %s", row.key, row.last_error)
                continue
            row.sent_at, row.last_error = now, None
            sent += 1
        db.session.commit()
    return sent
