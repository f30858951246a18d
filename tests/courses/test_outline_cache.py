"""The course outline is computed once per course version: learner pages show every change to
the course at once, write nothing on a GET that changes nothing, and run few queries."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from courses.models import Activity, Enrolment, Module
from lms.db import db
from tests.courses.test_learner_pages import activities_of
from tests.factories import enrol, make_course, make_run

WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(statements) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(WRITES)]


def test_a_renamed_activity_shows_on_the_next_page_after_the_outline_was_cached(
    client, make_user, login
):
    learner = make_user()
    course = make_course("cache", modules=2, activities=2)
    run = make_run(course)
    enrol(run, learner)
    login(learner)
    first, second, *_ = activities_of(course)
    lesson = f"/parcours/sessions/{run.id}/activites/{first.id}"
    assert second.title in client.get(lesson).get_data(as_text=True)  # outline now cached

    db.session.get(Activity, second.id).title = "Un titre tout neuf"
    db.session.commit()

    html = client.get(lesson).get_data(as_text=True)
    assert "Un titre tout neuf" in html
    assert "Un titre tout neuf" in client.get(f"/parcours/sessions/{run.id}").get_data(as_text=True)


def test_a_hidden_activity_and_an_archived_module_leave_the_cached_outline(
    client, make_user, login
):
    learner = make_user()
    course = make_course("cache2", modules=2, activities=2)
    run = make_run(course)
    enrol(run, learner)
    login(learner)
    first, second, third, _fourth = activities_of(course)
    overview = f"/parcours/sessions/{run.id}"
    assert second.title in client.get(overview).get_data(as_text=True)

    db.session.get(Activity, second.id).hidden = True
    db.session.get(Module, third.module_id).archived = True
    db.session.commit()

    html = client.get(overview).get_data(as_text=True)
    assert first.title in html
    assert second.title not in html and third.title not in html


def test_opening_the_same_lesson_again_writes_nothing(client, make_user, login, count_queries):
    learner = make_user()
    course = make_course("revisit", modules=1, activities=3)
    run = make_run(course)
    enrolment = enrol(run, learner)
    login(learner)
    first, second, _third = activities_of(course)
    lesson = f"/parcours/sessions/{run.id}/activites/{first.id}"

    with count_queries() as first_visit:
        assert client.get(lesson).status_code == 200
    with count_queries() as again:
        assert client.get(lesson).status_code == 200

    assert _writes(first_visit.statements), "the first visit records the resume point"
    assert _writes(again.statements) == []
    assert len(again.statements) <= 3  # enrolment+run+course, activity+module, progress
    row = db.session.get(Enrolment, enrolment.id)
    db.session.refresh(row)
    assert row.last_activity_id == first.id

    with count_queries() as moved:  # the resume point moves: written
        client.get(f"/parcours/sessions/{run.id}/activites/{second.id}")
    assert _writes(moved.statements)
    db.session.refresh(row)
    assert row.last_activity_id == second.id


def test_last_seen_is_written_again_once_it_is_old(client, make_user, login, count_queries):
    learner = make_user()
    course = make_course("seen", modules=1, activities=2)
    run = make_run(course)
    enrolment = enrol(run, learner)
    login(learner)
    first, _second = activities_of(course)
    lesson = f"/parcours/sessions/{run.id}/activites/{first.id}"
    client.get(lesson)
    old = db.session.scalar(sa.select(Enrolment.last_seen_at).where(Enrolment.id == enrolment.id))
    db.session.execute(
        sa.update(Enrolment)
        .where(Enrolment.id == enrolment.id)
        .values(last_seen_at=old - timedelta(hours=1))
    )
    db.session.commit()

    with count_queries() as later:
        client.get(lesson)

    assert _writes(later.statements)
    seen = db.session.scalar(sa.select(Enrolment.last_seen_at).where(Enrolment.id == enrolment.id))
    assert seen >= old
