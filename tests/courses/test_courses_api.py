"""The courses API: sessions, enrolments (same rules and e-mails as the admin page), progress."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from courses import progress
from courses.models import Enrolment, EnrolmentStatus
from lms.api.models import ApiToken
from lms.db import db, utcnow
from lms.mail.models import OutboxMessage
from tests.factories import enrol, make_course, make_run


def _headers(user, scope="write") -> dict:
    _token, raw = ApiToken.issue(user, "test", scope, None, None)
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_admin_enrols_a_learner_who_gets_the_invitation_e_mail(client, make_user):
    admin = make_user("admin")
    run = make_run(make_course("api"))
    headers = _headers(admin)

    response = client.post(
        f"/api/v1/sessions/{run.id}/enrolments",
        headers=headers,
        json={"name": "Lucie Bernard", "email": "Lucie.Bernard@example.org"},
    )

    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == "lucie.bernard@example.org" and body["status"] == "invited"
    assert body["session_id"] == run.id
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.category == "invitation"))
    assert mail.to_addr == "lucie.bernard@example.org"
    again = client.post(
        f"/api/v1/sessions/{run.id}/enrolments",
        headers=headers,
        json={"name": "Lucie Bernard", "email": "lucie.bernard@example.org"},
    )
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json" and again.get_json()["detail"]


def test_a_full_session_and_a_bad_address_are_refused_with_the_reason(client, make_user):
    admin = make_user("admin")
    run = make_run(make_course("api"))
    run.capacity = 1
    enrol(run, make_user("learner"))
    headers = _headers(admin)
    url = f"/api/v1/sessions/{run.id}/enrolments"

    full = client.post(url, headers=headers, json={"name": "A", "email": "a@example.org"})
    bad = client.post(url, headers=headers, json={"name": "B", "email": "pas-une-adresse"})
    missing = client.post(url, headers=headers, json={"name": "C"})

    assert full.status_code == 409 and "complète" in full.get_json()["detail"]
    assert bad.status_code == 409
    assert missing.status_code == 422
    assert missing.get_json()["errors"]["json"]["email"] == ["Missing data for required field."]


def test_admin_withdraws_a_learner(client, make_user):
    admin = make_user("admin")
    run = make_run(make_course("api"))
    enrolment = enrol(run, make_user("learner"))

    response = client.delete(
        f"/api/v1/sessions/{run.id}/enrolments/{enrolment.id}", headers=_headers(admin)
    )

    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).status == EnrolmentStatus.WITHDRAWN


def test_a_trainer_token_lists_only_their_sessions_and_cannot_enrol(client, make_user):
    trainer, other = make_user("trainer"), make_user("trainer")
    course = make_course("api")
    mine = make_run(course, trainers=[trainer], title="La mienne")
    make_run(course, trainers=[other], title="Une autre")
    headers = _headers(trainer)

    listed = client.get("/api/v1/sessions", headers=headers).get_json()
    refused = client.post(
        f"/api/v1/sessions/{mine.id}/enrolments",
        headers=headers,
        json={"name": "A", "email": "a@example.org"},
    )

    assert [s["title"] for s in listed["items"]] == ["La mienne"]
    assert listed["items"][0]["trainers"][0]["email"] == trainer.email
    assert refused.status_code == 403


def test_enrolments_are_paginated_and_filtered_by_update_time(client, make_user):
    admin = make_user("admin")
    run = make_run(make_course("api"))
    enrolments = [enrol(run, make_user("learner")) for _ in range(3)]
    enrolments[0].updated_at = utcnow() - timedelta(days=2)
    db.session.execute(
        sa.update(Enrolment)
        .where(Enrolment.id == enrolments[0].id)
        .values(updated_at=utcnow() - timedelta(days=2))
    )
    db.session.commit()
    headers = _headers(admin, scope="read")
    url = f"/api/v1/sessions/{run.id}/enrolments"

    first = client.get(f"{url}?per_page=2", headers=headers).get_json()
    second = client.get(f"{url}?per_page=2&page=2", headers=headers).get_json()
    since = (utcnow() - timedelta(days=1)).isoformat() + "Z"
    recent = client.get(url, headers=headers, query_string={"updated_since": since}).get_json()

    assert (first["total"], first["next_page"], len(first["items"])) == (3, 2, 2)
    assert (second["next_page"], len(second["items"])) == (None, 1)
    assert [e["id"] for e in recent["items"]] == [e.id for e in enrolments[1:]]


def test_progress_per_session_and_per_learner(client, make_user, count_queries):
    admin = make_user("admin")
    course = make_course("api", modules=1, activities=4)
    run = make_run(course)
    enrolment = enrol(run, make_user("learner"))
    for _ in range(2):
        enrol(run, make_user("learner"))
    first = course.modules[0].activities[0]
    progress.complete_activity(enrolment, first)
    db.session.commit()
    headers = _headers(admin, scope="read")
    client.get("/api/v1/courses", headers=headers)  # records the token's last use (once a minute)
    client.get(f"/api/v1/sessions/{run.id}/progress", headers=headers)  # the outline is kept

    db.session.expire_all()
    with count_queries() as few:
        lines = client.get(f"/api/v1/sessions/{run.id}/progress", headers=headers).get_json()
    for _ in range(5):
        enrol(run, make_user("learner"))
    db.session.expire_all()
    with count_queries() as more:
        client.get(f"/api/v1/sessions/{run.id}/progress", headers=headers)
    detail = client.get(f"/api/v1/enrolments/{enrolment.id}/progress", headers=headers).get_json()

    line = next(item for item in lines["items"] if item["enrolment_id"] == enrolment.id)
    assert (line["completed"], line["total"], line["ratio"]) == (1, 4, 0.25)
    assert more.count == few.count
    assert [a["completed_at"] is not None for a in detail["activities"]] == [
        True,
        False,
        False,
        False,
    ]
    assert detail["activities"][0]["key"] == first.key

    course.modules[0].activities[3].hidden = True  # the course changes: 3 activities count
    db.session.commit()
    lines = client.get(f"/api/v1/sessions/{run.id}/progress", headers=headers).get_json()
    line = next(item for item in lines["items"] if item["enrolment_id"] == enrolment.id)
    detail = client.get(f"/api/v1/enrolments/{enrolment.id}/progress", headers=headers).get_json()
    assert (line["completed"], line["total"]) == (detail["completed"], detail["total"]) == (1, 3)
