"""Follow-up campaigns end to end with a real SMTP server and ``flask lms tick --now``: the run
ends, six months later the invitations go out, reminders reach only those who have not answered,
answering through the link stops them, the second wave goes out at twelve months and the first
wave's links then show a clear "expired" page."""

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from courses.models import EnrolmentStatus
from lms.db import db, utcnow
from lms.mail.models import OutboxMessage
from quizzes.campaigns.models import InvitationState
from quizzes.campaigns.timing import add_months
from quizzes.models import Attempt, Channel
from tests.conftest import csrf_token
from tests.quizzes.campaign_builders import followup_setup, invitations, links, tick, wave


def _answer(client, token: str, submit: bool = True, applique: str = "yes"):
    page = client.get(f"/suivi/{token}")
    assert page.status_code == 200
    attempt = db.session.scalar(sa.select(Attempt).order_by(Attempt.id.desc()))
    fields = {q.key: f"q{q.id}" for q in attempt.instrument.questions}
    data = {
        fields["applique"]: applique,
        fields["frequence"]: "3",
        fields["commentaire"]: "J'ai lancé un budget participatif.",
        "action": "submit" if submit else "save",
        "csrf_token": csrf_token(client, f"/suivi/{token}"),
    }
    return client.post(f"/suivi/{token}", data=data)


def _noon(day) -> datetime:
    return datetime.combine(day, time(10, 0))


def test_waves_reminders_and_expiry_with_a_real_smtp_server(app, client, smtp_server):
    app.config.update(smtp_server.config())
    run, plan, enrolments = followup_setup(learners=3)
    first, second, third = (e.user.email for e in enrolments)
    six = wave(plan, 6)
    due = add_months(run.ends_on, 6)

    tick(app, _noon(due - timedelta(days=1)))
    assert smtp_server.messages == []  # not due yet

    now = utcnow()
    tick(app, now)
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        f"Stagiaire {i} <stagiaire{i}@example.org>" for i in range(3)
    )
    invitation_mail = smtp_server.to(first)[0]
    assert "Formation « Formation suivi »" in invitation_mail["Subject"]
    text = invitation_mail.get_body(("plain",)).get_content()
    assert "Bonjour Stagiaire 0" in text and run.title in text
    assert (
        str(invitation_mail["List-Unsubscribe"])
        .strip()
        .startswith("<http://localhost/suivi/desinscription/")
    )
    assert invitation_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert invitation_mail.get_body(("html",)) is not None

    tick(app, now + timedelta(minutes=5))
    assert len(smtp_server.messages) == 3  # idempotent

    assert _answer(client, links(smtp_server.to(first))[0]).status_code == 303

    tick(app, now + timedelta(days=six.first_reminder_days, hours=1))
    reminded = [m["To"] for m in smtp_server.messages[3:]]
    assert len(reminded) == 2 and all(first not in to for to in reminded)
    assert all(m["Subject"].startswith("Rappel") for m in smtp_server.messages[3:])
    assert links(smtp_server.to(second))[0] == links(smtp_server.to(second))[1]  # same link

    assert _answer(client, links(smtp_server.to(second))[0]).status_code == 303
    later = now + timedelta(days=six.first_reminder_days + six.reminder_interval_days, hours=2)
    tick(app, later)
    assert [m["To"] for m in smtp_server.messages[5:]] == [f"Stagiaire 2 <{third}>"]
    tick(app, later + timedelta(days=30))
    assert len(smtp_server.to(third)) == 3  # invitation + at most 2 reminders

    tick(app, _noon(add_months(run.ends_on, 12)))
    wave_two = smtp_server.messages[6:]
    assert sorted(m["To"].split("<")[1] for m in wave_two) == sorted(
        f"{e}>" for e in (first, second, third)
    )
    states = {(i.campaign.wave.offset_months, i.user.email): i.state for i in invitations()}
    assert states[(6, third)] == InvitationState.EXPIRED
    assert states[(6, first)] == InvitationState.ANSWERED

    expired = client.get(f"/suivi/{links(smtp_server.to(third))[0]}")
    assert expired.status_code == 410
    assert "Ce lien a expiré" in expired.get_data(as_text=True)
    fresh = links(smtp_server.to(third))[-1]
    assert client.get(f"/suivi/{fresh}").status_code == 200


def test_answers_are_saved_changeable_then_read_only(app, client, smtp_server):
    app.config.update(smtp_server.config())
    _run, _plan, enrolments = followup_setup(learners=1)
    tick(app, utcnow())
    token = links(smtp_server.messages)[0]

    assert _answer(client, token, submit=False, applique="no").status_code == 303
    page = client.get(f"/suivi/{token}").get_data(as_text=True)
    assert 'value="no" checked' in page
    assert _answer(client, token, applique="yes").status_code == 303
    thanks = client.get(f"/suivi/{token}/merci")
    assert thanks.status_code == 200 and "Merci" in thanks.get_data(as_text=True)

    attempt = db.session.scalar(sa.select(Attempt))
    assert attempt.channel == Channel.EMAIL_LINK and attempt.entered_by_id is None
    assert attempt.user_id == enrolments[0].user_id and attempt.submitted_at is not None
    again = client.get(f"/suivi/{token}")
    assert again.status_code == 410
    body = again.get_data(as_text=True)
    assert "Vous avez déjà répondu" in body and "budget participatif" not in body


def test_withdrawn_and_unfinished_enrolments_get_no_invitation(app, smtp_server):
    app.config.update(smtp_server.config())
    _run, _plan, enrolments = followup_setup(learners=3)
    enrolments[1].status = EnrolmentStatus.WITHDRAWN
    enrolments[2].status = EnrolmentStatus.ACTIVE
    db.session.commit()
    tick(app, utcnow())
    assert [m["To"] for m in smtp_server.messages] == ["Stagiaire 0 <stagiaire0@example.org>"]
    keys = set(db.session.scalars(sa.select(OutboxMessage.key)))
    assert keys == {f"followup:{invitations()[0].id}:invite"}


def test_people_who_chose_english_get_the_mail_in_english(app, smtp_server):
    app.config.update(smtp_server.config())
    _run, _plan, enrolments = followup_setup(learners=2)
    enrolments[1].user.locale = "en"
    db.session.commit()
    tick(app, utcnow())
    french = smtp_server.to(enrolments[0].user.email)[0]
    english = smtp_server.to(enrolments[1].user.email)[0]
    assert french["Subject"] == "Formation « Formation suivi » : où en êtes-vous ?"
    assert english["Subject"] == "Training “Formation suivi”: where are you now?"
    assert "Answer the questionnaire:" in english.get_body(("plain",)).get_content()
    assert "Answer the questionnaire" in english.get_body(("html",)).get_content()


def test_one_questionnaire_may_serve_both_waves(app, client, smtp_server):
    app.config.update(smtp_server.config())
    run, plan, _enrolments = followup_setup(learners=1)
    wave(plan, 12).instrument_id = wave(plan, 6).instrument_id
    db.session.commit()
    tick(app, utcnow())
    assert _answer(client, links(smtp_server.messages)[0]).status_code == 303
    tick(app, _noon(add_months(run.ends_on, 12)))
    assert _answer(client, links(smtp_server.messages[1:])[0]).status_code == 303
    numbers = db.session.execute(sa.select(Attempt.number, Attempt.submitted_at)).all()
    assert sorted(n for n, _at in numbers) == [1, 2] and all(at for _n, at in numbers)
