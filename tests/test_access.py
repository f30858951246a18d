"""Every view, tried by people who must not get in: anonymous, another learner, another trainer.

Routes are classified by their URL: /admin/ (administrators), /formateur/ (trainers of the run),
/jury/ (the jury of the run: its trainers and invited members), /parcours/ (the learner's own
data); anything else must be listed in PUBLIC, so a new route can
never be public by accident. Object ids in the URLs are those of a victim learner's data.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.db import db
from tests.factories import enrol, make_course, make_run

#: Endpoints anyone may open (sign-in pages, token links that carry their own secret...).
PUBLIC = {
    "static",
    "courses.static",
    "quizzes.static",
    "lms.home",
    "lms.set_language",
    "lms.favicon",
    "auth.login",
    "auth.logout",
    "auth.forgot_password",
    "auth.reset_password",
    "courses.accept_invitation",
    "courses.jury_accept",
    "quizzes.public_indicators",
    "quizzes.open_data_list",
    "quizzes.open_data_file",
    "api-docs.openapi_json",
    "lms_api_docs.api_docs",
    # LTI 1.3: what a platform calls (signed id_token, OIDC state and nonce), the tool's public
    # keys, and the content picker (open only to the browser holding a validated deep-linking
    # request, else 403: tests/courses/test_lti_deep_linking.py)
    "courses.lti_login",
    "courses.lti_launch",
    "courses.lti_deep_link_launch",
    "courses.lti_jwks",
    "courses.lti_pick",
}
PUBLIC_PREFIXES = (
    "quizzes.followup_public",
    "quizzes.followup_link",
    "quizzes.followup_unsubscribe",
    "quizzes.survey_link",
    "quizzes.survey_public",
    "quizzes.survey_unsubscribe",
)
REFUSED = {403, 404}


def _audience(rule) -> str:
    if rule.endpoint in PUBLIC or rule.endpoint.startswith(PUBLIC_PREFIXES):
        return "public"
    if rule.rule.startswith("/api/"):
        return "api"
    if rule.rule.startswith("/admin/"):
        return "admin"
    if rule.rule.startswith("/formateur/"):
        return "trainer"
    if rule.rule.startswith("/jury"):
        return "jury"
    if rule.rule.startswith("/parcours"):
        return "learner"
    if rule.rule.startswith("/exemple"):
        return "learner"
    return "unclassified"


@pytest.fixture
def world(app, make_user):
    """A victim learner in run A (trainer A); another learner in run B (trainer B)."""
    trainer_a, trainer_b = make_user("trainer"), make_user("trainer")
    victim, other = make_user("learner"), make_user("learner")
    course = make_course("acces", modules=1, activities=2)
    run_a = make_run(course, trainers=[trainer_a], title="Session A")
    run_b = make_run(course, trainers=[trainer_b], title="Session B")
    enrolment = enrol(run_a, victim)
    enrol(run_b, other)
    ids = {
        "run_id": run_a.id,
        "course_id": course.id,
        "activity_id": course.modules[0].activities[0].id,
        "user_id": victim.id,
        "enrolment_id": enrolment.id,
        "token": "x" * 43,
    }
    ids.update(_quiz_objects(course, run_a, enrolment, victim))
    ids.update(_mail_objects(victim))
    ids.update(_followup_objects(run_a, enrolment))
    ids.update(_forum_objects(run_a, course, victim, other))
    ids.update(_support_objects(run_a, victim))
    ids.update(_project_objects(course, run_a, run_b, enrolment))
    ids.update(_survey_objects(ids["instrument_id"]))
    ids["token_id"] = _api_token_id(trainer_a)
    ids["platform_id"] = _lti_platform_id(run_a)
    juror_b = make_user("jury")
    from courses.projects.models import JuryMember

    db.session.add(JuryMember(run_id=run_b.id, user_id=juror_b.id))
    db.session.commit()
    return {"ids": ids, "other": other, "trainer_b": trainer_b, "juror_b": juror_b}


def _quiz_objects(course, run, enrolment, victim) -> dict:
    try:
        from quizzes.models import Answer, Attempt, Instrument, Question
    except ImportError:  # pragma: no cover
        return {}
    instrument = Instrument(
        course_id=course.id, key="acces-quiz", kind="quiz", purpose="validation", title="Quiz"
    )
    question = Question(
        instrument=instrument,
        key="q1",
        position=1,
        type="essay",
        stem_html="<p>Pourquoi ?</p>",
        settings={},
    )
    attempt = Attempt(
        instrument=instrument,
        user_id=victim.id,
        run_id=run.id,
        enrolment_id=enrolment.id,
        state="needs_grading",
    )
    answer = Answer(attempt=attempt, question=question, response={"text": "secret du voisin"})
    db.session.add_all([instrument, question, attempt, answer])
    db.session.commit()
    return {
        "instrument_id": instrument.id,
        "attempt_id": attempt.id,
        "answer_id": answer.id,
        "question_id": question.id,
    }


def _api_token_id(user) -> int:
    from lms.api.models import ApiToken

    token, _raw = ApiToken.issue(user, "victime", "read", None, None)
    db.session.commit()
    return token.id


def _lti_platform_id(run) -> int:
    from courses.lti.models import LtiPlatform

    platform = LtiPlatform(
        name="Moodle",
        issuer="https://moodle.example.org",
        client_id="c",
        auth_login_url="https://moodle.example.org/auth",
        auth_token_url="https://moodle.example.org/token",
        key_set_url="https://moodle.example.org/jwks",
        deployment_ids=["1"],
        default_run_id=run.id,
    )
    db.session.add(platform)
    db.session.commit()
    return platform.id


def _mail_objects(victim) -> dict:
    from lms.mail import queue_mail

    message = queue_mail("acces:1", victim.email, "Objet", "Corps")
    db.session.commit()
    return {"message_id": message.id}


def _followup_objects(run, enrolment) -> dict:
    from datetime import timedelta

    from lms.db import utcnow
    from quizzes.campaigns.models import Campaign, FollowUpPlan, FollowUpWave, Invitation

    wave = FollowUpWave(offset_months=6)
    db.session.add(FollowUpPlan(course_id=run.course_id, waves=[wave]))
    campaign = Campaign(run=run, wave=wave)
    invitation = Invitation(
        campaign=campaign,
        enrolment_id=enrolment.id,
        user_id=enrolment.user_id,
        nonce="n",
        token_hash="h" * 64,
        expires_at=utcnow() + timedelta(days=30),
    )
    db.session.add(invitation)
    db.session.commit()
    return {"wave_id": wave.id, "invitation_id": invitation.id}


def _survey_objects(instrument_id: int) -> dict:
    from lms.db import utcnow
    from lms.models import User
    from quizzes.surveys.models import SurveyCampaign

    owner = User(email="enquete@repondants.invalid", name="R", role="respondent", active=False)
    campaign = SurveyCampaign(
        title="Enquête", instrument_id=instrument_id, owner=owner, opens_at=utcnow()
    )
    db.session.add(campaign)
    db.session.commit()
    return {"campaign_id": campaign.id, "action": "pause"}


def _forum_objects(run, course, victim, other) -> dict:
    from courses.forum.models import ForumReport
    from courses.forum.posting import start_thread

    thread = start_thread(
        run, course.modules[0].id, victim, "Sujet", "question", "secret du voisin", False
    )
    db.session.flush()
    post = db.session.scalars(sa.select(sa.text("id")).select_from(sa.text("forum_posts"))).one()
    report = ForumReport(post_id=post, reporter_id=other.id, reason="r")
    db.session.add(report)
    db.session.commit()
    return {
        "thread_id": thread.id,
        "post_id": post,
        "module_id": course.modules[0].id,
        "report_id": report.id,
    }


def _support_objects(run, victim) -> dict:
    from courses.support.models import SupportAttachment, SupportMessage, SupportRequest
    from lms.db import utcnow

    request = SupportRequest(
        run_id=run.id,
        requester_id=victim.id,
        category="contenu",
        subject="Aide",
        due_at=utcnow(),
    )
    db.session.add(request)
    db.session.flush()
    message = SupportMessage(
        request_id=request.id, author_id=victim.id, body="secret du voisin", body_html="x"
    )
    db.session.add(message)
    db.session.flush()
    attachment = SupportAttachment(
        message_id=message.id,
        filename="a.pdf",
        content_type="application/pdf",
        size=4,
        storage_key="support/acces",
    )
    db.session.add(attachment)
    db.session.commit()
    return {"request_id": request.id, "attachment_id": attachment.id}


def _project_objects(course, run_a, run_b, enrolment) -> dict:
    """A project of the course; the victim's submission in run A with a file and a grade."""
    from courses.projects.models import (
        DefenceSlot,
        ProjectFile,
        ProjectGrade,
        ProjectSubmission,
    )
    from lms.db import utcnow

    project = course.modules[0].activities[1]
    project.kind = "project"
    project.settings = {
        "due_days": 30,
        "accepted": ["pdf"],
        "max_size_mb": 5,
        "max_files": 2,
        "pass_mark": 1,
        "rubric": [{"key": "c", "criterion": "C", "levels": [{"label": "A", "points": 2}]}],
    }
    submission = ProjectSubmission(
        run_id=run_a.id,
        activity_id=project.id,
        enrolment_id=enrolment.id,
        user_id=enrolment.user_id,
        text="secret du voisin",
        feedback="secret du voisin",
    )
    db.session.add(submission)
    db.session.flush()
    file = ProjectFile(
        submission_id=submission.id,
        filename="secret.pdf",
        content_type="application/pdf",
        size=4,
        storage_key="projects/acces",
    )
    grade = ProjectGrade(submission_id=submission.id, levels={"c": 0}, points=2, comment="x")
    slot = DefenceSlot(
        run_id=run_a.id, activity_id=project.id, enrolment_id=enrolment.id, starts_at=utcnow()
    )
    db.session.add_all([file, grade, slot])
    db.session.commit()
    return {
        "project_id": project.id,
        "submission_id": submission.id,
        "file_id": file.id,
        "fmt": "csv",
    }


