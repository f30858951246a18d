"""The quizzes API: quiz results, questionnaire answers and follow-up invitations of a session."""

from __future__ import annotations

from datetime import timedelta

from lms.api.models import ApiToken
from lms.db import db, utcnow
from quizzes.models import AttemptState
from tests.factories import enrol, make_course, make_run
from tests.quizzes.builders import make_attempt, make_instrument
from tests.quizzes.campaign_builders import followup_setup, tick


def _headers(user) -> dict:
    _token, raw = ApiToken.issue(user, "test", "read", None, None)
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def _session(make_user):
    trainer = make_user("trainer")
    course = make_course("quiz-api", modules=1, activities=1)
    run = make_run(course, trainers=[trainer])
    enrolment = enrol(run, make_user("learner"))
    quiz = make_instrument(
        course, "quiz-m1", [{"key": "q1", "type": "essay"}, {"key": "q2", "type": "essay"}]
    )
    survey = make_instrument(
        course,
        "satisfaction",
        [{"key": "note", "type": "score", "max_score": 0}],
        kind="questionnaire",
        purpose="satisfaction",
        settings={},
    )
    scored = make_attempt(quiz, enrolment, {"q1": {"score": 1.0}, "q2": {"score": 0.0}})
    answered = make_attempt(survey, enrolment, {"note": {"value": 9, "response": {"value": 9}}})
    make_attempt(quiz, enrolment, {}, number=2, state=AttemptState.IN_PROGRESS)
    return trainer, run, scored, answered


def test_quiz_results_and_questionnaire_answers_of_a_session(client, make_user):
    trainer, run, scored, answered = _session(make_user)
    headers = _headers(trainer)

    quizzes = client.get(f"/api/v1/sessions/{run.id}/attempts?kind=quiz", headers=headers)
    everything = client.get(f"/api/v1/sessions/{run.id}/attempts", headers=headers).get_json()
    detail = client.get(f"/api/v1/attempts/{answered.id}", headers=headers).get_json()

    [result] = quizzes.get_json()["items"]
    assert (result["id"], result["score"], result["max_score"]) == (scored.id, 1.0, 2.0)
    assert result["passed"] is True and result["instrument_key"] == "quiz-m1"
    assert everything["total"] == 2  # the attempt in progress is not a result
    assert detail["kind"] == "questionnaire"
    assert [(a["question_key"], a["value"]) for a in detail["answers"]] == [("note", 9.0)]


def test_updated_since_keeps_recent_submissions(client, make_user):
    trainer, run, scored, _answered = _session(make_user)
    since = (utcnow() + timedelta(minutes=1)).isoformat() + "+00:00"

    page = client.get(
        f"/api/v1/sessions/{run.id}/attempts",
        headers=_headers(trainer),
        query_string={"updated_since": since},
    ).get_json()

    assert page["total"] == 0


def test_another_trainer_sees_no_result_nor_answer(client, make_user):
    _trainer, run, scored, _answered = _session(make_user)
    headers = _headers(make_user("trainer"))

    listed = client.get(f"/api/v1/sessions/{run.id}/attempts", headers=headers)
    detail = client.get(f"/api/v1/attempts/{scored.id}", headers=headers)

    assert (listed.status_code, detail.status_code) == (404, 404)
    assert detail.mimetype == "application/problem+json"


def test_follow_up_invitations_of_a_session(app, client, make_user):
    run, _plan, enrolments = followup_setup(learners=2)
    tick(app, utcnow())
    admin = make_user("admin")

    page = client.get(f"/api/v1/sessions/{run.id}/followups", headers=_headers(admin)).get_json()

    assert page["total"] == 2
    assert {item["enrolment_id"] for item in page["items"]} == {e.id for e in enrolments}
    assert {(item["offset_months"], item["state"]) for item in page["items"]} == {(6, "invited")}
