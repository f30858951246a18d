"""The learner's name kept on each enrolment (``learner_name``), from which the tables of a
run are sorted by name out of an index: it must always be the person's current name, whatever
code writes the enrolment or the name — the ORM, a bulk insert, an administrator renaming the
person, an erasure — since the database's triggers keep it, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
import time

import pytest
import sqlalchemy as sa

from courses.models import Enrolment, EnrolmentStatus
from lms.db import db, is_sqlite
from lms.models import User
from tests.conftest import csrf_token
from tests.courses.test_roster_pages import big_run, names  # noqa: F401 - fixture
from tests.factories import enrol, make_course, make_run
from tests.quizzes.builders import analysis_quiz

RESULT_ROW = re.compile(r'<tr><th scope="row">([^<]+)</th>')


def copies() -> dict[int, tuple[str, str]]:
    """Each enrolment's kept name next to its person's name, read from the database."""
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Enrolment.id, Enrolment.learner_name, User.name).join(
            User, User.id == Enrolment.user_id
        )
    ).all()
    return {i: (kept, name) for i, kept, name in rows}


def test_every_way_of_writing_an_enrolment_keeps_the_name(app, make_user):
    run = make_run(make_course("copie"))
    alice, bruno, chloe = (make_user(name=n) for n in ("Alice Martin", "Bruno Roy", "Chloé Petit"))
    enrol(run, alice)  # the ORM, as the pages and the import do
    db.session.execute(  # a bulk insert, as the import of a big file does
        sa.insert(Enrolment),
        [{"run_id": run.id, "user_id": u.id, "status": EnrolmentStatus.INVITED} for u in (bruno,)],
    )
    new = User(email="dan@example.org", name="Dan Lefèvre", role="learner")
    db.session.add(Enrolment(run=run, user=new))  # a new person enrolled in the same flush
    db.session.commit()

    kept = copies()
    assert sorted(k for k, _ in kept.values()) == ["Alice Martin", "Bruno Roy", "Dan Lefèvre"]
    assert all(k == name for k, name in kept.values())

    moved = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == bruno.id))
    moved.user_id = chloe.id  # an enrolment given to another person
    db.session.commit()
    assert copies()[moved.id] == ("Chloé Petit", "Chloé Petit")


def test_a_renamed_person_moves_in_every_table_of_the_run(client, login, make_user, big_run):  # noqa: F811
    trainer, run = big_run
    analysis_quiz(run.course)  # the results table lists learners once the course has a quiz
    last = db.session.scalar(sa.select(User).where(User.name == "Apprenant 119"))
    admin = make_user("admin")
    login(admin)
    path = f"/admin/utilisateurs/{last.id}"
    renamed = client.post(
        path,
        data={"name": "Aaron Abadie", "role": "learner", "csrf_token": csrf_token(client, path)},
    )
    assert renamed.status_code == 302
    assert all(k == name for k, name in copies().values())

    admin_page = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert names(admin_page)[0] == "Aaron Abadie"
    login(trainer)
    grid = f"/formateur/sessions/{run.id}"
    assert names(client.get(grid).get_data(as_text=True))[:2] == ["Aaron Abadie", "Apprenant 000"]
    last_page = client.get(grid + "?page=3").get_data(as_text=True)
    assert "Aaron Abadie" not in names(last_page) and names(last_page)[-1] == "Zoé Vasseur"
    descending = client.get(grid + "?page=3&desc=1").get_data(as_text=True)
    assert names(descending)[-1] == "Aaron Abadie"
    results = client.get(f"{grid}/resultats").get_data(as_text=True)
    assert RESULT_ROW.findall(results)[0] == "Aaron Abadie"


def test_withdrawn_learners_come_last_on_the_administrators_page(client, login, make_user, big_run):  # noqa: F811
    _trainer, run = big_run
    first = db.session.scalar(
        sa.select(Enrolment).join(Enrolment.user).where(User.name == "Apprenant 000")
    )
    first.status = EnrolmentStatus.WITHDRAWN
    db.session.commit()
    login(make_user("admin"))
    page = f"/admin/sessions/{run.id}"
    assert names(client.get(page).get_data(as_text=True))[0] == "Apprenant 001"
    last = names(client.get(page + "?page=3").get_data(as_text=True))
    assert last[-2:] == ["Zoé Vasseur", "Apprenant 000"]


def test_an_erased_person_leaves_no_copy_of_their_name(client, login, make_user):
    run = make_run(make_course("efface"))
    person = make_user(name="Hortense Delacroix")
    enrol(run, person)
    db.session.commit()
    person_id, address = person.id, person.email
    login(make_user("admin"))
    url = f"/admin/utilisateurs/{person_id}/effacer"
    done = client.post(
        url, data={"csrf_token": csrf_token(client, url), "confirm": address}, follow_redirects=True
    )
    assert "Les données personnelles sont effacées." in done.get_data(as_text=True)
    kept = copies()
    assert all(k == name for k, name in kept.values())
    assert not any("Hortense" in k or "Delacroix" in k for k, _ in kept.values())


def _waiting_for_a_lock(pid: int) -> bool:
    """PostgreSQL: whether backend ``pid`` waits for a lock, polled up to 10 s."""
    deadline = time.monotonic() + 10
    with db.engine.connect() as watcher:
        while time.monotonic() < deadline:
            state = watcher.exec_driver_sql(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %(pid)s", {"pid": pid}
            ).scalar()
            if state == "Lock":
                return True
            watcher.rollback()
            time.sleep(0.01)
    return False


@pytest.mark.parametrize("first", ["enrolment", "rename"])
def test_an_enrolment_written_while_the_person_is_renamed_gets_the_new_name(app, make_user, first):
    """Two transactions at once, on two connections of the real database: one enrols the
    person, the other renames them; whichever starts first, the enrolment ends with the new
    name. On PostgreSQL the second one is seen waiting for the first (without the trigger's
    ``FOR SHARE`` neither waits, and an enrolment written first keeps the old name)."""
    run = make_run(make_course("course"))
    person = make_user(name="Ancien Nom")
    run_id, user_id = run.id, person.id
    db.session.commit()
    enrolments, users = Enrolment.__table__, User.__table__
    steps = {
        "enrolment": lambda conn: conn.execute(
            enrolments.insert().values(run_id=run_id, user_id=user_id, status="invited")
        ),
        "rename": lambda conn: conn.execute(
            users.update().where(users.c.id == user_id).values(name="Nouveau Nom")
        ),
    }
    second = "rename" if first == "enrolment" else "enrolment"
    started, finished, failures = threading.Event(), threading.Event(), []
    pid: list[int] = []

    def other() -> None:
        try:
            with app.app_context(), db.engine.connect() as conn:
                if not is_sqlite():
                    pid.append(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar())
                    conn.rollback()
                started.set()
                with conn.begin():
                    steps[second](conn)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)
        finally:
            started.set()
            finished.set()

    with db.engine.connect() as conn:
        transaction = conn.begin()
        steps[first](conn)
        thread = threading.Thread(target=other)
        thread.start()
        assert started.wait(10)
        if not is_sqlite():  # SQLite: one writer at a time, the other waits by construction
            assert _waiting_for_a_lock(pid[0]), f"the {second} did not wait for the {first}"
        transaction.commit()
    thread.join(timeout=30)
    assert finished.is_set() and failures == []
    kept = copies()
    assert list(kept.values()) == [("Nouveau Nom", "Nouveau Nom")]
