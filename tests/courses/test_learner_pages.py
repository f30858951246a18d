"""« Mon parcours » and a run's overview, as a learner sees them."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from courses.models import Activity, EnrolmentStatus, Module
from courses.progress import complete_activity
from lms.db import db, utcnow
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run


def activities_of(course) -> list[Activity]:
    """The course's activities in outline order."""
    return list(
        db.session.scalars(
            sa.select(Activity)
            .join(Module)
            .where(Activity.course_id == course.id)
            .order_by(Module.position, Activity.position)
        )
    )


def progress_value(html: str, run_id: int) -> int:
    """The value of the run's <progress> bar on the page."""
    match = re.search(rf'id="run-{run_id}-progress" max="100" value="(\d+)"', html)
    assert match, "no progress bar for this run"
    return int(match.group(1))


def test_my_courses_lists_runs_with_dates_place_and_progress(client, make_user, login):
    learner = make_user(name="Agnès Martin")
    course = make_course("gcu", modules=2, activities=2)
    run = make_run(course, title="Session de printemps")
    enrolment = enrol(run, learner)
    first, second, *_ = activities_of(course)
    complete_activity(enrolment, first)
    db.session.commit()
    login(learner)

    html = client.get("/parcours").get_data(as_text=True)

    assert "Formation gcu" in html and "Session de printemps" in html and "Paris" in html
    assert progress_value(html, run.id) == 25
    assert "Progression globale : <strong>25\xa0%</strong>" in html
    assert re.search(r"Module 1 : <strong>50\xa0%</strong>", html)
    assert re.search(r"Module 2 : <strong>0\xa0%</strong>", html)
    assert "1 activité terminée sur 4" in html


def test_access_period_left_is_shown_in_days_with_end_date(client, make_user, login):
    learner = make_user()
    run = make_run(make_course(), access_days=30)
    enrol(run, learner)
    login(learner)

    html = client.get("/parcours").get_data(as_text=True)

    assert "Accès ouvert encore 30 jours" in html


def test_resume_goes_to_the_last_opened_activity(client, make_user, login):
    learner = make_user()
    course = make_course(modules=2, activities=3)
    run = make_run(course)
    enrol(run, learner)
    target = activities_of(course)[4]
    login(learner)
    client.get(f"/parcours/sessions/{run.id}/activites/{target.id}")

    html = client.get("/parcours").get_data(as_text=True)

    resume = re.search(r'<a class="button" href="([^"]+)">Reprendre', html)
    assert resume and resume.group(1) == f"/parcours/sessions/{run.id}/activites/{target.id}"


def test_resume_without_history_goes_to_first_uncompleted_activity(client, make_user, login):
    learner = make_user()
    course = make_course(modules=2, activities=2)
    run = make_run(course)
    enrolment = enrol(run, learner)
    acts = activities_of(course)
    for done in acts[:3]:
        complete_activity(enrolment, done)
    db.session.commit()
    login(learner)

    html = client.get("/parcours").get_data(as_text=True)

    assert f'href="/parcours/sessions/{run.id}/activites/{acts[3].id}">Reprendre' in html


def test_invited_run_is_listed_with_the_invitation_hint(client, make_user, login):
    learner = make_user()
    run = make_run(make_course("invite"))
    enrol(run, learner, status=EnrolmentStatus.INVITED)
    login(learner)

    html = client.get("/parcours").get_data(as_text=True)

    assert "Formation invite" in html
    assert "utilisez le lien reçu dans votre e-mail d'invitation" in html
    assert "Reprendre" not in html


def test_ended_access_is_shown_without_resume_button(client, make_user, login):
    learner = make_user()
    run = make_run(make_course("fini"))
    enrolment = enrol(run, learner)
    enrolment.access_ends_at = utcnow() - timedelta(days=2)
    db.session.commit()
    login(learner)

    html = client.get("/parcours").get_data(as_text=True)

    assert "Accès terminé" in html and "a pris fin le" in html
    assert "Reprendre" not in html


def test_withdrawn_run_is_not_listed(client, make_user, login):
    learner = make_user()
    enrol(make_run(make_course("retire")), learner, status=EnrolmentStatus.WITHDRAWN)
    login(learner)

    html = client.get("/parcours").get_data(as_text=True)

    assert "Formation retire" not in html
    assert "Vous n'êtes inscrit·e à aucune session" in html


def _my_courses_queries(client, login, count_queries, learner) -> int:
    login(learner)
    with count_queries() as counter:
        response = client.get("/parcours")
    assert response.status_code == 200
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/parcours")})
    return counter.count


def test_my_courses_query_count_does_not_grow(client, make_user, login, count_queries):
    small = make_user()
    course = make_course("petit", modules=2, activities=3)
    enrol(make_run(course), small)
    big = make_user()
    for i in range(3):
        course = make_course(f"grand{i}", modules=6, activities=8)
        enrolment = enrol(make_run(course), big)
        complete_activity(enrolment, activities_of(course)[i])
    db.session.commit()
    for learner in (small, big):  # outlines kept (completing an activity may have kept some)
        _my_courses_queries(client, login, count_queries, learner)

    assert _my_courses_queries(client, login, count_queries, small) == _my_courses_queries(
        client, login, count_queries, big
    )


def test_overview_shows_description_outline_ticks_and_module_percent(client, make_user, login):
    learner = make_user()
    course = make_course("apercu", modules=2, activities=2)
    acts = activities_of(course)
    acts[0].duration_minutes = 15
    run = make_run(course)
    enrolment = enrol(run, learner)
    complete_activity(enrolment, acts[0])
    db.session.commit()
    login(learner)

    html = client.get(f"/parcours/sessions/{run.id}").get_data(as_text=True)

    assert "Une formation." in html
    assert re.search(r'<li class="done">\s*<a href="[^"]+">Leçon 1.1</a>', html)
    assert re.search(r'<li class="todo">\s*<a href="[^"]+">Leçon 1.2</a>', html)
    assert "Leçon, 15 min" in html
    assert re.search(r"Module 1\s*<span class=\"badge\">50\xa0%", html)


def test_hidden_activities_are_left_out_of_outline_and_progress(client, make_user, login):
    learner = make_user()
    course = make_course("cache", modules=1, activities=2)
    acts = activities_of(course)
    acts[1].hidden = True
    run = make_run(course)
    enrolment = enrol(run, learner)
    complete_activity(enrolment, acts[0])
    db.session.commit()
    login(learner)

    overview = client.get(f"/parcours/sessions/{run.id}").get_data(as_text=True)
    mine = client.get("/parcours").get_data(as_text=True)

    assert "Leçon 1.1" in overview and "Leçon 1.2" not in overview
    assert progress_value(mine, run.id) == 100
