"""Personal follow-up links: tampered, reused or expired links are refused with a clear page, a
link never opens another person's questionnaire, and unsubscribing is honoured."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.db import db, utcnow
from quizzes.campaigns.models import FollowUpOptOut
from quizzes.models import Answer, Attempt
from tests.conftest import csrf_token
from tests.quizzes.campaign_builders import (
    UNSUBSCRIBE,
    followup_setup,
    invitations,
    links,
    tick,
)


@pytest.fixture
def sent(app, smtp_server):
    """Two learners invited through a real SMTP server; returns (enrolments, {email: token})."""
    app.config.update(smtp_server.config())
    _run, _plan, enrolments = followup_setup(learners=2)
    tick(app, utcnow())
    tokens = {e.user.email: links(smtp_server.to(e.user.email))[0] for e in enrolments}
    return enrolments, tokens


def _fields(token_page_attempt: Attempt) -> dict[str, str]:
    return {q.key: f"q{q.id}" for q in token_page_attempt.instrument.questions}


def test_tampered_links_are_refused(client, sent):
    _enrolments, tokens = sent
    token = next(iter(tokens.values()))
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (altered, token[:-3], "x" * 43, "x" * 500):
        response = client.get(f"/suivi/{bad}")
        assert response.status_code == 404
        assert "Ce lien ne fonctionne pas" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0


def test_a_link_opens_only_its_own_questionnaire(client, sent):
    enrolments, tokens = sent
    first, second = enrolments
    page = client.get(f"/suivi/{tokens[first.user.email]}").get_data(as_text=True)
    assert "Stagiaire 0" in page and "Stagiaire 1" not in page
    attempt = db.session.scalar(sa.select(Attempt))
    assert attempt.user_id == first.user_id

    other = client.get(f"/suivi/{tokens[second.user.email]}").get_data(as_text=True)
    assert "Stagiaire 1" in other and "Stagiaire 0" not in other
    fields = _fields(attempt)
    path = f"/suivi/{tokens[first.user.email]}"
    client.post(
        path,
        data={
            fields["applique"]: "no",
            "action": "save",
            "csrf_token": csrf_token(client, path),
            "attempt_id": "2",
            "user_id": str(second.user_id),
        },
    )
    answers = db.session.execute(sa.select(Attempt.user_id, Answer.response).join(Answer)).all()
    assert answers == [(first.user_id, {"choice": "no"})]
    by_user = {i.user_id: i.attempt.user_id for i in invitations()}
    assert by_user == {first.user_id: first.user_id, second.user_id: second.user_id}


def test_used_link_refuses_further_changes(client, sent):
    enrolments, tokens = sent
    path = f"/suivi/{tokens[enrolments[0].user.email]}"
    client.get(path)
    fields = _fields(db.session.scalar(sa.select(Attempt)))
    client.post(
        path,
        data={
            fields["applique"]: "yes",
            "action": "submit",
            "csrf_token": csrf_token(client, path),
        },
    )
    response = client.post(
        path,
        data={fields["applique"]: "no", "action": "submit", "csrf_token": csrf_token(client, path)},
    )
    assert response.status_code == 410
    assert "Vous avez déjà répondu" in response.get_data(as_text=True)
    assert db.session.scalar(
        sa.select(Answer.response).where(Answer.question_id == int(fields["applique"][1:]))
    ) == {"choice": "yes"}


def test_missing_required_answer_keeps_the_questionnaire_open(client, sent):
    enrolments, tokens = sent
    path = f"/suivi/{tokens[enrolments[0].user.email]}"
    client.get(path)
    fields = _fields(db.session.scalar(sa.select(Attempt)))
    response = client.post(
        path,
        data={
            fields["commentaire"]: "Un début",
            "action": "submit",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert response.status_code == 422
    assert "Il manque des réponses obligatoires" in response.get_data(as_text=True)
    assert invitations()[0].state == "invited"
    assert client.get(path).status_code == 200


def test_expired_link_is_refused_even_before_the_tick_marks_it(client, sent):
    enrolments, tokens = sent
    invitation = invitations()[0]
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(f"/suivi/{tokens[enrolments[0].user.email]}")
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.get_data(as_text=True)


def test_autosave_keeps_answers(client, sent):
    enrolments, tokens = sent
    path = f"/suivi/{tokens[enrolments[0].user.email]}"
    client.get(path)
    fields = _fields(db.session.scalar(sa.select(Attempt)))
    response = client.post(
        path + "/enregistrer",
        data={fields["frequence"]: "2", "csrf_token": csrf_token(client, path)},
    )
    assert response.status_code == 200 and response.get_json()["saved"] is True
    assert db.session.scalar(sa.select(Answer.response)) == {"choice": "2"}


def test_unsubscribe_page_confirms_with_a_post_and_is_honoured(app, client, smtp_server, sent):
    enrolments, _tokens = sent
    first = enrolments[0].user
    body = smtp_server.to(first.email)[0].get_body(("plain",)).get_content()
    path = "/suivi/desinscription/" + UNSUBSCRIBE.search(body).group(1)
    page = client.get(path)
    assert page.status_code == 200 and "Ne plus recevoir" in page.get_data(as_text=True)
    assert db.session.get(FollowUpOptOut, first.id) is None  # a GET changes nothing
    assert client.post(path, data={}).status_code == 400  # no CSRF token, not one-click
    done = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 200 and db.session.get(FollowUpOptOut, first.id) is not None

    before = len(smtp_server.messages)
    tick(app, utcnow() + timedelta(days=11))
    reminded = [m["To"] for m in smtp_server.messages[before:]]
    assert len(reminded) == 1 and first.email not in reminded[0]


def test_one_click_unsubscribe_from_a_mail_client(client, smtp_server, sent):
    enrolments, _tokens = sent
    second = enrolments[1].user
    header = str(smtp_server.to(second.email)[0]["List-Unsubscribe"]).strip()
    path = header.strip("<>").removeprefix("http://localhost")
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert db.session.get(FollowUpOptOut, second.id) is not None
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200  # twice


def test_tampered_unsubscribe_link_is_refused(client, sent):
    assert client.get("/suivi/desinscription/MQ.forged").status_code == 404
    assert (
        client.post(
            "/suivi/desinscription/MQ.forged", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 404
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUpOptOut)) == 0
