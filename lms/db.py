"""Database setup: one declarative base, SQLite tuning, and the write-transaction helper."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import wraps

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model, host and plugins alike."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

_begin_immediate: ContextVar[bool] = ContextVar("lms_begin_immediate", default=False)


def utcnow() -> datetime:
    """Return the current time as a naive UTC datetime (how every timestamp is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _configure_sqlite(engine: sa.Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout, and take over BEGIN from pysqlite."""

    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(conn):
        # Straight to the driver: through exec_driver_sql, the BEGIN of every request went the
        # whole way of a statement (events, cursor, result) for nothing to read.
        if _begin_immediate.get():
            _begin_immediate_now(conn.connection.driver_connection)
        else:
            conn.connection.driver_connection.execute("BEGIN")


#: How long a statement waits for SQLite's write lock before « database is locked ».
BUSY_TIMEOUT_MS = 10_000
#: Pauses between two tries of ``BEGIN IMMEDIATE`` while another process writes: from 0.2 ms,
#: doubling, at most 2 ms.
_FIRST_PAUSE, _LONGEST_PAUSE = 0.0002, 0.002


def _begin_immediate_now(connection: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE``, waiting for the writer in progress with short pauses.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25… 100 ms between its tries, while
    a request of Parcours holds the write lock about a millisecond: under load (two gunicorn
    workers saving answers) a waiting request slept up to ten times longer than the lock was
    held, and the other worker often took the lock again in between (HTTP benchmark: answer
    save p99 300 ms). The wait is the same ``busy_timeout``; only the pauses are shorter.
    """
    connection.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = _FIRST_PAUSE
        while True:
            try:
                connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                busy = (exc.sqlite_errorcode & 0xFF) == sqlite3.SQLITE_BUSY
                if not busy or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)
    finally:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


#: Methods that never change anything; every other request is a write transaction.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _request_transaction() -> None:
    """Every POST (PUT, DELETE…) reads then writes: start it as a write transaction. A GET on
    PostgreSQL starts without one (:func:`_transaction_before_writing`).

    GET pages that write (the resume point of a lesson, an overdue attempt) call
    :func:`begin_write` themselves, and only when something changes; so do the POST views
    marked with :func:`locks_itself`.
    """
    from flask import current_app, g, request

    if request.method not in SAFE_METHODS:
        g.lms_write_request = True
        view = current_app.view_functions.get(request.endpoint)
        if not getattr(view, LOCKS_ITSELF, False):
            begin_write()
    elif request.endpoint != "static" and not is_sqlite() and not db.session().in_transaction():
        db.session.connection(execution_options=_READS_WITHOUT_TRANSACTION)


#: Execution options of the connection a GET request starts with on PostgreSQL (see
#: :func:`_transaction_before_writing`); SQLAlchemy puts the connection back as it was when it
#: returns to the pool, after the request or at the commit of :func:`begin_write`.
READ_MODE = "lms_reads_without_transaction"
_READS_WITHOUT_TRANSACTION = {"isolation_level": "AUTOCOMMIT", READ_MODE: True}

#: What a statement of a GET request must not run outside a transaction: anything but a plain
#: SELECT (rows locked, advisory locks, sequences, data-modifying statements and CTEs).
_NEEDS_TRANSACTION = re.compile(
    r"\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE|KEY\s+SHARE)\b|pg_advisory|nextval|setval", re.I
)


def _transaction_before_writing(conn, _cursor, statement, _params, context, _many) -> None:
    """A GET request on PostgreSQL reads without a transaction, until it writes.

    Every statement of READ COMMITTED sees the data committed when it starts, inside a
    transaction or not: a page that only reads saves the ``BEGIN`` and the ``ROLLBACK`` that
    psycopg and the pool would send around its statements, two round trips to the server
    (about a fifth of a learner page served). The first statement that is not a plain SELECT
    opens the transaction the request would have had: ``BEGIN`` is sent first, and the
    request's commit (or the rollback when it ends without one) closes it as before — a GET
    that writes keeps its writes together, and one that never commits keeps nothing.
    """
    if not conn.get_execution_options().get(READ_MODE):
        return
    driver = conn.connection.driver_connection
    if driver.info.transaction_status.name != "IDLE":  # in the transaction opened already
        return
    head = statement.lstrip()[:6].upper()
    streamed = context is not None and context.execution_options.get("stream_results")
    if head != "SELECT" or streamed or _NEEDS_TRANSACTION.search(statement):
        driver.execute("BEGIN")  # a server-side cursor (streamed rows) needs one too


def _configure_postgresql(engine: sa.Engine) -> None:
    """Let GET requests read without a transaction (:func:`_transaction_before_writing`)."""
    sa.event.listen(engine, "before_cursor_execute", _transaction_before_writing)


#: Attribute of a view function marked by :func:`locks_itself` (kept by ``functools.wraps``).
LOCKS_ITSELF = "lms_locks_itself"


def locks_itself(view: Callable) -> Callable:
    """Mark a POST view that opens its write transaction itself, with :func:`begin_write` (or
    a service that calls it), right before the reads its writes depend on.

    Every other POST starts as a write transaction before the view runs: on SQLite the
    request then holds the database's only write lock from its first statement (the
    signed-in person, the ownership and access checks) to its commit, and the requests of
    the other workers wait that long. A marked view reads those outside the lock, so that
    two workers overlap: the learner's quiz POSTs, the busiest writes (issue 10 asks for
    « one ``BEGIN IMMEDIATE`` transaction per request, short »). Only for views whose every
    write follows a :func:`begin_write` that reads again what the write depends on; what
    they read before it is read as any GET page reads (PostgreSQL's READ COMMITTED gives no
    more to any view).
    """

    @wraps(view)
    def locking_itself(*args, **kwargs):
        # The page's language is chosen from the signed-in person now: chosen at its first
        # message, after the commit of begin_write expired them, it read them again inside
        # the lock.
        from flask_babel import get_locale

        get_locale()
        return view(*args, **kwargs)

    setattr(locking_itself, LOCKS_ITSELF, True)
    return locking_itself


def _end_write_transaction(_exc) -> None:
    """Release the write lock of a POST whose view did not commit (nothing is kept)."""
    from flask import g

    if g.pop("lms_write_request", False):
        db.session.rollback()


def init_app(app) -> None:
    """Bind Flask-SQLAlchemy to the app, tune SQLite engines, open every POST as a write (but
    those marked :func:`locks_itself`) and, on PostgreSQL, let GET requests read without a
    transaction until they write."""
    db.init_app(app)
    app.before_request(_request_transaction)
    app.teardown_request(_end_write_transaction)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
        elif engine.dialect.driver == "psycopg":
            _configure_postgresql(engine)


def is_sqlite() -> bool:
    """Tell whether the app runs on SQLite."""
    return db.engine.dialect.name == "sqlite"


def begin_write(keep: tuple[type, ...] = ()) -> None:
    """Start a fresh transaction that will write after reading.

    On SQLite the transaction starts with ``BEGIN IMMEDIATE`` so that two requests that check a
    limit then insert cannot interleave. Anything pending is committed first; call this at the top
    of such a view, before the reads that the write depends on. Inside such a transaction that
    has written nothing yet (every POST opens one, then its view may call this again) there is
    nothing to commit and the lock is held already: nothing is done, so the objects loaded
    since (the signed-in user, the attempt…) are not expired and loaded again.

    The commit expires every loaded object, so that what the write depends on is read again
    inside the transaction; but objects of the classes in ``keep`` stay as they were loaded:
    content that the write does not decide on (a quiz's questions, read before the lock to
    grade its answers), which would otherwise be read again while the lock is held. Kept
    objects are as current as any read of a READ COMMITTED transaction.
    """
    if _unwritten_write_transaction():
        return
    if keep:
        with keeping_loaded():
            db.session.commit()
        _expire_all_but(keep)
    else:
        db.session.commit()
    if not is_sqlite():
        return
    token = _begin_immediate.set(True)
    try:
        connection = db.session.connection()
    finally:
        _begin_immediate.reset(token)
    db.session.info[_WRITE_MARK] = (connection, _changes(connection))


def _expire_all_but(keep: tuple[type, ...]) -> None:
    """Expire every object of the session that is not an instance of one of ``keep``."""
    session = db.session()
    for instance in list(session.identity_map.values()):
        if not isinstance(instance, keep):
            session.expire(instance)


@contextmanager
def keeping_loaded() -> Iterator[None]:
    """Inside, a commit leaves the objects loaded as they are (not expired)."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = expire


def commit_keeping_loaded() -> None:
    """Commit, leaving the objects loaded as they are (not expired).

    For a page built after a write from what the transaction read and wrote: a plain commit
    expires every object, which the page then reads again; built before the commit, the page
    holds SQLite's write lock the while.
    """
    with keeping_loaded():
        db.session.commit()


#: Key of ``Session.info``: the connection of the SQLite write transaction in progress and its
#: count of changed rows when it began (cleared when the transaction ends).
_WRITE_MARK = "lms_write_transaction"


def _changes(connection: sa.Connection) -> int:
    """Rows changed on this SQLite connection since it opened (any statement, ORM or not)."""
    return connection.connection.driver_connection.total_changes


def _unwritten_write_transaction() -> bool:
    """Whether the session is in a write transaction of :func:`begin_write` (SQLite) that has
    changed no row and has no change pending."""
    session = db.session()
    mark = session.info.get(_WRITE_MARK)
    if mark is None or not session.in_transaction():
        return False
    if session.new or session.dirty or session.deleted:
        return False
    connection, changes = mark
    return session.connection() is connection and _changes(connection) == changes


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_write_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WRITE_MARK, None)


def bulk_insert(table: sa.Table, rows: list[dict]) -> None:
    """Insert many rows in the session's transaction, fast on both databases.

    Every row gives the same keys, and every NOT NULL column without a server default (Python
    defaults are not applied on PostgreSQL). SQLite: one ``executemany``. PostgreSQL: one
    ``COPY … FROM STDIN`` (psycopg), about ten times faster than an executemany of 5,000 rows
    of e-mail bodies; it is not seen by SQLAlchemy's statement events.
    """
    if not rows:
        return
    connection = db.session.connection()
    if is_sqlite():
        connection.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    pairs = [(name, table.c[name].type) for name in columns]
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([_copy_value(row[name], type_) for name, type_ in pairs])


def _copy_value(value, type_: sa.types.TypeEngine):
    """A value as COPY takes it: JSON serialised, the rest as psycopg adapts it."""
    if value is not None and isinstance(type_, sa.JSON):
        return json.dumps(value)
    return value
