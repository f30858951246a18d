"""Timing and SQL statement counting of pages (Flask test client) and of the outbox sender."""

from __future__ import annotations

import re
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask, before_render_template, template_rendered

from lms.db import db

#: Statements that are not queries of the page (transaction control, SQLite settings).
NOT_QUERIES = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


@dataclass
class Result:
    """One measurement: a page at a cohort size, or the outbox sender with one backend."""

    name: str
    size: int | None
    count: int  # requests made, or messages sent
    seconds: float
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    render_ms: list[float] = field(default_factory=list)
    unit: str = "req/s"
    status: int = 200
    kbytes: float = 0.0

    @property
    def rate(self) -> float:
        """Requests (or messages) per second over the whole measurement."""
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float | None:
        """Median time of one request, in milliseconds."""
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95(self) -> float | None:
        """95th percentile of the request times, in milliseconds."""
        if len(self.times_ms) < 2:
            return self.p50
        return statistics.quantiles(self.times_ms, n=20, method="inclusive")[-1]

    def as_dict(self) -> dict:
        """The figures of the table, for ``--json``."""
        return {
            "name": self.name,
            "size": self.size,
            "count": self.count,
            "unit": self.unit,
            "rate": round(self.rate, 1),
            "p50_ms": self.p50 and round(self.p50, 2),
            "p95_ms": self.p95 and round(self.p95, 2),
            "queries": max(self.queries) if self.queries else None,
            "queries_min": min(self.queries) if self.queries else None,
            "sql_p50_ms": _median(self.sql_ms),
            "render_p50_ms": _median(self.render_ms),
            "status": self.status,
            "kbytes": round(self.kbytes, 1),
        }


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


@dataclass
class Tally:
    """SQL statements seen (queries only), the time spent executing all statements, and the
    time spent rendering templates (``render_template``, includes and macros within)."""

    statements: list[str] = field(default_factory=list)
    seconds: float = 0.0
    render_seconds: float = 0.0
    _started: float = 0.0
    _rendering: float = 0.0

    def before(self, conn, cursor, statement, *args) -> None:
        """Engine hook: a statement is about to run."""
        if not statement.lstrip().upper().startswith(NOT_QUERIES):
            self.statements.append(statement)
        self._started = time.perf_counter()

    def after(self, *args) -> None:
        """Engine hook: the statement ran (its rows are not fetched yet)."""
        self.seconds += time.perf_counter() - self._started

    def render_starts(self, sender, **extra) -> None:
        """Flask signal: a template is about to be rendered."""
        self._rendering = time.perf_counter()

    def render_ends(self, sender, **extra) -> None:
        """Flask signal: the template was rendered."""
        self.render_seconds += time.perf_counter() - self._rendering


@contextmanager
def counting(app: Flask):
    """Count and time the SQL statements run on the app's engine, and time the rendering of
    templates; yields a :class:`Tally`."""
    with app.app_context():
        engine = db.engine
    tally = Tally()
    sa.event.listen(engine, "before_cursor_execute", tally.before)
    sa.event.listen(engine, "after_cursor_execute", tally.after)
    before_render_template.connect(tally.render_starts, app)
    template_rendered.connect(tally.render_ends, app)
    try:
        yield tally
    finally:
        sa.event.remove(engine, "before_cursor_execute", tally.before)
        sa.event.remove(engine, "after_cursor_execute", tally.after)
        before_render_template.disconnect(tally.render_starts, app)
        template_rendered.disconnect(tally.render_ends, app)


def sign_in(app: Flask, email: str, password: str):
    """A test client signed in through the real login form."""
    client = app.test_client()
    page = client.get("/compte/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    response = client.post("/compte/connexion", data=data)
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in as {email} (HTTP {response.status_code})")
    return client


def page(app, client, name: str, path: str, size: int | None, requests: int, budget: float):
    """GET ``path`` once to warm up, then ``requests`` times (fewer if ``budget`` seconds pass)."""
    warm = client.get(path)
    if warm.status_code != 200:
        raise RuntimeError(f"{name}: GET {path} answered HTTP {warm.status_code}")
    result = Result(name, size, 0, 0.0, kbytes=len(warm.data) / 1024)
    with counting(app) as tally:
        start = time.perf_counter()
        while result.count < requests and time.perf_counter() - start < budget:
            before, in_sql, rendering = len(tally.statements), tally.seconds, tally.render_seconds
            t0 = time.perf_counter()
            response = client.get(path)
            result.times_ms.append((time.perf_counter() - t0) * 1000)
            result.queries.append(len(tally.statements) - before)
            result.sql_ms.append((tally.seconds - in_sql) * 1000)
            result.render_ms.append((tally.render_seconds - rendering) * 1000)
            result.status = max(result.status, response.status_code)
            result.count += 1
        result.seconds = time.perf_counter() - start
    return result


def bare_flask(requests: int) -> Result:
    """The reference: a bare Flask app returning a short text (the design's « 1.0 »)."""
    app = Flask("bare")
    app.add_url_rule("/", "index", lambda: "ok")
    client = app.test_client()
    client.get("/")
    result = Result("bare Flask (reference)", None, requests, 0.0)
    start = time.perf_counter()
    for _ in range(requests):
        t0 = time.perf_counter()
        client.get("/")
        result.times_ms.append((time.perf_counter() - t0) * 1000)
    result.seconds = time.perf_counter() - start
    return result
