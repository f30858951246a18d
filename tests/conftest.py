"""Shared fixtures: the app on a migrated database (SQLite or PostgreSQL), users, sign-in."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings as hypothesis_settings

from lms import create_app
from lms.db import db
from lms.models import User

IN_CI = os.environ.get("CI", "").lower() == "true"

#: The example plugin is imported from this checkout, not from wherever it was pip-installed.
EXAMPLE_PLUGIN = Path(__file__).resolve().parent / "example_plugin"
sys.path.insert(0, str(EXAMPLE_PLUGIN))
#: Its own tests run in a subprocess whose LMS_PLUGINS names it (tests/lms/test_plugins.py):
#: importing it here would add its tables to the metadata of the main suite's database.
collect_ignore = [] if "example" in os.environ.get("LMS_PLUGINS", "") else ["example_plugin"]

# CI explores the same examples every run (a red CI must be reproducible); locally, property
# tests keep exploring new random examples.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if IN_CI:
    hypothesis_settings.load_profile("ci")
TEST_PASSWORD = "correct horse battery"


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        default=os.environ.get("PARCOURS_TEST_DB", "sqlite"),
        choices=["sqlite", "postgresql"],
        help="database the suite runs on (default: sqlite)",
    )


def unavailable(reason: str) -> None:
    """Skip locally, fail in CI: a missing real part is a failure there."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """URL of the test database, created once per session."""
    if request.config.getoption("--db") == "sqlite":
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
        return
    from tests.support import postgres

    try:
        server = postgres.start()
    except postgres.PostgresUnavailable as exc:
        unavailable(str(exc))
    try:
        yield server.create_database("parcours_test")
    finally:
        server.stop()


def base_config(database_url: str, instance: str) -> dict:
    """Configuration used by every test app."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": instance,
        "MAIL_BACKEND": "file",
        "LMS_BASE_URL": "http://localhost",
        "SERVER_NAME": None,
        "RATELIMIT_ENABLED": True,
    }


@pytest.fixture(scope="session")
def migrated(database_url, tmp_path_factory) -> str:
    """Bring the schema up to date with the migrations, once per session."""
    from flask_migrate import upgrade

    app = create_app(base_config(database_url, str(tmp_path_factory.mktemp("instance"))))
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    return database_url


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def app(migrated, tmp_path, request):
    """A fresh app on the migrated database; every table is emptied afterwards."""
    extra = getattr(request, "param", None) or {}
    marker = request.node.get_closest_marker("app_config")
    if marker:
        extra = {**extra, **marker.args[0]}
    app = create_app({**base_config(migrated, str(tmp_path / "instance")), **extra})
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def make_user(app):
    """Factory: ``make_user("trainer", email=..., name=...)`` creates a user with TEST_PASSWORD."""
    counter = iter(range(1, 10_000))

    def make(
        role: str = "learner", email: str | None = None, name: str | None = None, **kw
    ) -> User:
        n = next(counter)
        user = User(
            email=email or f"{role}{n}@example.org",
            name=name or f"{role.title()} {n}",
            role=role,
            **kw,
        )
        user.set_password(TEST_PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    """Sign ``user`` in through the real login form; returns the response."""

    def do(user: User, password: str = TEST_PASSWORD):
        client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client)})
        return client.post(
            "/compte/connexion",
            data={"email": user.email, "password": password, "csrf_token": csrf_token(client)},
        )

    return do


def csrf_token(client, path: str = "/compte/connexion") -> str:
    """Fetch a page and return the CSRF token of its first form."""
    import re

    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class QueryCounter:
    """Counts SQL statements executed while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """Context manager factory counting the SQL statements of a block."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback that keeps every message it receives."""
    from tests.support.smtp import SmtpSink

    sink = SmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()
