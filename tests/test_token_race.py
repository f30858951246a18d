"""Single-use links under concurrency: several simultaneous POSTs of the same link against a real
server (gunicorn, 2 workers × 4 threads); exactly one succeeds, the others get « lien déjà
utilisé », nobody gets a 5xx. Runs on SQLite and, with ``--db postgresql``, on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from courses.enrolments import INVITE
from courses.models import EnrolmentStatus
from lms.db import db
from lms.models import UserToken
from tests.factories import enrol, make_course, make_run
from tests.support.live import Browser, LiveServer, together

CLICKS = 6
PASSWORD = "un nouveau mot de passe"


@pytest.fixture
def server(app):
    live = LiveServer(app, workers=2, threads=4).start()
    yield live
    live.stop()


def _race(server, path: str, data: dict):
    """CLICKS visitors open ``path``, then all submit it at the same moment."""
    browsers = [Browser(server.url) for _ in range(CLICKS)]
    tokens = [b.get(path).csrf() for b in browsers]
    jobs = [
        (lambda b=b, t=t: b.request(path, data={**data, "csrf_token": t}))
        for b, t in zip(browsers, tokens, strict=True)
    ]
    pages = together(jobs)
    errors = [p for p in pages if not hasattr(p, "status")]
    assert not errors, errors
    assert not [p.status for p in pages if p.status >= 500], server.output()[-3000:]
    winners = [p for p in pages if p.status in (302, 303)]
    losers = [p for p in pages if p not in winners]
    assert len(winners) == 1, [p.status for p in pages]
    for page in losers:
        assert page.status == 409, page.status
        assert "Lien déjà utilisé" in page.text
    return winners[0]


def test_a_reset_link_works_once_under_concurrent_posts(app, make_user, server):
    user = make_user("learner")
    _token, raw = UserToken.issue(user, "reset", timedelta(hours=2))
    db.session.commit()
    _race(server, f"/compte/mot-de-passe/{raw}", {"password": PASSWORD, "confirm": PASSWORD})
    db.session.rollback()
    token = db.session.scalar(sa.select(UserToken).where(UserToken.user_id == user.id))
    assert token.used_at is not None
    assert db.session.get(type(user), user.id).check_password(PASSWORD)


def test_an_invitation_works_once_under_concurrent_posts(app, make_user, server):
    course = make_course("course-race", modules=1, activities=1)
    run = make_run(course)
    user = make_user("learner")
    user.password_hash = None
    enrolment = enrol(run, user, status=EnrolmentStatus.INVITED)
    _token, raw = UserToken.issue(user, INVITE, timedelta(days=7), {"enrolment_id": enrolment.id})
    db.session.commit()
    _race(server, f"/invitation/{raw}", {"password": PASSWORD, "confirm": PASSWORD})
    db.session.rollback()
    assert db.session.get(type(enrolment), enrolment.id).status == EnrolmentStatus.ACTIVE
