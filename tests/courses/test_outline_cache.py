"""The course outline is computed once per course version: learner pages show every change to
the course at once, write nothing on a GET that changes nothing, and run few queries."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import refresh

from courses.models import Activity, Enrolment, Module
from lms.db import db
from tests.conftest import csrf_token
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


def _module_lists(html: str) -> list[str]:
    """The activity lists of a page's outline (one per module)."""
    return re.findall(r'<ul class="outline">.*?</ul>', html, re.S)


def _mark_done(client, run, activity) -> None:
    lesson = f"/parcours/sessions/{run.id}/activites/{activity.id}"
    response = client.post(lesson + "/terminer", data={"csrf_token": csrf_token(client, lesson)})
    assert response.status_code == 302


def test_the_kept_lists_of_an_outline_follow_each_learner_lesson_and_language(
    app, client, make_user, login
):
    """A module's list is kept as HTML for the same items, current lesson and language: a
    learner never sees another's ticks, the lesson shown is the one marked current, the
    labels follow the language, and a tick shows at once."""
    app.before_request(refresh)  # the language picked anew on each request
    course = make_course("listes", modules=2, activities=2)
    run = make_run(course)
    first, second, *_ = activities_of(course)
    ahead, behind = make_user(email="devant@example.org"), make_user(email="derriere@example.org")
    enrol(run, ahead), enrol(run, behind)
    overview, lesson = f"/parcours/sessions/{run.id}", f"/parcours/sessions/{run.id}/activites"

    login(ahead)
    _mark_done(client, run, first)
    lists = _module_lists(client.get(overview).get_data(as_text=True))
    assert '<li class="done">' in lists[0] and "(terminée)" in lists[0]
    on_second = client.get(f"{lesson}/{second.id}").get_data(as_text=True)
    assert f'href="{lesson}/{second.id}" aria-current="page"' in on_second
    on_first = client.get(f"{lesson}/{first.id}").get_data(as_text=True)
    assert f'href="{lesson}/{first.id}" aria-current="page"' in on_first
    assert f'href="{lesson}/{second.id}" aria-current' not in on_first

    login(behind)
    lists = _module_lists(client.get(overview).get_data(as_text=True))
    assert '<li class="done">' not in "".join(lists) and "(terminée)" not in "".join(lists)
    _mark_done(client, run, second)
    lists = _module_lists(client.get(overview).get_data(as_text=True))
    assert lists[0].count('<li class="done">') == 1
    assert lists[0].index(second.title) > lists[0].index('<li class="done">')

    db.session.get(type(behind), behind.id).locale = "en"
    db.session.commit()
    lists = _module_lists(client.get(overview).get_data(as_text=True))
    assert "(finished)" in lists[0] and "(terminée)" not in lists[0]
