"""Administrator pages of courses and runs: lists, outline, creating and editing a run."""

from datetime import date

import pytest
import sqlalchemy as sa

from courses.models import CourseRun, EnrolmentStatus
from lms.db import db
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run

ADMIN_PAGES = [
    "/admin/formations",
    "/admin/formations/{course}",
    "/admin/sessions",
    "/admin/sessions/nouvelle",
    "/admin/sessions/{run}",
    "/admin/sessions/{run}/modifier",
]


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin", name="Alice Admin")
    login(user)
    return user


def _paths(course, run):
    return [p.format(course=course.id, run=run.id) for p in ADMIN_PAGES]


@pytest.mark.parametrize("role", [None, "learner", "trainer"])
def test_admin_pages_are_refused_to_others(client, make_user, login, role):
    course = make_course()
    trainer = make_user("trainer")
    run = make_run(course, trainers=[trainer])
    if role == "trainer":
        login(trainer)  # even the run's own trainer
    elif role:
        user = make_user(role)
        enrol(run, user)
        login(user)
    for path in _paths(course, run):
        response = client.get(path)
        if role is None:
            assert response.status_code == 302, path
            assert "/compte/connexion" in response.headers["Location"]
        else:
            assert response.status_code == 403, path
    # a token from a page the visitor can see (the 403 page carries the sign-out form)
    token = csrf_token(client, "/compte/connexion" if role is None else "/admin/sessions")
    response = client.post(
        "/admin/sessions/nouvelle", data={"csrf_token": token, "title": "Intrus"}
    )
    assert response.status_code in (302, 403)
    assert db.session.scalar(sa.select(sa.func.count(CourseRun.id))) == 1


def test_courses_list_counts_modules_activities_and_runs(client, admin, count_queries):
    course = make_course("gcu07", modules=3, activities=2)
    make_course("vide", modules=0)
    make_run(course)
    make_run(course, title="Deuxième")
    with count_queries() as counter:
        html = client.get("/admin/formations").get_data(as_text=True)
    assert "Formation gcu07" in html and "Formation vide" in html
    row = html[html.index("Formation gcu07") :].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row.split('class="num">')[1:]]
    assert cells == ["3", "6", "2"]
    many = make_course("autre", modules=5, activities=5)
    make_run(many)
    with count_queries() as again:
        client.get("/admin/formations")
    assert again.count == counter.count


def test_course_page_shows_outline_with_kinds_and_runs(client, admin):
    course = make_course(modules=2, activities=2)
    course.modules[0].activities[1].kind = "memo"
    course.modules[1].activities[0].archived = True
    db.session.commit()
    make_run(course, title="Session de Lyon")
    html = client.get(f"/admin/formations/{course.id}").get_data(as_text=True)
    assert "Module 1" in html and "Module 2" in html
    assert "Leçon 1.1" in html and "Fiche mémo" in html
    assert "Leçon 2.1" not in html  # archived
    assert "Session de Lyon" in html
    assert f"/admin/sessions/nouvelle?course={course.id}" in html
    assert client.get("/admin/formations/9999").status_code == 404


def test_runs_list_shows_course_dates_place_learners_and_trainers(client, admin, make_user):
    course = make_course()
    trainer = make_user("trainer", name="Bruno Formateur")
    run = make_run(course, trainers=[trainer], title="Session d'automne")
    for i in range(3):
        enrol(run, make_user(email=f"l{i}@example.org"))
    enrol(run, make_user(), status=EnrolmentStatus.WITHDRAWN)
    html = client.get("/admin/sessions").get_data(as_text=True)
    assert "Session d&#39;automne" in html and "Formation demo" in html
    assert "Bruno Formateur" in html and "Paris" in html
    assert "3 / 12" in html


def _run_form(client, path, **values):
    data = {
        "title": "Session de printemps",
        "starts_on": "2025-03-03",
        "ends_on": "2025-03-28",
        "place": "Lyon",
        "capacity": "15",
        "access_days": "60",
        "csrf_token": csrf_token(client, path),
    }
    data.update(values)
    return client.post(path, data={k: v for k, v in data.items() if v is not None})


def test_create_run_with_trainers(client, admin, make_user):
    course = make_course()
    t1 = make_user("trainer", name="Claire")
    t2 = make_user("trainer", name="Denis")
    make_user("learner", name="Pas formateur")
    form = client.get("/admin/sessions/nouvelle").get_data(as_text=True)
    assert "Claire" in form and "Denis" in form and "Alice Admin" in form
    assert "Pas formateur" not in form
    response = _run_form(
        client, "/admin/sessions/nouvelle", course_id=str(course.id), trainers=[t1.id, t2.id]
    )
    assert response.status_code == 302
    run = db.session.scalar(sa.select(CourseRun))
    assert response.headers["Location"].endswith(f"/admin/sessions/{run.id}")
    assert (run.title, run.place, run.capacity, run.access_days) == (
        "Session de printemps",
        "Lyon",
        15,
        60,
    )
    assert run.starts_on == date(2025, 3, 3)
    assert sorted(t.name for t in run.trainers) == ["Claire", "Denis"]
    page = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert "Session de printemps" in page and "Claire, Denis" in page


def test_create_run_reports_every_bad_field(client, admin):
    course = make_course()
    response = _run_form(
        client,
        "/admin/sessions/nouvelle",
        course_id=str(course.id),
        title="",
        starts_on="2025-03-10",
        ends_on="2025-03-01",
        capacity="0",
        access_days="-3",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Indiquez un intitulé." in html
    assert "La date de fin doit être égale ou postérieure au début." in html
    assert "Au moins 1 place." in html
    assert "Au moins 1 jour." in html
    assert 'aria-invalid="true"' in html
    response = _run_form(
        client, "/admin/sessions/nouvelle", course_id=str(course.id), starts_on="demain"
    )
    assert "Indiquez une date valide." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(CourseRun.id))) == 0


def test_access_days_may_be_empty_for_no_limit(client, admin):
    course = make_course()
    response = _run_form(
        client, "/admin/sessions/nouvelle", course_id=str(course.id), access_days=""
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(CourseRun)).access_days is None


def test_edit_run(client, admin, make_user):
    course = make_course()
    old = make_user("trainer", name="Ancien")
    new = make_user("trainer", name="Nouveau")
    run = make_run(course, trainers=[old])
    path = f"/admin/sessions/{run.id}/modifier"
    form = client.get(path).get_data(as_text=True)
    assert 'value="Session test"' in form and "selected" in form
    response = _run_form(
        client, path, course_id=str(course.id), trainers=[new.id], place="Marseille"
    )
    assert response.status_code == 302
    db.session.expire_all()
    run = db.session.get(CourseRun, run.id)
    assert run.place == "Marseille" and [t.name for t in run.trainers] == ["Nouveau"]


def test_edit_run_keeps_capacity_above_learners_and_course_of_enrolled_run(
    client, admin, make_user
):
    course, other = make_course(), make_course("autre")
    run = make_run(course)
    for _ in range(3):
        enrol(run, make_user())
    path = f"/admin/sessions/{run.id}/modifier"
    response = _run_form(client, path, course_id=str(other.id), capacity="2")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "3 apprenants sont déjà inscrits" in html
    assert "sa formation ne peut plus changer" in html
    db.session.expire_all()
    assert db.session.get(CourseRun, run.id).course_id == course.id


def test_edit_unknown_run_is_404(client, admin):
    assert client.get("/admin/sessions/404/modifier").status_code == 404
    assert client.get("/admin/sessions/404").status_code == 404
