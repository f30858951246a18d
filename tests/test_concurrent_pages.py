"""Ten learners loading every learner page at the same moment, against gunicorn (2 workers ×
4 threads) on the test database: not one 5xx ("database is locked" on SQLite, deadlocks or
duplicate rows elsewhere). Bounded: 10 learners × 2 rounds × 9 requests, loopback only."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import sqlalchemy as sa

from courses.models import Activity, Enrolment
from lms.db import db
from tests.conftest import TEST_PASSWORD
from tests.factories import enrol
from tests.quizzes.taking_data import add_quiz, setup_course
from tests.support.live import Browser, LiveServer, together

LEARNERS = 10
ROUNDS = 2


@pytest.fixture
def cohort(app, make_user):
    data = setup_course(make_user)
    quiz = add_quiz(data.course)
    learners = [data.learner]
    for n in range(LEARNERS - 1):
        learner = make_user("learner", email=f"charge{n}@example.org")
        enrol(data.run, learner)
        learners.append(learner)
    lesson = db.session.scalar(
        sa.select(Activity.id).where(
            Activity.course_id == data.course.id, Activity.kind == "lesson"
        )
    )
    return data.run.id, lesson, quiz.activity_id, [u.email for u in learners]


def _journey(server, email: str, run_id: int, lesson: int, quiz: int) -> Counter:
    """What one learner does: every learner page, twice; returns the status codes seen."""
    browser = Browser(server.url)
    seen: Counter = Counter()
    seen[browser.sign_in(email, TEST_PASSWORD).status] += 1
    base = f"/parcours/sessions/{run_id}"
    for _round in range(ROUNDS):
        for path in ("/parcours", base, f"{base}/activites/{lesson}", f"{base}/progression"):
            seen[browser.get(path).status] += 1
        quiz_page = browser.get(f"{base}/evaluations/{quiz}")
        seen[quiz_page.status] += 1
        if quiz_page.status != 200:
            continue
        started = browser.request(
            f"{base}/evaluations/{quiz}/commencer", data={"csrf_token": quiz_page.csrf()}
        )
        seen[started.status] += 1
        match = re.search(r"/parcours/tentatives/(\d+)", started.headers.get("Location", ""))
        if not match:
            continue
        attempt = f"/parcours/tentatives/{match.group(1)}"
        page = browser.get(attempt)
        seen[page.status] += 1
        if page.status == 200:
            saved = browser.request(attempt + "/enregistrer", data={"csrf_token": page.csrf()})
            seen[saved.status] += 1
    return seen


def test_learners_loading_every_page_at_once_get_no_server_error(app, cohort):
    run_id, lesson, quiz, emails = cohort
    server = LiveServer(app, workers=2, threads=4).start()
    try:
        results = together([lambda e=e: _journey(server, e, run_id, lesson, quiz) for e in emails])
    finally:
        server.stop()
    crashed = [r for r in results if not isinstance(r, Counter)]
    assert not crashed, crashed
    total = sum(results, Counter())
    errors = {status: n for status, n in total.items() if status >= 500}
    assert not errors, f"{errors} in {dict(total)}: {server.tracebacks()}"
    assert total[200] >= LEARNERS * ROUNDS * 6, dict(total)
    db.session.rollback()  # end the test's read transaction: see what the server wrote
    started = db.session.scalar(
        sa.select(sa.func.count(Enrolment.id)).where(Enrolment.last_activity_id.is_not(None))
    )
    assert started == LEARNERS
