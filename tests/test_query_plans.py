"""The main pages find their rows through indexes: no full scan of the tables that grow with
the learners (SQLite ``EXPLAIN QUERY PLAN`` of every statement a page runs)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.db import db
from tests.courses.test_learner_pages import activities_of
from tests.courses.test_roster_pages import big_run  # noqa: F401 - fixture
from tests.factories import enrol
from tests.quizzes.builders import analysis_quiz

BIG_TABLES = ("progress", "enrolments", "attempts", "answers")
SCAN = re.compile(r"^SCAN (\w+)")


@pytest.fixture
def captured(app):
    """Every SELECT (with its parameters) run on the engine while the block runs."""
    seen: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", keep)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", keep)


def full_scans(statements) -> list[str]:
    """Plan lines that read a whole big table (or a whole index of it)."""
    found = []
    with db.engine.connect() as conn:
        for statement, parameters in statements:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            for row in plan:
                scan = SCAN.match(row[-1])
                if scan and scan.group(1) in BIG_TABLES:
                    found.append(f"{row[-1]} ← {statement}")
    return found


def _pages_run(client, login, who, urls, captured) -> list:
    """The SELECTs run by ``urls`` (signing in is not one of the measured pages)."""
    login(who)
    captured.clear()
    for url in urls:
        assert client.get(url).status_code == 200, url
    return list(captured)


def test_learner_and_staff_pages_use_indexes(
    client,
    login,
    make_user,
    big_run,  # noqa: F811
    captured,
):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans depend on statistics")
    trainer, run = big_run
    quiz = analysis_quiz(run.course)
    learner = make_user()
    enrol(run, learner)
    lesson = activities_of(run.course)[0]
    statements = _pages_run(
        client,
        login,
        learner,
        [
            "/parcours",
            f"/parcours/sessions/{run.id}",
            f"/parcours/sessions/{run.id}/activites/{lesson.id}",
        ],
        captured,
    )
    statements += _pages_run(
        client,
        login,
        trainer,
        [
            f"/formateur/sessions/{run.id}",
            f"/formateur/sessions/{run.id}?state=not_started&sort=progress",
            f"/formateur/sessions/{run.id}/resultats",
            f"/formateur/sessions/{run.id}/quiz/{quiz.id}/analyse",
        ],
        captured,
    )
    statements += _pages_run(
        client, login, make_user("admin"), [f"/admin/sessions/{run.id}"], captured
    )
    assert len(statements) > 20, "the pages ran their statements"
    assert full_scans(statements) == []