def _url(app, rule, ids) -> str | None:
    values = {}
    for arg in rule.arguments:
        if arg not in ids:
            pytest.fail(
                f"test_access does not know how to fill <{arg}> of {rule.rule}: add it to world"
            )
        values[arg] = ids[arg]
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _routes(app):
    return [r for r in app.url_map.iter_rules() if _audience(r) != "public"]


def test_every_route_is_classified(app):
    unclassified = [r.rule for r in app.url_map.iter_rules() if _audience(r) == "unclassified"]
    assert unclassified == []


def _try(client, app, rule, ids):
    url = _url(app, rule, ids)
    responses = []
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        responses.append((method, client.open(url, method=method, data={})))
    return url, responses


def test_anonymous_is_sent_to_sign_in_everywhere(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = False
    for rule in _routes(app):
        url, responses = _try(client, app, rule, world["ids"])
        for method, response in responses:
            if _audience(rule) == "api":
                assert response.status_code == 401, f"{method} {url} gave {response.status_code}"
                assert response.mimetype == "application/problem+json"
                continue
            ok = response.status_code in REFUSED or (
                response.status_code in (302, 401) and "/compte/connexion" in response.location
            )
            assert ok, f"{method} {url} gave {response.status_code} to an anonymous visitor"


def _sign_in(client, user):
    from tests.conftest import TEST_PASSWORD

    return client.post("/compte/connexion", data={"email": user.email, "password": TEST_PASSWORD})


def test_another_learner_gets_nothing(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = False
    _sign_in(client, world["other"])
    for rule in _routes(app):
        if _audience(rule) == "learner" and not rule.arguments:
            continue  # their own pages ("Mon parcours")
        url, responses = _try(client, app, rule, world["ids"])
        for method, response in responses:
            body = response.get_data(as_text=True)
            refused = {401} if _audience(rule) == "api" else REFUSED  # no cookie on the API
            assert response.status_code in refused, (
                f"{method} {url} gave {response.status_code} to another learner"
            )
            assert "secret du voisin" not in body


def test_trainer_of_another_run_gets_nothing(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = False
    _sign_in(client, world["trainer_b"])
    for rule in _routes(app):
        audience = _audience(rule)
        if (
            audience == "api"
            or (audience == "learner" and not rule.arguments)
            or (
                audience in ("trainer", "jury")
                and "run_id" not in rule.arguments
                and not {"attempt_id", "answer_id", "request_id"} & set(rule.arguments)
            )
        ):
            continue  # their own home and lists; learner pages of run A are tried (no enrolment)
        url, responses = _try(client, app, rule, world["ids"])
        for method, response in responses:
            assert response.status_code in REFUSED, (
                f"{method} {url} gave {response.status_code} to a trainer of another run"
            )
            assert "secret du voisin" not in response.get_data(as_text=True)


def test_juror_of_another_run_gets_nothing(app, client, world):
    """A juror of run B: nothing of run A's projects, no learner page, no trainer page."""
    app.config["WTF_CSRF_ENABLED"] = False
    _sign_in(client, world["juror_b"])
    checked = 0
    for rule in _routes(app):
        if _audience(rule) == "api" or rule.endpoint == "courses.jury_home":
            continue  # no cookie on the API; their own list of juries
        if _audience(rule) == "learner" and not rule.arguments:
            continue  # their own pages (« Mon parcours » is empty, their personal data)
        url, responses = _try(client, app, rule, world["ids"])
        for method, response in responses:
            assert response.status_code in REFUSED, (
                f"{method} {url} gave {response.status_code} to a juror of another run"
            )
            assert "secret du voisin" not in response.get_data(as_text=True)
            checked += 1
    assert checked > 100


def test_world_has_the_victims_data(app, world):
    from courses.models import Enrolment

    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 2


def _token(user, scope="write") -> dict:
    from lms.api.models import ApiToken

    _token_row, raw = ApiToken.issue(user, "matrice", scope, None, None)
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def _api_rules(app):
    return [r for r in app.url_map.iter_rules() if _audience(r) == "api"]


def test_api_token_of_a_trainer_of_another_run_gets_nothing(app, client, world):
    headers = _token(world["trainer_b"])
    checked = 0
    for rule in _api_rules(app):
        if not {"run_id", "enrolment_id", "attempt_id"} & set(rule.arguments):
            continue  # the catalogue, and lists filtered to their own sessions
        url = _url(app, rule, world["ids"])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            body = {"name": "Intrus", "email": "intrus@example.org"}
            response = client.open(url, method=method, headers=headers, json=body)
            assert response.status_code in REFUSED, f"{method} {url}: {response.status_code}"
            assert "@example.org" not in response.get_data(as_text=True)  # no learner's data
            checked += 1
    assert checked >= 9


def test_api_tokens_of_learners_and_read_tokens_cannot_write(app, client, world, make_user):
    learner = _token(world["other"])
    admin_read = _token(make_user("admin"), scope="read")
    for rule in _api_rules(app):
        url = _url(app, rule, world["ids"])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            refused = client.open(url, method=method, headers=learner, json={})
            assert refused.status_code == 401, f"{method} {url} with a learner's token"
            if method != "GET":
                response = client.open(url, method=method, headers=admin_read, json={})
                assert response.status_code == 403, f"{method} {url} with a read token"
