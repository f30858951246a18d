"""AGS: a quiz submitted after an LTI launch is scored in the platform's gradebook by ``tick``."""

from __future__ import annotations

from datetime import timedelta

import requests
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from courses.lti.models import LtiAccount, LtiScore
from courses.models import Enrolment
from lms.db import db, utcnow
from quizzes.taking import attempts
from tests.courses.lti_fixtures import *  # noqa: F403 - fixtures
from tests.quizzes.builders import choice_settings, make_instrument
from tests.support.lti_platform import LTI, SCORE


def _quiz(run, purpose="validation"):
    question = {"key": "q1", "type": "single_choice", "settings": choice_settings("Oui", "Non")}
    return make_instrument(run.course, f"quiz-{purpose}", [question], purpose=purpose)


def _launch(tool, platform, quiz, run, ags: dict, link="link-quiz", activity=True):
    custom = {"parcours_run": str(run.id)}
    if activity:
        custom["parcours_activity"] = str(quiz.activity_id)

    def make(nonce):
        extra = {LTI + "custom": custom, LTI + "resource_link": {"id": link}, **ags}
        return platform.claims(nonce, sub="moodle-42", **extra)

    with requests.Session() as browser:
        response, _form = platform.launch(browser, tool, make=make)
    assert response.status_code == 302, response.text
    db.session.rollback()  # see what the server committed


def _submit(quiz, run, answer="a"):
    account = db.session.scalar(sa.select(LtiAccount).where(LtiAccount.sub == "moodle-42"))
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.user_id == account.user_id, Enrolment.run_id == run.id)
    )
    attempt = attempts.start(quiz, account.user, run.id, enrolment)
    attempts.save_answers(attempt, MultiDict({f"q{quiz.questions[0].id}": answer}))
    attempts.submit(attempt)
    db.session.commit()
    return attempt


def _tick(app, when=None):
    args = ["lms", "tick"]
    if when:
        args += ["--now", when.replace(microsecond=0).isoformat() + "+00:00"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output


def test_score_is_queued_with_the_submission_and_sent_by_tick(
    app, tool, platform, registered, run, client
):
    quiz = _quiz(run)
    _launch(tool, platform, quiz, run, platform.ags_claim())
    _submit(quiz, run)
    assert db.session.scalar(sa.select(sa.func.count(LtiScore.id))) == 1
    assert "en attente : 1" in client.get("/admin/lti/plateformes").get_data(as_text=True)

    _tick(app)
    (received,) = platform.scores
    assert received["path"] == "/lineitems/1/lineitem/scores"
    score = received["score"]
    assert (score["userId"], score["scoreGiven"], score["scoreMaximum"]) == ("moodle-42", 1, 1)
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert platform.tokens and SCORE in platform.tokens[0]["scope"]
    page = client.get("/admin/lti/plateformes").get_data(as_text=True)
    assert "envoyées : 1" in page and "en attente : 0" in page

    _tick(app)
    assert len(platform.scores) == 1  # sent once


def test_refused_score_is_retried_and_the_error_shown(app, tool, platform, registered, run, client):
    quiz = _quiz(run)
    _launch(tool, platform, quiz, run, platform.ags_claim())
    _submit(quiz, run, answer="b")
    platform.fail_scores = True
    _tick(app)
    assert platform.scores == []
    page = client.get("/admin/lti/plateformes").get_data(as_text=True)
    assert "HTTP 503" in page and "en attente : 1" in page

    platform.fail_scores = False
    _tick(app)  # not due yet
    assert platform.scores == []
    _tick(app, utcnow() + timedelta(minutes=2))
    (received,) = platform.scores
    assert received["score"]["scoreGiven"] == 0


def test_whole_course_link_creates_a_line_item_per_quiz(
    app, tool, platform, registered, run, client
):
    quiz = _quiz(run)
    _launch(tool, platform, quiz, run, platform.ags_claim(lineitem=False), activity=False)
    _submit(quiz, run)
    _tick(app)
    db.session.rollback()
    assert db.session.scalar(sa.select(LtiScore.last_error)) is None
    (item,) = platform.lineitems
    assert item["resourceId"] == f"activity-{quiz.activity_id}"
    assert item["label"] == quiz.title and item["scoreMaximum"] == 100
    (received,) = platform.scores
    assert received["path"] == item["id"].removeprefix(platform.url) + "/scores"

    db.session.rollback()
    _submit(quiz, run)  # a second attempt goes to the same line item
    _tick(app)
    assert len(platform.lineitems) == 1 and len(platform.scores) == 2


def test_no_score_without_an_lti_launch(app, tool, platform, registered, run, make_user):
    from tests.factories import enrol

    quiz = _quiz(run)
    learner = make_user("learner")
    enrolment = enrol(run, learner)
    attempt = attempts.start(quiz, learner, run.id, enrolment)
    attempts.submit(attempt)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(LtiScore.id))) == 0


def test_a_token_refused_by_the_platform_is_shown_and_nothing_stops_tick(
    app, tool, platform, registered, run, client
):
    quiz = _quiz(run)
    _launch(tool, platform, quiz, run, platform.ags_claim())
    _submit(quiz, run)
    platform.tool_jwks_url = f"{platform.url}/jwks"  # the platform no longer knows the tool's key
    _tick(app)
    assert platform.scores == [] and platform.tokens == []
    page = client.get("/admin/lti/plateformes").get_data(as_text=True)
    assert "HTTP 401" in page


def test_a_graded_essay_sends_the_new_score_again(app, tool, platform, registered, run, make_user):
    from quizzes.taking.grading import grade_answer

    quiz = make_instrument(
        run.course,
        "quiz-essai",
        [
            {"key": "q1", "type": "single_choice", "settings": choice_settings("Oui", "Non")},
            {"key": "essai", "type": "essay", "max_score": 4},
        ],
    )
    _launch(tool, platform, quiz, run, platform.ags_claim())
    account = db.session.scalar(sa.select(LtiAccount).where(LtiAccount.sub == "moodle-42"))
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.user_id == account.user_id, Enrolment.run_id == run.id)
    )
    attempt = attempts.start(quiz, account.user, run.id, enrolment)
    ids = {q.key: q.id for q in quiz.questions}
    attempts.save_answers(
        attempt, MultiDict({f"q{ids['q1']}": "a", f"q{ids['essai']}": "Mon essai"})
    )
    attempts.submit(attempt)
    db.session.commit()
    _tick(app)
    (pending,) = platform.scores
    assert pending["score"]["gradingProgress"] == "PendingManual"

    essay = next(a for a in attempt.answers if a.question_id == ids["essai"])
    grade_answer(essay, 3, "Bien argumenté", make_user("trainer"))
    db.session.commit()
    _tick(app)
    assert len(platform.scores) == 2
    graded = platform.scores[1]["score"]
    assert graded["gradingProgress"] == "FullyGraded"
    assert (graded["scoreGiven"], graded["scoreMaximum"]) == (4, 5)
    assert graded["timestamp"] > pending["score"]["timestamp"]
