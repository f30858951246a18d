"""Administrators' campaign pages: figures, preview, send now, reminders now, pause and resume,
non-respondents and phone calls; and who may open them."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.db import db, utcnow
from lms.mail.models import OutboxMessage
from quizzes.campaigns.models import Campaign, InvitationState
from quizzes.models import Attempt, Channel
from tests.conftest import csrf_token
from tests.quizzes.campaign_builders import followup_setup, invitations, tick, wave


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin", name="Claire Admin")
    login(user)
    return user


def _post(client, path: str, data: dict | None = None, page: str = "/admin/suivi"):
    return client.post(path, data={"csrf_token": csrf_token(client, page), **(data or {})})


def _paths(run, six) -> dict[str, str]:
    base = f"/admin/suivi/sessions/{run.id}/vagues/{six.id}"
    return {
        "run": f"/admin/suivi/sessions/{run.id}",
        "preview": base + "/apercu",
        "send": base + "/envoyer",
        "remind": base + "/relancer",
        "pause": base + "/pause",
        "resume": base + "/reprendre",
        "nonrespondents": base + "/sans-reponse",
    }


def test_run_page_sends_now_and_shows_the_figures(app, client, admin):
    run, plan, _enrolments = followup_setup(learners=3)
    paths = _paths(run, wave(plan, 6))
    page = client.get(paths["run"]).get_data(as_text=True)
    assert "Suivi à 6 mois" in page and "à envoyer" in page

    response = _post(client, paths["send"], page=paths["run"])
    assert response.status_code == 303
    assert len(invitations()) == 3
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 3
    mails = sorted((Path(app.instance_path) / "mail").glob("*.eml"))
    assert len(mails) == 3  # sent on commit through the file backend
    _post(client, paths["send"], page=paths["run"])
    assert len(invitations()) == 3  # nobody is invited twice

    page = client.get(paths["run"]).get_data(as_text=True)
    assert "envoyée" in page and '<td class="num">3</td>' in page
    overview = client.get("/admin/suivi").get_data(as_text=True)
    assert run.title in overview and "Suivi à 12 mois" in overview and "à venir" in overview


def test_preview_shows_the_personalised_mail_without_queuing(app, client, admin, make_user):
    trainer = make_user("trainer", name="Hélène Formatrice")
    run, plan, _enrolments = followup_setup(learners=1, trainer=trainer)
    paths = _paths(run, wave(plan, 6))
    page = client.get(paths["preview"]).get_data(as_text=True)
    assert "Bonjour Stagiaire 0" in page and "Hélène Formatrice" in page and run.title in page
    reminder = client.get(paths["preview"] + "?relance=1").get_data(as_text=True)
    assert "Nous vous avons écrit récemment" in reminder
    html = client.get(paths["preview"] + "/html")
    assert "sandbox" in html.headers["Content-Security-Policy"]
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0


def test_instance_mail_templates_override_the_shipped_ones(app, client, admin):
    folder = Path(app.instance_path) / "mail_templates"
    folder.mkdir(parents=True)
    (folder / "invitation.subject.txt").write_text("Objet maison pour {{ user.name }}")
    run, plan, _enrolments = followup_setup(learners=1)
    tick(app, utcnow())
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.subject == "Objet maison pour Stagiaire 0"
    assert "Bonjour Stagiaire 0" in message.body_text  # the other files are the shipped ones


def test_pause_stops_everything_until_resumed(app, client, admin):
    run, plan, _enrolments = followup_setup(learners=2)
    paths = _paths(run, wave(plan, 6))
    _post(client, paths["pause"], page=paths["run"])
    assert "en pause" in client.get(paths["run"]).get_data(as_text=True)
    now = utcnow()
    tick(app, now)
    assert invitations() == []
    _post(client, paths["send"], page=paths["run"])
    assert invitations() == []

    _post(client, paths["resume"], page=paths["run"])
    tick(app, now)
    assert len(invitations()) == 2
    _post(client, paths["pause"], page=paths["run"])
    tick(app, now + timedelta(days=15))
    assert all(i.reminders == 0 for i in invitations())


def test_reminders_now_go_to_non_respondents_only(app, client, admin):
    run, plan, enrolments = followup_setup(learners=3)
    paths = _paths(run, wave(plan, 6))
    tick(app, utcnow())
    _post(client, paths["remind"], page=paths["run"])
    assert all(i.reminders == 0 for i in invitations())  # less than 20 hours after the invitation

    rows = invitations()
    for invitation in rows:
        invitation.sent_at -= timedelta(days=2)
    answered = rows[0]
    answered.state, answered.answered_at = InvitationState.ANSWERED, utcnow()
    db.session.commit()
    _post(client, paths["remind"], page=paths["run"])
    assert [i.reminders for i in invitations()] == [0, 1, 1]
    keys = set(db.session.scalars(sa.select(OutboxMessage.key)))
    assert f"followup:{invitations()[1].id}:reminder:1" in keys


def test_non_respondents_phone_mark_and_phone_entry(app, client, admin):
    run, plan, enrolments = followup_setup(learners=2)
    paths = _paths(run, wave(plan, 6))
    tick(app, utcnow())
    target = invitations()[1]
    page = client.get(paths["nonrespondents"]).get_data(as_text=True)
    assert "Stagiaire 0" in page and "Stagiaire 1" in page

    _post(client, f"/admin/suivi/invitations/{target.id}/appel", page=paths["nonrespondents"])
    assert invitations()[1].phone_call is True
    assert "à appeler" in client.get(paths["nonrespondents"]).get_data(as_text=True)

    entry = f"/admin/suivi/invitations/{target.id}/saisie"
    form = client.get(entry)
    assert form.status_code == 200 and "Stagiaire 1" in form.get_data(as_text=True)
    attempt = db.session.get(Attempt, invitations()[1].attempt_id)
    fields = {q.key: f"q{q.id}" for q in attempt.instrument.questions}
    data = {
        fields["applique"]: "no",
        fields["commentaire"]: "Pas encore eu l'occasion.",
        "action": "submit",
    }
    assert _post(client, entry, data, page=entry).status_code == 303

    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.channel == Channel.PHONE and attempt.entered_by_id == admin.id
    assert attempt.submitted_at is not None
    assert invitations()[1].state == InvitationState.ANSWERED
    page = client.get(paths["nonrespondents"]).get_data(as_text=True)
    assert f"/invitations/{target.id}/saisie" not in page
    assert f"/invitations/{invitations()[0].id}/saisie" in page


def test_plan_page_creates_and_edits_waves(app, client, admin):
    run, plan, _enrolments = followup_setup(learners=1)
    six = wave(plan, 6)
    page = f"/admin/suivi/formations/{run.course_id}"
    assert "Suivi à 12 mois" in client.get(page).get_data(as_text=True)
    prefix = f"w{six.id}-"
    data = {
        prefix + "instrument_id": str(six.instrument_id),
        prefix + "offset_months": "3",
        prefix + "first_reminder_days": "7",
        prefix + "reminder_interval_days": "5",
        prefix + "max_reminders": "1",
        prefix + "expiry_days": "30",
        "action": "save",
    }
    assert _post(client, f"/admin/suivi/vagues/{six.id}", data, page=page).status_code == 303
    db.session.expire_all()
    assert (six.offset_months, six.max_reminders, six.expiry_days) == (3, 1, 30)
    data[prefix + "offset_months"] = "0"
    _post(client, f"/admin/suivi/vagues/{six.id}", data, page=page)
    db.session.expire_all()
    assert six.offset_months == 3  # refused: out of range


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_cannot_open_campaign_pages(app, client, make_user, login, role):
    user = make_user(role)
    run, plan, _enrolments = followup_setup(learners=1, trainer=user if role == "trainer" else None)
    tick(app, utcnow())
    login(user)
    paths = _paths(run, wave(plan, 6))
    invitation = invitations()[0]
    for path in (
        "/admin/suivi",
        paths["run"],
        paths["preview"],
        paths["nonrespondents"],
        f"/admin/suivi/formations/{run.course_id}",
        f"/admin/suivi/sessions/{run.id}/reponses",
        f"/admin/suivi/sessions/{run.id}/droit-de-suite",
        f"/admin/suivi/invitations/{invitation.id}/saisie",
    ):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/admin/suivi")  # the sign-out form of the 403 page
    for path in (paths["send"], paths["pause"], f"/admin/suivi/invitations/{invitation.id}/appel"):
        assert client.post(path, data={"csrf_token": token}).status_code == 403, path
    assert db.session.scalar(sa.select(Campaign.paused)) is False
    assert invitations()[0].phone_call is False


def test_signed_out_visitors_are_sent_to_the_login_page(app, client):
    response = client.get("/admin/suivi")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_followups_status_command_lists_what_is_due_when(app):
    run, _plan, _enrolments = followup_setup(learners=2)
    tick(app, utcnow())
    result = app.test_cli_runner().invoke(args=["lms", "followups", "status"])
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if run.title in line]
    assert len(lines) == 2
    assert "sent" in lines[0] and "planned" in lines[1]
