"""Live sessions scheduled per session: defaults, edit page, e-mails, .ics, attendance."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import pytest
import sqlalchemy as sa

from courses.live.ics import escape_text, fold
from courses.live.models import LiveAttendance, LiveSchedule
from courses.models import CourseRun, Progress
from lms.db import db
from lms.mail.models import OutboxMessage
from tests.conftest import csrf_token
from tests.courses.test_learner_activity import activities_of, set_done, url
from tests.factories import enrol, make_course, make_run


def live_course(key="direct", when="2030-03-12T14:00"):
    """A course whose first activity is a live session dated ``when`` (Paris time)."""
    course = make_course(key, modules=1, activities=2)
    live = activities_of(course)[0]
    live.kind, live.title, live.duration_minutes = "live", "Classe, virtuelle; n°1", 90
    live.settings = {"starts_at": when, "join_url": "https://visio.example.org/j"}
    db.session.commit()
    return course, live


@pytest.fixture
def world(make_user, login):
    trainer = make_user("trainer")
    learners = [make_user("learner", name=f"Apprenant {n}") for n in (1, 2, 3)]
    course, live = live_course()
    run = make_run(course, trainers=[trainer], starts_on=date(2030, 3, 1))
    enrolments = [enrol(run, learner) for learner in learners]
    return {
        "trainer": trainer,
        "learners": learners,
        "run": run,
        "live": live,
        "enrolments": enrolments,
    }


def edit_url(run, live):
    return f"/formateur/sessions/{run.id}/classes/{live.id}"


def post_schedule(client, run, live, **values):
    data = {
        "day": "2030-03-14",
        "time": "09:30",
        "timezone": "Europe/Paris",
        "place": "",
        "join_url": "https://visio.example.org/nouveau",
        "replay_url": "",
        "notify": "y",
        "csrf_token": csrf_token(client, edit_url(run, live)),
    }
    data.update(values)
    return client.post(edit_url(run, live), data=data)


def test_new_session_takes_folder_values_but_not_a_date_outside_its_dates(client, make_user, login):
    course, live = live_course("dossier", when="2022-12-08T09:00")
    login(make_user("admin"))
    for title, start, end in (
        ("Ancienne", "2022-09-08", "2022-12-08"),
        ("Nouvelle", "2027-09-01", "2027-12-01"),
    ):
        client.post(
            "/admin/sessions/nouvelle",
            data={
                "course_id": str(course.id),
                "title": title,
                "starts_on": start,
                "ends_on": end,
                "capacity": "12",
                "csrf_token": csrf_token(client, "/admin/sessions/nouvelle"),
            },
        )
    rows = {
        run.title: db.session.scalar(sa.select(LiveSchedule).where(LiveSchedule.run_id == run.id))
        for run in db.session.scalars(sa.select(CourseRun))
    }
    assert rows["Ancienne"].starts_at == datetime(2022, 12, 8, 8, 0)  # 09:00 Paris = 08:00 UTC
    assert rows["Nouvelle"].starts_at is None
    assert rows["Nouvelle"].join_url == "https://visio.example.org/j"
    page = client.get(f"/formateur/sessions/{rows['Nouvelle'].run_id}/classes").get_data(
        as_text=True
    )
    assert "à préciser" in page and "2022" not in page


def test_trainer_sets_the_schedule_in_another_zone_and_learners_are_told(client, world, login):
    run, live = world["run"], world["live"]
    login(world["trainer"])
    response = post_schedule(
        client, run, live, timezone="America/Cayenne", day="2030-03-14", time="10:00"
    )
    assert response.status_code == 302
    row = db.session.scalar(sa.select(LiveSchedule).where(LiveSchedule.run_id == run.id))
    assert row.starts_at == datetime(2030, 3, 14, 13, 0)  # Cayenne is UTC-3
    mails = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.category == "live")
    ).all()
    assert sorted(m.to_addr for m in mails) == sorted(u.email for u in world["learners"])
    assert "10:00 – 11:30 (America/Cayenne)" in mails[0].body_text
    assert "agenda.ics" in mails[0].body_text

    login(world["learners"][0])
    html = client.get(url(run, live)).get_data(as_text=True)
    assert "10:00 – 11:30 (fuseau America/Cayenne)" in html and "jeudi 14 mars 2030" in html


def test_saving_again_without_change_sends_nothing_and_a_change_bumps_the_sequence(
    client, world, login
):
    run, live = world["run"], world["live"]
    login(world["trainer"])
    post_schedule(client, run, live)
    post_schedule(client, run, live)
    row = db.session.scalar(sa.select(LiveSchedule).where(LiveSchedule.run_id == run.id))
    assert row.sequence == 0
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 3
    post_schedule(client, run, live, time="11:00")
    db.session.refresh(row)
    assert row.sequence == 1
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 6
    post_schedule(client, run, live, time="12:00", notify="")
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 6


def test_bad_schedule_input_is_explained_and_nothing_is_saved(client, world, login):
    run, live = world["run"], world["live"]
    login(world["trainer"])
    response = post_schedule(client, run, live, join_url="http://visio.example.org/x", time="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Le lien de connexion doit commencer par https://." in html
    assert 'value="http://visio.example.org/x"' in html  # what was typed is kept
    response = post_schedule(client, run, live, time="")
    assert "Indiquez la date et l'heure, ou aucune des deux." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(LiveSchedule.id))) == 0


def test_another_trainer_cannot_edit(client, world, make_user, login):
    login(make_user("trainer"))
    assert client.get(edit_url(world["run"], world["live"])).status_code == 403


def _ics(client, run, live):
    response = client.get(url(run, live, "/agenda.ics"))
    assert response.status_code == 200
    return response


def test_ics_is_rfc5545_in_utc_with_a_stable_uid_and_escaped_text(client, world, login):
    run, live = world["run"], world["live"]
    login(world["learners"][0])
    first, second = _ics(client, run, live), _ics(client, run, live)
    assert first.mimetype == "text/calendar"
    assert first.headers["Content-Disposition"].startswith("attachment;")
    raw = first.data.decode()
    assert "\r\n" in raw and all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    assert "SUMMARY:Classe\\, virtuelle\\; n°1" in raw
    [event] = icalendar.Calendar.from_ical(first.data).walk("VEVENT")
    [again] = icalendar.Calendar.from_ical(second.data).walk("VEVENT")
    assert event["UID"] == again["UID"] and f"-{run.id}-{live.id}@" in str(event["UID"])
    start = event.decoded("DTSTART")
    assert start.utcoffset() == timedelta(0) and start.replace(tzinfo=None) == datetime(
        2030, 3, 12, 13, 0
    )
    assert event.decoded("DTEND") - start == timedelta(minutes=90)
    assert str(event["SUMMARY"]).startswith("Classe, virtuelle; n°1")


def test_ics_of_an_unscheduled_session_is_not_found(client, world, login):
    run, live = world["run"], world["live"]
    db.session.add(
        LiveSchedule(run_id=run.id, activity_id=live.id, starts_at=None, timezone="Europe/Paris")
    )
    db.session.commit()
    login(world["learners"][0])
    assert client.get(url(run, live, "/agenda.ics")).status_code == 404
    assert "date à préciser" in client.get(f"/parcours/sessions/{run.id}").get_data(as_text=True)


def test_escape_and_fold_follow_rfc5545():
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    line = "SUMMARY:" + "é" * 80
    folded = fold(line).split("\r\n")
    assert all(len(part.encode()) <= 75 for part in folded)
    assert "".join(p[1:] if i else p for i, p in enumerate(folded)) == line


def test_overview_lists_upcoming_sessions_with_calendar_links(client, world, login):
    run = world["run"]
    login(world["learners"][0])
    html = client.get(f"/parcours/sessions/{run.id}").get_data(as_text=True)
    assert "À venir" in html and "mardi 12 mars 2030" in html
    assert f"/parcours/sessions/{run.id}/activites/{world['live'].id}/agenda.ics" in html


def _attendance(client, run, live, statuses):
    path = f"/formateur/sessions/{run.id}/classes/{live.id}/presences"
    data = {f"status-{e.id}": s for e, s in statuses.items()}
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def _done(enrolment, live) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.func.count(Progress.id)).where(
                Progress.enrolment_id == enrolment.id,
                Progress.activity_id == live.id,
                Progress.completed_at.is_not(None),
            )
        )
    )


def test_attendance_present_completes_absent_undoes_excused_leaves_it(client, world, login):
    run, live = world["run"], world["live"]
    a, b, c = world["enrolments"]
    login(world["learners"][1])
    set_done(client, run, live)  # the learner ticked it themselves
    login(world["trainer"])
    response = _attendance(client, run, live, {a: "present", b: "absent", c: "excused"})
    assert response.status_code == 302
    assert (_done(a, live), _done(b, live), _done(c, live)) == (True, False, False)
    page = client.get(f"/formateur/sessions/{run.id}/classes").get_data(as_text=True)
    assert "1 présents, 1 absents, 1 excusés sur 3" in page

    login(world["learners"][0])
    html = client.get(url(run, live)).get_data(as_text=True)
    assert "présent·e" in html and "Marquer comme" not in html
    set_done(client, run, live, "0")
    assert _done(a, live)  # the trainer's record stands
    login(world["learners"][2])
    assert "Marquer comme terminé" in client.get(url(run, live)).get_data(as_text=True)


def test_attendance_ignores_unknown_values_and_records_once(client, world, login):
    run, live = world["run"], world["live"]
    a, b, _ = world["enrolments"]
    login(world["trainer"])
    _attendance(client, run, live, {a: "present", b: "peut-être"})
    _attendance(client, run, live, {a: "present"})
    rows = db.session.scalars(sa.select(LiveAttendance)).all()
    assert [(r.enrolment_id, r.status) for r in rows] == [(a.id, "present")]


def _pages_queries(client, count_queries, run, live):
    counts = []
    for path in (
        f"/formateur/sessions/{run.id}/classes",
        f"/formateur/sessions/{run.id}/classes/{live.id}/presences",
    ):
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    return counts


def test_trainer_pages_query_count_does_not_grow(client, world, make_user, login, count_queries):
    run, live = world["run"], world["live"]
    login(world["trainer"])
    _attendance(client, run, live, dict.fromkeys(world["enrolments"], "present"))
    small = _pages_queries(client, count_queries, run, live)
    for n in range(10):
        enrol(run, make_user("learner", name=f"Renfort {n}"))
    assert _pages_queries(client, count_queries, run, live) == small


def test_course_folder_may_give_a_place_instead_of_a_join_link(app):
    from pathlib import Path

    from courses.content.kinds import load_live

    text = (
        "---\nkey: jour\nkind: live\ntitle: Journée\nstarts_at: 2030-03-12T09:00\n"
        "duration_minutes: 420\nplace: Salle du conseil, Lyon\n---\nProgramme.\n"
    )
    loaded = load_live(Path("jour.md"), text)
    assert loaded["settings"]["place"] == "Salle du conseil, Lyon"
    assert "join_url" not in loaded["settings"]
