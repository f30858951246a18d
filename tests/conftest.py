"""Shared fixtures: the app on a migrated database (SQLite or PostgreSQL), users, sign-in."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings as hypothesis_settings
from jinja2 import BytecodeCache

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

# Werkzeug's default (scrypt, n=32768) takes 0.2 s per hash and as much per check, more on a
# loaded machine: it was half the suite's time. Tests hash with PBKDF2 at 1,000 rounds instead
# (still salted, still checked by the same ``check_password_hash``); production keeps the
# default, which tests/lms/test_auth.py checks.
TEST_PASSWORD_HASH = "pbkdf2:sha256:1000"


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """Make ``User.set_password`` hash with :data:`TEST_PASSWORD_HASH` for the whole session."""
    from werkzeug.security import generate_password_hash

    from lms import models

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            models,
            "generate_password_hash",
            partial(generate_password_hash, method=TEST_PASSWORD_HASH),
        )
        yield


@pytest.fixture(scope="session", autouse=True)
def _english_catalog_compiled() -> Path:
    """Compile the English catalog when its .mo is missing or older than the .po (no need for
    ``make translations``), before any app starts: Flask-Babel keeps the translations it
    loaded first for the whole process, so a later compile would come too late."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parents[1] / "lms/translations/en/LC_MESSAGES/messages.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)
    return mo


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, shared by every app of the session (keyed by template
    name and file, checked against the source's checksum, as Jinja's own caches are)."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        """Give ``bucket`` the code compiled earlier, if any."""
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        """Keep the code just compiled."""
        self.codes[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def _templates_compiled_once() -> Iterator[None]:
    """Every test builds its own app, whose Jinja environment would compile each template it
    renders again (0.2 s for a first page); apps of the session share one bytecode cache."""
    from flask import Flask

    with pytest.MonkeyPatch.context() as patch:
        options = {**Flask.jinja_options, "bytecode_cache": _MemoryBytecodeCache()}
        patch.setattr(Flask, "jinja_options", options)
        yield


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
    """Bring the schema up to date with the migrations, once per session. On SQLite the file is
    a template that tests copy (:func:`fresh_database`) and never open themselves."""
    from flask_migrate import upgrade

    app = create_app(base_config(database_url, str(tmp_path_factory.mktemp("instance"))))
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    template = _sqlite_path(database_url)
    assert template is None or not Path(f"{template}-wal").exists(), "template not checkpointed"
    return database_url


def _empty_tables() -> None:
    """Delete every row and, on PostgreSQL, restart the sequences (ids start again at 1).

    On PostgreSQL a DELETE per table, children first, is twice as fast as one TRUNCATE of
    every table (which makes new files for each table) on the few rows a test leaves.
    """
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            sequences = conn.exec_driver_sql(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
            ).scalars()
            quote = conn.dialect.identifier_preparer.quote
            statements = [str(table.delete().compile(conn)) for table in tables]
            statements += [f"ALTER SEQUENCE {quote(name)} RESTART" for name in sequences]
            conn.exec_driver_sql("; ".join(statements))
        else:
            for table in tables:
                conn.execute(table.delete())


def _sqlite_path(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def fresh_database(template_url: str, folder: Path) -> str:
    """URL of a database holding what the template holds, for one test (or one module).

    On SQLite it is a copy of the template's file in ``folder`` (milliseconds, where emptying
    every table took a tenth of a second); on PostgreSQL it is the session's database itself,
    which :func:`release_database` empties afterwards.
    """
    template = _sqlite_path(template_url)
    if template is None:
        return template_url
    copy = folder / "test.sqlite"
    shutil.copyfile(template, copy)
    return f"sqlite:///{copy}"


def release_database(url: str) -> None:
    """Give back a database from :func:`fresh_database` (call it in an app context, before
    disposing of the engine): the SQLite copy is deleted, a PostgreSQL one emptied."""
    path = _sqlite_path(url)
    if path is None:
        _empty_tables()
        return
    db.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.fixture
def app(migrated, tmp_path, request):
    """A fresh app on its own copy of the migrated database (SQLite), or on the session's
    database emptied afterwards (PostgreSQL)."""
    extra = getattr(request, "param", None) or {}
    marker = request.node.get_closest_marker("app_config")
    if marker:
        extra = {**extra, **marker.args[0]}
    url = fresh_database(migrated, tmp_path)
    app = create_app({**base_config(url, str(tmp_path / "instance")), **extra})
    with app.app_context():
        yield app
        db.session.remove()
        release_database(url)
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
