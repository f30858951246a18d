"""Support requests: opening with an attachment, routing, answers by e-mail, queue, report."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from courses.support.clock import due_at
from courses.support.models import SupportAttachment, SupportRequest
from lms.db import db, utcnow
from lms.mail.models import OutboxMessage
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run

PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture
def world(make_user):
    trainer = make_user("trainer", name="Hélène Formatrice")
    admin = make_user("admin", name="Ada Admin")
    learner = make_user("learner", name="Alice Martin")
    run = make_run(make_course("aide", modules=1, activities=1), trainers=[trainer])
    enrol(run, learner)
    return {"trainer": trainer, "admin": admin, "learner": learner, "run": run}


def open_request(client, run, category="contenu", filename="capture.pdf", data=PDF, **extra):
    path = f"/parcours/sessions/{run.id}/aide/nouvelle"
    form = {
        "category": category,
        "subject": "Je ne comprends pas",
        "body": "La notion de **consultation**.",
        "csrf_token": csrf_token(client, path),
        **extra,
    }
    if filename:
        form["attachment"] = (io.BytesIO(data), filename)
    return client.post(path, data=form, content_type="multipart/form-data")


def mails_to(user) -> list[OutboxMessage]:
    return list(
        db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_addr == user.email))
    )


def test_learner_opens_a_content_request_the_trainer_answers_by_e_mail(client, world, login):
    login(world["learner"])
    response = open_request(client, world["run"])
    assert response.status_code == 302
    request = db.session.scalar(sa.select(SupportRequest))
    assert request.due_at == request.created_at + timedelta(hours=48)
    [staff_mail] = mails_to(world["trainer"])
    assert "Je ne comprends pas" in staff_mail.subject and mails_to(world["admin"]) == []

    login(world["trainer"])
    queue = client.get("/formateur/assistance").get_data(as_text=True)
    assert "Je ne comprends pas" in queue and "Alice Martin" in queue
    page = f"/formateur/assistance/{request.id}"
    token = csrf_token(client, page)
    client.post(page, data={"body": "Voici la réponse.", "csrf_token": token})
    db.session.refresh(request)
    assert request.first_response_at is not None
    [answer] = mails_to(world["learner"])
    assert "Voici la réponse." in answer.body_text and f"/aide/{request.id}" in answer.body_text

    login(world["learner"])
    mine = f"/parcours/sessions/{world['run'].id}/aide/{request.id}"
    html = client.get(mine).get_data(as_text=True)
    assert "Voici la réponse." in html and "capture.pdf" in html
    client.post(f"{mine}/fermer", data={"csrf_token": csrf_token(client, mine)})
    db.session.refresh(request)
    assert request.status == "closed"


def test_attachment_type_is_sniffed_and_size_bounded(client, world, login, monkeypatch):
    monkeypatch.setattr("courses.support.files.MAX_BYTES", 1024)
    login(world["learner"])
    fake = open_request(client, world["run"], filename="facture.pdf", data=b"<html>x</html>")
    html = fake.get_data(as_text=True)
    assert fake.status_code == 400 and "Seules les images" in html
    assert 'value="Je ne comprends pas"' in html  # nothing typed is lost
    big = open_request(client, world["run"], data=PDF + b"0" * 1024)
    assert big.status_code == 400 and "Le fichier dépasse" in big.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(SupportRequest.id))) == 0
    png = open_request(client, world["run"], filename="ecran.txt", data=b"\x89PNG\r\n\x1a\nxx")
    assert png.status_code == 302
    stored = db.session.scalar(sa.select(SupportAttachment))
    assert (stored.filename, stored.content_type) == ("ecran.png", "image/png")


def test_download_is_an_attachment_never_sniffed_and_only_for_the_people_concerned(
    client, world, make_user, login
):
    login(world["learner"])
    open_request(client, world["run"])
    request = db.session.scalar(sa.select(SupportRequest))
    file = db.session.scalar(sa.select(SupportAttachment))
    path = f"/parcours/sessions/{world['run'].id}/aide/{request.id}/pieces/{file.id}"
    response = client.get(path)
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    other = make_user("learner")
    enrol(world["run"], other)
    login(other)
    assert client.get(path).status_code == 404
    assert client.get(f"/parcours/sessions/{world['run'].id}/aide/{request.id}").status_code == 404
    login(make_user("trainer"))
    assert client.get(f"/formateur/assistance/{request.id}/pieces/{file.id}").status_code == 403


def test_technical_requests_go_to_administrators_not_trainers(client, world, login):
    login(world["learner"])
    open_request(client, world["run"], category="technique", filename=None)
    request = db.session.scalar(sa.select(SupportRequest))
    assert mails_to(world["trainer"]) == [] and len(mails_to(world["admin"])) == 1
    login(world["trainer"])
    assert "Je ne comprends pas" not in client.get("/formateur/assistance").get_data(as_text=True)
    assert client.get(f"/formateur/assistance/{request.id}").status_code == 403
    login(world["admin"])
    assert client.get(f"/formateur/assistance/{request.id}").status_code == 200


def _request(run, learner, subject, opened, answered_after=None):
    request = SupportRequest(
        run_id=run.id,
        requester_id=learner.id,
        category="contenu",
        subject=subject,
        created_at=opened,
        due_at=opened + timedelta(hours=48),
        first_response_at=opened + answered_after if answered_after else None,
    )
    db.session.add(request)
    db.session.commit()
    return request


def test_queue_sorted_by_deadline_with_overdue_highlighted(client, world, login, count_queries):
    now = utcnow()
    run, learner = world["run"], world["learner"]
    _request(run, learner, "Récente", now - timedelta(hours=1))
    _request(run, learner, "En retard", now - timedelta(hours=60))
    _request(run, learner, "Bientôt", now - timedelta(hours=40))
    login(world["trainer"])
    with count_queries() as counter:
        html = client.get("/formateur/assistance").get_data(as_text=True)
    small = counter.count
    assert html.index("En retard") < html.index("Bientôt") < html.index("Récente")
    assert 'class="overdue"' in html and "en retard de 12 h" in html
    for n in range(8):
        _request(run, learner, f"Autre {n}", now - timedelta(hours=n))
    with count_queries() as counter:
        client.get("/formateur/assistance")
    assert counter.count == small


def test_report_gives_number_median_and_share_in_time(client, world, login):
    run, learner = world["run"], world["learner"]
    start = datetime(2026, 3, 2, 9, 0)
    _request(run, learner, "a", start, timedelta(hours=2))
    _request(run, learner, "b", start, timedelta(hours=10))
    _request(run, learner, "c", start, timedelta(hours=50))
    _request(run, learner, "hors période", datetime(2026, 5, 2, 9), timedelta(hours=1))
    login(world["trainer"])
    html = client.get(
        f"/formateur/assistance/rapport?run={run.id}&start=2026-03-01&end=2026-03-31"
    ).get_data(as_text=True)
    row = html.split(run.title)[-1].split("</tr>")[0]
    assert '<td class="num">3</td><td class="num">3</td><td class="num">10,0</td>' in row
    assert "67" in row  # 2 of 3 answered within 48 hours


def test_business_hours_stop_the_clock_at_night_and_on_weekends(app):
    app.config.update(LMS_SUPPORT_BUSINESS_HOURS="09:00-18:00", LMS_SUPPORT_DELAY_HOURS=4)
    friday_5pm_paris = datetime(2026, 3, 6, 16, 0)  # 17:00 in Paris (UTC+1)
    assert due_at(friday_5pm_paris) == datetime(2026, 3, 9, 11, 0)  # Monday 12:00 Paris
    app.config["LMS_SUPPORT_BUSINESS_HOURS"] = ""
    assert due_at(friday_5pm_paris) == datetime(2026, 3, 6, 20, 0)
