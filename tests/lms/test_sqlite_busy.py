"""SQLite's write lock: ``BEGIN IMMEDIATE`` waits for the writer in progress (another gunicorn
worker) with short pauses, up to the busy timeout, then says « database is locked »."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from lms import db as lms_db


def _connection(path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout={lms_db.BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode=WAL")
    return connection


@pytest.fixture
def two_writers(tmp_path):
    path = tmp_path / "locks.sqlite"
    first, second = _connection(path), _connection(path)
    first.execute("CREATE TABLE t (n INTEGER)")
    yield first, second
    first.close()
    second.close()


def test_a_writer_waits_for_the_other_then_writes(two_writers):
    first, second = two_writers
    first.execute("BEGIN IMMEDIATE")
    first.execute("INSERT INTO t VALUES (1)")
    started, done = threading.Event(), threading.Event()

    def write():
        started.set()
        lms_db._begin_immediate_now(second)
        second.execute("INSERT INTO t VALUES (2)")
        second.execute("COMMIT")
        done.set()

    worker = threading.Thread(target=write)
    worker.start()
    started.wait(5)
    assert not done.wait(0.05)  # still waiting: the first writer holds the lock
    first.execute("COMMIT")
    worker.join(5)
    assert done.is_set()
    assert [n for (n,) in first.execute("SELECT n FROM t ORDER BY n")] == [1, 2]
    # the connection keeps its busy timeout for every other statement
    assert second.execute("PRAGMA busy_timeout").fetchone()[0] == lms_db.BUSY_TIMEOUT_MS


def test_a_writer_gives_up_after_the_busy_timeout(two_writers, monkeypatch):
    first, second = two_writers
    monkeypatch.setattr(lms_db, "BUSY_TIMEOUT_MS", 30)
    first.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        lms_db._begin_immediate_now(second)
    assert not second.in_transaction
    assert second.execute("PRAGMA busy_timeout").fetchone()[0] == 30
    first.execute("ROLLBACK")


def test_other_errors_are_not_waited_for(tmp_path):
    connection = _connection(tmp_path / "x.sqlite")
    connection.execute("BEGIN")
    with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
        lms_db._begin_immediate_now(connection)
    connection.close()
