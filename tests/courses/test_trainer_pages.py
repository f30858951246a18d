"""Trainer pages: my runs, the progress grid, one learner's detail, and who may see them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from courses.models import Activity, EnrolmentStatus, Module
from courses.progress import complete_activity, start_activity
from lms.db import db
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


def logout(client) -> None:
    """Sign the current user out."""
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/parcours")})


@pytest.fixture
def session_world(make_user):
    """A trainer's run of a 2 × 2 course: Alice did 3 of 4 activities, Bruno 1, Chloé invited."""
    trainer = make_user("trainer", name="Tom Formateur")
    course = make_course("grille", modules=2, activities=2)
    run = make_run(course, trainers=[trainer], title="Session automne")
    acts = activities_of(course)
    alice = make_user(name="Alice Apprenante")
    bruno = make_user(name="Bruno Apprenant")
    chloe = make_user(name="Chloé Invitée")
    a = enrol(run, alice)
    b = enrol(run, bruno)
    enrol(run, chloe, status=EnrolmentStatus.INVITED)
    for activity in acts[:3]:
        complete_activity(a, activity)
    start_activity(b, acts[3])
    complete_activity(b, acts[0])
    db.session.commit()
    return {"trainer": trainer, "run": run, "acts": acts, "alice": alice, "bruno": bruno}


