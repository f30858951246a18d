"""Scores for the platforms' gradebooks (Assignment and Grade Services), queued in the
transaction of the submission; :mod:`courses.lti.sender` posts them from ``flask lms tick``.

Which links get a score: a link to the quiz's own activity (its line item, or one found or
created in its line items container); a link to the whole course, through its line items
container (one line item per quiz), or through its single line item for the final exam only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import sqlalchemy as sa

from courses.lti import claims
from courses.lti.models import LtiAccount, LtiPlatform, LtiResourceLink, LtiScore
from lms.db import db

#: Attempts before a score is left as failed (shown on « Plateformes LTI »).
MAX_ATTEMPTS = 8


def _destination(link: LtiResourceLink, activity_id: int, exam: bool) -> dict | None:
    """Where a score of ``activity_id`` goes through ``link`` (line item or container)."""
    scopes = set(link.scopes or [])
    if claims.SCORE_SCOPE not in scopes:
        return None
    own = link.activity_id == activity_id
    if own and link.lineitem:
        return {"lineitem": link.lineitem}
    if link.lineitems and claims.LINEITEM_SCOPE in scopes and (own or link.activity_id is None):
        return {"lineitems": link.lineitems}
    if link.activity_id is None and link.lineitem and exam:
        return {"lineitem": link.lineitem}
    return None


def _timestamp(when: datetime) -> str:
    return when.replace(tzinfo=UTC).isoformat()


def _links(attempt: dict) -> list[tuple[LtiResourceLink, str]]:
    """The links of the attempt's session on active platforms the learner came from, with the
    learner's ``sub`` there (one query)."""
    values = {"user_id": attempt["user_id"], "run_id": attempt["run_id"]}
    return [(link, sub) for link, sub in db.session.execute(_links_statement(), values)]


@cache
def _links_statement() -> sa.Select:
    """:func:`_links`' statement, built once: every quiz sent runs it, inside the write lock."""
    return (
        sa.select(LtiResourceLink, LtiAccount.sub)
        .join(LtiPlatform, LtiPlatform.id == LtiResourceLink.platform_id)
        .join(LtiAccount, LtiAccount.platform_id == LtiResourceLink.platform_id)
        .where(
            LtiAccount.user_id == sa.bindparam("user_id"),
            LtiResourceLink.run_id == sa.bindparam("run_id"),
            LtiPlatform.active,
        )
    )


def queue_score(attempt: dict) -> int:
    """Queue the score of a submitted attempt for every LTI link of its session. Flushes.

    ``attempt`` holds ``id``, ``user_id``, ``run_id``, ``activity_id``, ``title``, ``score``,
    ``max_score``, ``final`` (no grading pending), ``exam`` and ``when``, and ``revision``
    when a trainer's grading changed the score (each revision is sent again). Returns how many
    scores were queued (0 when the learner never came through LTI).
    """
    queued = 0
    for link, sub in _links(attempt):
        where = _destination(link, attempt["activity_id"], attempt["exam"])
        key = f"{link.id}:{attempt['id']}"
        if attempt.get("revision"):
            key += f":{attempt['revision']}"
        if where is None or db.session.scalar(sa.select(LtiScore.id).where(LtiScore.key == key)):
            continue
        item = {
            "resourceId": f"activity-{attempt['activity_id']}",
            "label": attempt["title"][:250],
            "scoreMaximum": 100,
        }
        db.session.add(
            LtiScore(
                key=key,
                platform_id=link.platform_id,
                scopes=list(link.scopes or []),
                item=item,
                payload=_payload(sub, attempt),
                **where,
            )
        )
        queued += 1
    db.session.flush()
    return queued


def _payload(sub: str, attempt: dict) -> dict:
    return {
        "userId": sub,
        "scoreGiven": attempt["score"],
        "scoreMaximum": attempt["max_score"],
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded" if attempt["final"] else "PendingManual",
        "timestamp": _timestamp(attempt["when"]),
    }


def state_counts() -> dict[int, dict[str, int]]:
    """Scores per platform by state (queued, sent, failed), in one query."""
    state = sa.case(
        (LtiScore.sent_at.is_not(None), "sent"),
        (LtiScore.attempts >= MAX_ATTEMPTS, "failed"),
        else_="queued",
    )
    query = sa.select(LtiScore.platform_id, state, sa.func.count(LtiScore.id)).group_by(
        LtiScore.platform_id, state
    )
    counts: dict[int, dict[str, int]] = {}
    for platform_id, name, count in db.session.execute(query):
        counts.setdefault(platform_id, {"queued": 0, "sent": 0, "failed": 0})[name] = count
    return counts


def last_errors() -> dict[int, tuple[datetime, str]]:
    """The latest error of each platform's unsent scores (one query)."""
    latest = (
        sa.select(LtiScore.platform_id, sa.func.max(LtiScore.id).label("id"))
        .where(LtiScore.sent_at.is_(None), LtiScore.last_error.is_not(None))
        .group_by(LtiScore.platform_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(LtiScore.platform_id, LtiScore.next_attempt_at, LtiScore.last_error).join(
            latest, latest.c.id == LtiScore.id
        )
    )
    return {platform_id: (when, error) for platform_id, when, error in rows}
