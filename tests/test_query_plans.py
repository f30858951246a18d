"""The main pages find their rows through indexes: no full scan of the tables that grow with
the learners or with the database, so that a page costs the same with 10,000 or 1,000,000
answers in the database (issue 10).

Two checks: every statement a page runs, explained by SQLite (``EXPLAIN QUERY PLAN``); and the
main lookups one by one (:data:`LOOKUPS`), explained by both databases — SQLite (no ``SCAN``
of a big table, only ``SEARCH … USING INDEX``) and PostgreSQL (``EXPLAIN`` with
``enable_seqscan=off``: with sequential scans priced out, a ``Seq Scan`` of a big table
remains only where no index can serve).
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from courses import roster
from courses.models import Enrolment, Progress
from lms.db import db, is_sqlite
from lms.mail.models import MailStatus, OutboxMessage
from quizzes.campaigns.models import Invitation, InvitationState
from quizzes.models import Answer, AnswerChoice, Attempt, Question, StoredAnalysis
from quizzes.results import free_texts, paged, reports, stored
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


#: Tables that grow with the database (people × activities × answers).
BIG = (
    "answers",
    "answer_choices",
    "attempts",
    "progress",
    "enrolments",
    "followup_invitations",
    "outbox_messages",
    "users",
)
NOW = datetime(2026, 12, 7, 8, 0)


def _compiled(statement):
    compiled = statement.compile(
        dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True}
    )
    if compiled.positional:
        return str(compiled), tuple(compiled.params[name] for name in compiled.positiontup)
    return str(compiled), compiled.params


def explain(statement) -> str:
    """The database's plan of ``statement``, one line per step."""
    sql, params = _compiled(statement)
    with db.engine.connect() as conn:
        if is_sqlite():
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
            return "\n".join(row[-1] for row in rows)
        conn.exec_driver_sql("SET enable_seqscan = off")
        rows = conn.exec_driver_sql("EXPLAIN " + sql, params).all()
        return "\n".join(row[0] for row in rows)


def big_table_scans(text: str) -> list[str]:
    """The big tables the plan reads whole."""
    if is_sqlite():
        found = re.findall(r"\bSCAN (\w+)", text)  # SEARCH … USING INDEX is a lookup
    else:
        found = re.findall(r"Seq Scan on (\w+)", text)
    return sorted({table for table in found if table in BIG})


LOOKUPS = {
    "progress of a learner in a run": lambda: sa.select(Progress).where(Progress.enrolment_id == 1),
    "enrolments of a run": lambda: sa.select(Enrolment).where(Enrolment.run_id == 1),
    "attempts of a learner at a quiz": lambda: sa.select(Attempt).where(
        Attempt.user_id == 1, Attempt.run_id == 1, Attempt.instrument_id == 1
    ),
    "attempts of a learner (all)": lambda: sa.select(Attempt).where(Attempt.user_id == 1),
    "answers of an attempt": lambda: sa.select(Answer).where(Answer.attempt_id == 1),
    "choices of an attempt's answers": lambda: (
        sa.select(AnswerChoice)
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .where(Answer.attempt_id == 1)
    ),
    "item analysis: first attempts": lambda: reports.first_attempt_ids(1, 1),
    "item analysis: choice counts": lambda: (
        sa.select(AnswerChoice.question_id, AnswerChoice.choice_key, sa.func.count())
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .where(Answer.attempt_id.in_(reports.first_attempt_ids(1, 1)))
        .group_by(AnswerChoice.question_id, AnswerChoice.choice_key)
    ),
    "item analysis: version": lambda: sa.select(
        sa.func.count(Attempt.id), sa.func.max(Attempt.submitted_at)
    ).where(Attempt.instrument_id == 1, Attempt.run_id == 1, Attempt.state.in_(reports.FINISHED)),
    "item analysis: stored figures": lambda: sa.select(StoredAnalysis.data).where(
        StoredAnalysis.run_id == 1, StoredAnalysis.instrument_id == 1
    ),
    "questionnaire: free texts": lambda: (
        sa.select(Answer.id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            Answer.attempt_id.in_(reports.finished_attempt_ids(1, 1)),
            Answer.question_id.in_([1, 2]),
            sa.func.trim(free_texts.text_column()) != "",
        )
    ),
    "invitations of a campaign": lambda: sa.select(Invitation).where(
        Invitation.campaign_id == 1, Invitation.state != InvitationState.ANSWERED
    ),
    "invitations of a learner": lambda: sa.select(Invitation).where(Invitation.user_id == 1),
    "outbox: due messages": lambda: (
        sa.select(OutboxMessage)
        .where(OutboxMessage.status == MailStatus.QUEUED, OutboxMessage.next_attempt_at <= NOW)
        .order_by(OutboxMessage.next_attempt_at)
        .limit(200)
    ),
    "progress of a page of learners": lambda: (
        sa.select(Progress.enrolment_id, sa.func.count())
        .where(Progress.enrolment_id.in_([1, 2, 3]))
        .group_by(Progress.enrolment_id)
    ),
    "grading queue of a run": lambda: (
        sa.select(Answer.id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.run_id == 1, Attempt.state.in_(reports.FINISHED), Answer.graded_at.is_(None))
    ),
    # What the database runs for ON DELETE SET NULL when an attempt, a person or an
    # activity is deleted (erasure of personal data, re-import of a course).
    "deleting an attempt: its invitation": lambda: sa.select(Invitation.id).where(
        Invitation.attempt_id == 1
    ),
    "erasing a person: answers they graded": lambda: sa.select(Answer.id).where(
        Answer.graded_by_id == 1
    ),
    "erasing a person: attempts they entered": lambda: sa.select(Attempt.id).where(
        Attempt.entered_by_id == 1
    ),
    "deleting an activity: enrolments resuming there": lambda: sa.select(Enrolment.id).where(
        Enrolment.last_activity_id == 1
    ),
}