def test_trainer_sees_own_runs_with_learners_and_average(client, make_user, login, session_world):
    make_run(make_course("autre"), title="Session voisine")
    login(session_world["trainer"])

    html = client.get("/formateur/sessions").get_data(as_text=True)

    assert "Session automne" in html and "Formation grille" in html
    assert "Session voisine" not in html
    row = re.search(r"Session automne</a></th>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    # 3 learners; (3 + 1 + 0) of 3 × 4 activities done
    assert cells == ["3", "33\xa0%"]


def test_admin_sees_every_run(client, make_user, login, session_world):
    make_run(make_course("autre"), title="Session voisine")
    login(make_user("admin"))

    html = client.get("/formateur/sessions").get_data(as_text=True)

    assert "Session automne" in html and "Session voisine" in html


def test_progress_grid_shows_percent_per_module_overall_and_status(client, login, session_world):
    run = session_world["run"]
    login(session_world["trainer"])

    html = client.get(f"/formateur/sessions/{run.id}").get_data(as_text=True)

    assert "<caption>Progression de chaque apprenant, par module" in html
    # A heat map: short column labels named in full, the value written in each shaded cell.
    assert (
        '<th scope="col" class="num heat-col" title="Module 1">M1'
        '<span class="visually-hidden"> — Module 1</span></th>'
    ) in html
    assert "<dt>M2</dt><dd>Module 2</dd>" in html
    alice = re.search(r"Alice Apprenante</a></th>(.*?)</tr>", html, re.S).group(1)
    assert '<td class="num heat heat-4">100\xa0%</td>' in alice
    assert '<td class="num heat heat-2">50\xa0%</td>' in alice
    assert re.findall(r'<td class="num[^"]*">(?:<strong>)?([^<]*)', alice) == [
        "100\xa0%",
        "50\xa0%",
        "75\xa0%",
    ]
    bruno = re.search(r"Bruno Apprenant</a></th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r'<td class="num[^"]*">(?:<strong>)?([^<]*)', bruno)[-1] == "25\xa0%"
    assert "Invité" in html and "jamais" in html


def test_learner_detail_shows_activities_access_and_invitation(client, login, session_world):
    run, bruno = session_world["run"], session_world["bruno"]
    login(session_world["trainer"])

    html = client.get(f"/formateur/sessions/{run.id}/apprenants/{bruno.id}").get_data(as_text=True)

    assert "<h1>Bruno Apprenant</h1>" in html and bruno.email in html
    assert "Période d'accès" in html
    assert "acceptée" in html
    done_row = re.search(r"Leçon 1.1</th>(.*?)</tr>", html, re.S).group(1)
    started_row = re.search(r"Leçon 2.2</th>(.*?)</tr>", html, re.S).group(1)
    untouched_row = re.search(r"Leçon 1.2</th>(.*?)</tr>", html, re.S).group(1)
    assert done_row.count("<td>—</td>") == 0
    assert started_row.count("<td>—</td>") == 1
    assert untouched_row.count("<td>—</td>") == 2


def test_trainer_of_another_run_is_refused(client, make_user, login, session_world):
    run, alice = session_world["run"], session_world["alice"]
    other = make_user("trainer")
    make_run(make_course("sienne"), trainers=[other])
    login(other)
    for page in (
        f"/formateur/sessions/{run.id}",
        f"/formateur/sessions/{run.id}/apprenants/{alice.id}",
    ):
        response = client.get(page)
        assert response.status_code == 403, page
        assert "Alice Apprenante" not in response.get_data(as_text=True)


def test_learners_and_anonymous_are_refused(client, login, session_world):
    run, alice = session_world["run"], session_world["alice"]
    pages = [
        "/formateur/sessions",
        f"/formateur/sessions/{run.id}",
        f"/formateur/sessions/{run.id}/apprenants/{alice.id}",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and response.location.startswith("/compte/connexion")
    login(alice)
    for page in pages:
        assert client.get(page).status_code == 403, page


def test_user_not_in_the_run_is_not_found(client, make_user, login, session_world):
    run = session_world["run"]
    outsider = make_user()
    login(session_world["trainer"])
    assert client.get(f"/formateur/sessions/{run.id}/apprenants/{outsider.id}").status_code == 404
    assert client.get("/formateur/sessions/9999").status_code == 404


def _grid_queries(client, login, count_queries, trainer, run) -> int:
    login(trainer)
    with count_queries() as counter:
        response = client.get(f"/formateur/sessions/{run.id}")
    assert response.status_code == 200
    logout(client)
    return counter.count


def _run_with(make_user, key: str, learners: int, modules: int):
    trainer = make_user("trainer")
    course = make_course(key, modules=modules, activities=2)
    run = make_run(course, trainers=[trainer])
    acts = activities_of(course)
    for i in range(learners):
        enrolment = enrol(run, make_user())
        complete_activity(enrolment, acts[i % len(acts)])
    db.session.commit()
    return trainer, run


def test_grid_query_count_does_not_grow(client, make_user, login, count_queries):
    small = _run_with(make_user, "petite", learners=2, modules=2)
    big = _run_with(make_user, "grande", learners=15, modules=6)

    assert _grid_queries(client, login, count_queries, *small) == _grid_queries(
        client, login, count_queries, *big
    )


def test_runs_list_query_count_does_not_grow(client, make_user, login, count_queries):
    trainer = make_user("trainer")
    course = make_course("liste", modules=1, activities=1)
    enrol(make_run(course, trainers=[trainer]), make_user())
    login(trainer)
    with count_queries() as one:
        client.get("/formateur/sessions")
    for i in range(4):
        run = make_run(make_course(f"liste{i}", modules=3), trainers=[trainer])
        enrol(run, make_user())
    with count_queries() as many:
        html = client.get("/formateur/sessions").get_data(as_text=True)
    assert html.count("<tr>") == 6
    assert one.count == many.count


def test_the_grid_speaks_each_readers_language_one_after_the_other(
    app, client, make_user, login, session_world
):
    """Labels translated once per page (status badges, dates) follow the reader's language
    from one page to the next."""
    from flask_babel import refresh

    app.before_request(refresh)  # one language per request, as in production
    run = session_world["run"]
    login(session_world["trainer"])
    french = client.get(f"/formateur/sessions/{run.id}").get_data(as_text=True)
    assert '<span class="badge warn">Invité</span>' in french
    english_reader = make_user("trainer", name="Eve Trainer")
    english_reader.locale = "en"
    run.trainers.append(english_reader)
    db.session.commit()
    login(english_reader)
    english = client.get(f"/formateur/sessions/{run.id}").get_data(as_text=True)
    assert '<span class="badge warn">Invited</span>' in english and ">Invité<" not in english
    login(session_world["trainer"])
    again = client.get(f"/formateur/sessions/{run.id}").get_data(as_text=True)
    assert '<span class="badge warn">Invité</span>' in again


def test_the_grid_takes_modules_from_the_outline_and_follows_its_changes(
    client, login, session_world
):
    """Modules and their number of live activities come from the course's outline (kept per
    course version): a page reads only what its learners completed, and a hidden activity or
    an archived module changes the grid on the next request."""
    run, acts = session_world["run"], session_world["acts"]
    login(session_world["trainer"])
    grid = f"/formateur/sessions/{run.id}"
    seen: list[str] = []

    def keep(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    def cells(name: str) -> list[str]:
        html = client.get(grid).get_data(as_text=True)
        row = re.search(rf"{name}</a></th>(.*?)</tr>", html, re.S).group(1)
        return re.findall(r'<td class="num[^"]*">(?:<strong>)?([^<]*)', row)

    assert cells("Alice Apprenante") == ["100\xa0%", "50\xa0%", "75\xa0%"]
    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        client.get(grid)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)
    assert not [s for s in seen if re.search(r"\bFROM (modules|activities)\b", s)], seen

    acts[3].hidden = True  # Leçon 2.2: Alice did 2.1, so module 2 is complete for her
    db.session.commit()
    assert cells("Alice Apprenante") == ["100\xa0%", "100\xa0%", "100\xa0%"]
    assert cells("Bruno Apprenant") == ["50\xa0%", "0\xa0%", "33\xa0%"]
    acts[2].module.archived = True
    db.session.commit()
    html = client.get(grid).get_data(as_text=True)
    assert "<dt>M2</dt>" not in html
    assert cells("Bruno Apprenant") == ["50\xa0%", "50\xa0%"]
