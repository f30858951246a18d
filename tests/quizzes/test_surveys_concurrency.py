"""The response cap of a public survey under simultaneous submissions against a real server
(gunicorn, 2 workers × 4 threads): exactly the cap is accepted, every other visitor gets the
clear « toutes les réponses attendues » page, nobody a 5xx. SQLite here; PostgreSQL with
``--db postgresql``."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.db import db, utcnow
from quizzes.models import Attempt, AttemptState
from quizzes.surveys import service
from quizzes.surveys.models import SurveyCampaign
from tests.quizzes.survey_builders import answer, barometer
from tests.support.live import Browser, LiveServer, together

VISITORS = 8
CAP = 3


@pytest.fixture
def server(app):
    live = LiveServer(app, workers=2, threads=4).start()
    yield live
    live.stop()


def test_the_cap_holds_under_simultaneous_answers(app, server):
    instrument = barometer()
    campaign = service.create(
        {
            "title": "Course au dernier répondant",
            "instrument_id": instrument.id,
            "mode": "public",
            "opens_at": utcnow() - timedelta(days=1),
            "closes_at": None,
            "max_responses": CAP,
        },
        None,
    )
    db.session.commit()
    path = f"/enquete-publique/{service.public_token(campaign)}"
    data = answer(instrument)
    browsers = [Browser(server.url) for _ in range(VISITORS)]
    tokens = [b.get(path).csrf() for b in browsers]
    jobs = [
        (lambda b=b, t=t: b.request(path, data={**data, "csrf_token": t}))
        for b, t in zip(browsers, tokens, strict=True)
    ]
    pages = together(jobs)
    assert not [p for p in pages if not hasattr(p, "status")], pages
    assert not [p.status for p in pages if p.status >= 500], server.output()[-3000:]
    accepted = [p for p in pages if p.status == 303]
    refused = [p for p in pages if p not in accepted]
    assert len(accepted) == CAP, [p.status for p in pages]
    for page in refused:
        assert page.status == 410
        assert "toutes les réponses attendues" in page.text
    db.session.rollback()
    assert db.session.get(SurveyCampaign, campaign.id).answered == CAP
    sent = db.session.scalar(
        sa.select(sa.func.count(Attempt.id)).where(
            Attempt.user_id == campaign.owner_id, Attempt.state != AttemptState.IN_PROGRESS
        )
    )
    assert sent == CAP
