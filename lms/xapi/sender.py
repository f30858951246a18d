"""Sending queued statements to the LRS in batches, with retries (``flask lms tick``)."""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from lms.db import begin_write, db, is_sqlite
from lms.xapi.models import XapiStatement

log = logging.getLogger(__name__)
#: Waits between attempts (then the last one, again and again).
BACKOFF = (60, 300, 1800, 3600, 6 * 3600)


def _post(batch: list[dict]) -> None:
    """POST a batch to ``<XAPI_LRS_URL>/statements``; raise on anything but 2xx."""
    config = current_app.config
    url = config["XAPI_LRS_URL"].rstrip("/") + "/statements"
    if not url.startswith(("http://", "https://")):
        raise OSError(f"XAPI_LRS_URL must be an http(s) address, not {url!r}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked just above
        url,
        data=json.dumps(batch).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"},
    )
    user, password = config.get("XAPI_LRS_USERNAME"), config.get("XAPI_LRS_PASSWORD")
    if user:
        pair = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        request.add_header("Authorization", f"Basic {pair}")
    timeout = config.get("XAPI_TIMEOUT", 10)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        response.read()


def _due(limit: int, now: datetime) -> list[XapiStatement]:
    begin_write()
    query = (
        sa.select(XapiStatement)
        .where(XapiStatement.sent_at.is_(None), XapiStatement.next_attempt_at <= now)
        .order_by(XapiStatement.id)
        .limit(limit)
    )
    if not is_sqlite():
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def _failed(rows: list[XapiStatement], error: Exception, now: datetime) -> None:
    log.warning("LRS refused or unreachable (%s statements): %s", len(rows), error)
    for row in rows:
        row.next_attempt_at = now + timedelta(seconds=BACKOFF[min(row.attempts, 4)])
        row.attempts += 1
        row.last_error = str(error)[:500]


def _deliver(rows: list[XapiStatement], now: datetime) -> int:
    """POST ``rows``; on a conflict (an id the LRS holds already) retry them one by one."""
    try:
        _post([row.payload for row in rows])
    except urllib.error.HTTPError as exc:
        if exc.code != 409:
            _failed(rows, exc, now)
            return 0
        if len(rows) > 1:
            return sum(_deliver([row], now) for row in rows)
        rows[0].last_error = "already in the LRS (409)"  # sent before a crash: keep it sent
    except OSError as exc:  # URLError, timeouts, refused connections
        _failed(rows, exc, now)
        return 0
    for row in rows:
        row.sent_at, row.attempts = now, row.attempts + 1
    return len(rows)


def send_batch(now: datetime, limit: int = 100) -> int:
    """Send up to ``limit`` due statements in one request; return how many the LRS took."""
    rows = _due(limit, now)
    sent = _deliver(rows, now) if rows else 0
    db.session.commit()
    return sent


def send_due(now: datetime) -> int:
    """Send every due statement, batch after batch; nothing when no LRS is configured."""
    if not current_app.config.get("XAPI_LRS_URL"):
        return 0
    sent = 0
    while batch := send_batch(now, current_app.config.get("XAPI_BATCH_SIZE", 100)):
        sent += batch
    return sent