@pytest.mark.parametrize("name", list(LOOKUPS))
def test_lookup_uses_an_index_on_both_databases(app, name):
    text = explain(LOOKUPS[name]())
    assert big_table_scans(text) == [], f"{name}: full scan of a big table\n{text}"


#: Aggregates over a whole run that a staff page runs on every request: they must not read
#: one table row per learner (~8 ms with 5,000 learners on SQLite), only an index. Each with
#: its table, the columns it filters on, and every column it reads.
COVERED = {
    "item analysis: version": (
        lambda: stored.version_query(1, 1),
        "attempts",
        ["run_id", "instrument_id", "state"],
        {"id", "submitted_at", "score"},
    ),
    "run totals: learners per status, started": (
        lambda: roster.totals_query(1),
        "enrolments",
        ["run_id"],
        {"id", "status", "started_at"},
    ),
}


def _index_columns(table: str) -> list[list[str]]:
    """PostgreSQL: the columns of each index of ``table``, in order."""
    rows = db.session.execute(
        sa.text(
            "SELECT i.indexrelid, a.attname FROM pg_index i "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = CAST(:table AS regclass) "
            "ORDER BY i.indexrelid, array_position(i.indkey::int2[], a.attnum)"
        ),
        {"table": table},
    ).all()
    found: dict[int, list[str]] = {}
    for index, column in rows:
        found.setdefault(index, []).append(column)
    return list(found.values())


@pytest.mark.parametrize("name", list(COVERED))
def test_run_aggregates_are_answered_from_an_index_alone(app, name):
    """SQLite's plan says « COVERING INDEX ». PostgreSQL's choice on the small tables of a test
    says nothing (a narrower index wins there, and with index scans priced out it prices
    index-only scans out too): it must have an index that starts with the filtered columns
    and holds every column read, which its planner uses once the run is big (« Index Only
    Scan », 2 ms for 6,068 attempts in the benchmark)."""
    statement, table, filtered, read = COVERED[name]
    if is_sqlite():
        text = explain(statement())
        assert "USING COVERING INDEX" in text, f"{name}: reads the table\n{text}"
        return
    usable = [
        columns
        for columns in _index_columns(table)
        if set(columns[: len(filtered)]) == set(filtered) and set(filtered) | read <= set(columns)
    ]
    assert usable, f"{name}: no index of {table} covers it: {_index_columns(table)}"


#: Pages of learners in the default orders of the staff tables: the database must read them
#: in an index's order (50 rows), not sort every learner of the run for each page.
SORTED_PAGES = {
    "progress grid, by name": lambda run: roster.learners_page(run, roster.listing({}, []), []),
    "progress grid, by name descending": lambda run: roster.learners_page(
        run, roster.listing({"desc": "1"}, []), []
    ),
    "administrator's table, withdrawn last": lambda run: roster.learners_page(
        run, roster.listing({}, []), [], withdrawn_last=True
    ),
    "results, by name": lambda run: paged.run_learners_page(run, paged.learners_listing({})),
}


@pytest.mark.parametrize("name", list(SORTED_PAGES))
def test_a_page_of_learners_is_read_in_index_order(app, big_run, captured, name):  # noqa: F811
    """SQLite: no « TEMP B-TREE FOR ORDER BY ». PostgreSQL: with sorts priced out (small test
    tables would rather sort), a plan without a Sort node exists — an index gives the order."""
    _trainer, run = big_run
    captured.clear()
    page = SORTED_PAGES[name](run)
    assert len(page.items) == 50
    statement, parameters = next((s, p) for s, p in captured if "LIMIT" in s.upper())
    with db.engine.connect() as conn:
        if is_sqlite():
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            plan = "\n".join(row[-1] for row in rows)
            assert "TEMP B-TREE" not in plan, f"{name}: sorts the run\n{plan}\n{statement}"
        else:
            conn.exec_driver_sql("SET enable_sort = off")
            conn.exec_driver_sql("SET enable_seqscan = off")
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            plan = "\n".join(row[0] for row in rows)
            assert not re.search(r"\bSort\b", plan), f"{name}: sorts the run\n{plan}"
    assert "ix_enrolments_run_" in plan, plan
