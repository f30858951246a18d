"""GET requests on PostgreSQL read without a transaction until they write (``lms.db``).

A page that only reads sends neither ``BEGIN`` nor ``ROLLBACK`` (two round trips a request).
The first statement that is not a plain SELECT opens the transaction the request would have
had, so a GET that writes behaves as before: its writes are kept together when it commits,
and dropped when it does not. SQLite: nothing changes (its transactions cost no round trip).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import g
from flask_login import current_user

from lms.db import begin_write, db, is_sqlite
from lms.models import User


@pytest.fixture
def statuses(app):
    """Record, for each statement of the requests made, whether the server connection was in
    a transaction once it ran (psycopg's status: IDLE outside one, INTRANS inside)."""
    if is_sqlite():
        pytest.skip("PostgreSQL only: SQLite's transactions cost no round trip")
    seen: list[tuple[str, str]] = []

    def after(conn, _cursor, statement, *_args):
        status = conn.connection.driver_connection.info.transaction_status.name
        seen.append((" ".join(statement.split()), status))

    sa.event.listen(db.engine, "after_cursor_execute", after)
    yield seen
    sa.event.remove(db.engine, "after_cursor_execute", after)


def _fresh_request_session():
    """End the test's own transaction and forget the person signed in by the previous request
    (the test's app context outlives its requests): a request then starts as a served one."""
    db.session.remove()
    g.pop("_login_user", None)


@pytest.fixture
def person(app, views, make_user, login):
    user = make_user("learner", name="Agnès Lecture")
    login(user)
    user_id = user.id
    _fresh_request_session()
    return user_id


def test_a_page_that_only_reads_opens_no_transaction(client, person, statuses):
    response = client.get("/parcours")
    assert response.status_code == 200 and "Agnès Lecture" in response.get_data(as_text=True)
    assert statuses, "the page read nothing?"
    assert {status for _statement, status in statuses} == {"IDLE"}, statuses


@pytest.fixture
def views(app):
    """Views of a plugin that would write on a GET without begin_write (not the way to do it,
    but what must stay safe), added before the app's first request."""

    @app.get("/_test/renomme-sans-valider")
    def rename_without_commit():
        db.session.execute(sa.update(User).where(User.id == current_user.id).values(name="X"))
        return "ok"

    @app.get("/_test/deux-ecritures")
    def two_writes_then_commit():
        db.session.execute(sa.update(User).where(User.id == current_user.id).values(name="Y"))
        db.session.execute(sa.update(User).where(User.id == current_user.id).values(active=True))
        db.session.commit()
        return "ok"

    @app.get("/_test/verrou")
    def lock_then_read():
        db.session.execute(sa.select(User.id).where(User.id == current_user.id).with_for_update())
        return "ok"

    @app.get("/_test/avec-begin-write")
    def with_begin_write():
        assert current_user.is_authenticated  # read first, as views do
        begin_write()
        current_user.name = "Z"
        db.session.commit()
        return "ok"


def _name(user_id: int) -> str:
    db.session.remove()
    return db.session.get(User, user_id).name


def test_a_write_without_commit_is_dropped_as_before(client, person, statuses):
    assert client.get("/_test/renomme-sans-valider").status_code == 200
    update = [status for statement, status in statuses if statement.startswith("UPDATE")]
    assert update == ["INTRANS"]  # BEGIN was sent before it
    assert _name(person) == "Agnès Lecture"


def test_writes_of_a_get_are_kept_together_when_it_commits(client, person, statuses):
    assert client.get("/_test/deux-ecritures").status_code == 200
    updates = [status for statement, status in statuses if statement.startswith("UPDATE")]
    assert updates == ["INTRANS", "INTRANS"]  # one transaction for both
    assert _name(person) == "Y"


def test_a_row_lock_is_taken_inside_a_transaction(client, person, statuses):
    assert client.get("/_test/verrou").status_code == 200
    locks = [status for statement, status in statuses if "FOR UPDATE" in statement]
    assert locks == ["INTRANS"]


def test_begin_write_starts_a_real_transaction(client, person, statuses):
    assert client.get("/_test/avec-begin-write").status_code == 200
    before = [status for statement, status in statuses if statement.startswith("SELECT")]
    assert before[0] == "IDLE", statuses  # the person read without a transaction
    updates = [status for statement, status in statuses if statement.startswith("UPDATE")]
    assert updates == ["INTRANS"]
    assert _name(person) == "Z"
