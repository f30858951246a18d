"""xAPI: statements queued with their event, sent by ``tick`` to a REAL Ralph LRS, read back."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from lms.db import db, utcnow
from lms.xapi.models import XapiStatement
from lms.xapi.queue import registration
from quizzes.taking import attempts
from tests.conftest import csrf_token, unavailable
from tests.factories import enrol, make_course, make_run
from tests.quizzes.builders import choice_settings, make_instrument
from tests.support import ralph as ralph_support

VERB = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def ralph(tmp_path):
    """A Ralph LRS on loopback, for one test.

    Ralph's file-system backend accepts a single write per file (it creates ``fs_lrs.jsonl``
    and refuses to append to it), so each test gets a fresh server.
    """
    (tmp_path / "ralph").mkdir()
    try:
        server = ralph_support.start(tmp_path / "ralph")
    except ralph_support.RalphUnavailable as exc:
        unavailable(str(exc))
    yield server
    server.stop()


def _configure(app, ralph) -> None:
    app.config.update(
        XAPI_LRS_URL=ralph.url, XAPI_LRS_USERNAME=ralph.username, XAPI_LRS_PASSWORD=ralph.password
    )


def _learn(client, make_user, login):
    """A learner opens and completes a lesson, then passes a one-question quiz."""
    course = make_course("xapi-" + str(utcnow().timestamp()).replace(".", ""), 1, 2)
    run = make_run(course)
    learner = make_user("learner")
    enrolment = enrol(run, learner)
    login(learner)
    lesson = course.modules[0].activities[0]
    url = f"/parcours/sessions/{run.id}/activites/{lesson.id}"
    client.post(url + "/terminer", data={"csrf_token": csrf_token(client, url), "done": "1"})
    question = {"key": "q1", "type": "single_choice", "settings": choice_settings("Oui", "Non")}
    quiz = make_instrument(course, "quiz-xapi", [question])
    attempt = attempts.start(quiz, learner, run.id, enrolment)
    attempts.save_answers(attempt, MultiDict({f"q{quiz.questions[0].id}": "a"}))
    attempts.submit(attempt)
    db.session.commit()
    return run, lesson, quiz, attempt


def _tick(app, now=None):
    args = ["lms", "tick"] + (
        ["--now", now.replace(microsecond=0).isoformat() + "+00:00"] if now else []
    )
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


def test_statements_reach_ralph_with_the_session_registration(app, client, make_user, login, ralph):
    _configure(app, ralph)
    run, lesson, quiz, attempt = _learn(client, make_user, login)

    output = _tick(app)
    stored = ralph.statements(registration=registration(run.id))

    assert "xAPI statement(s) sent" in output
    verbs = {
        (s["verb"]["id"].removeprefix(VERB), s["object"]["id"].rsplit("/", 1)[-1]) for s in stored
    }
    assert {("launched", lesson.key), ("completed", lesson.key)} <= verbs
    assert {
        ("attempted", "quiz-xapi"),
        ("completed", "quiz-xapi"),
        ("passed", "quiz-xapi"),
        ("answered", "q1"),
    } <= verbs
    completed = next(
        s
        for s in stored
        if s["verb"]["id"].endswith("completed") and s["object"]["id"].endswith("quiz-xapi")
    )
    assert completed["result"]["score"]["max"] == attempt.max_score
    assert completed["context"]["registration"] == registration(run.id)
    assert completed["actor"]["account"]["homePage"] == app.config["LMS_BASE_URL"].rstrip("/")
    assert db.session.scalar(sa.select(sa.func.count()).where(XapiStatement.sent_at.is_(None))) == 0
    _tick(app)  # nothing is sent twice
    assert len(ralph.statements(registration=registration(run.id))) == len(stored)


def test_an_unreachable_lrs_is_retried_later(app, client, make_user, login, ralph):
    app.config.update(XAPI_LRS_URL="http://127.0.0.1:9/xAPI", XAPI_TIMEOUT=2)
    run, *_ = _learn(client, make_user, login)

    _tick(app)
    rows = db.session.scalars(sa.select(XapiStatement)).all()
    assert rows and all(r.sent_at is None and r.attempts == 1 and r.last_error for r in rows)
    assert all(r.next_attempt_at > utcnow() for r in rows)

    _configure(app, ralph)
    _tick(app, utcnow() + timedelta(minutes=2))
    db.session.expire_all()
    assert all(r.sent_at is not None for r in db.session.scalars(sa.select(XapiStatement)))
    assert len(ralph.statements(registration=registration(run.id))) == len(rows)


def test_nothing_is_queued_without_an_lrs(app, client, make_user, login):
    app.config["XAPI_LRS_URL"] = ""
    _learn(client, make_user, login)

    assert db.session.scalar(sa.select(sa.func.count()).select_from(XapiStatement)) == 0
    assert "xAPI" not in _tick(app)


def test_a_follow_up_answer_is_queued_as_responded(app, make_user):
    app.config["XAPI_LRS_URL"] = "http://127.0.0.1:9/xAPI"
    course = make_course("suivi-xapi", 1, 1)
    run = make_run(course)
    learner = make_user("learner")
    enrolment = enrol(run, learner)
    questionnaire = make_instrument(
        course,
        "suivi-6-mois",
        [{"key": "note", "type": "score", "max_score": 0}],
        kind="questionnaire",
        purpose="followup_6m",
        settings={},
    )
    attempt = attempts.start(questionnaire, learner, run.id, enrolment)
    attempts.submit(attempt)
    db.session.commit()

    [row] = db.session.scalars(sa.select(XapiStatement)).all()
    assert row.payload["verb"]["id"] == VERB + "responded"
    assert row.payload["object"]["id"].endswith("/suivi-xapi/suivi-6-mois")
    assert row.payload["context"]["registration"] == registration(run.id)
