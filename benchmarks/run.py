"""Run the benchmarks: ``python -m benchmarks.run [--db sqlite|postgresql] [--learners 12,100]``.

Builds a fresh migrated database (a temporary SQLite file, or a throw-away PostgreSQL server on
loopback), fills it (see :mod:`benchmarks.dataset`), then measures the main pages with the Flask
test client and the outbox sender, prints a table and checks it against :data:`TARGETS`.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from benchmarks import dataset, filler, learner_import, measure, outbox, report

#: (name, who signs in, path for a cohort). Names are the rows of the table.
PAGES = (
    ("mon-parcours", "learner", lambda c: "/parcours"),
    ("lecon", "learner", lambda c: f"/parcours/sessions/{c.run_id}/activites/{c.lesson_id}"),
    ("grille-progression", "trainer", lambda c: f"/formateur/sessions/{c.run_id}"),
    ("resultats", "trainer", lambda c: f"/formateur/sessions/{c.run_id}/resultats"),
    (
        "analyse-items",
        "trainer",
        lambda c: f"/formateur/sessions/{c.run_id}/quiz/{c.quiz_id}/analyse",
    ),
    ("admin-session", "admin", lambda c: f"/admin/sessions/{c.run_id}"),
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--learners",
        default="12,100,500",
        help="learners per run, comma-separated: one run per size (default 12,100,500)",
    )
    parser.add_argument("--requests", type=int, default=50, help="requests per page and size")
    parser.add_argument(
        "--budget", type=float, default=3.0, help="at most this many seconds per page and size"
    )
    parser.add_argument("--messages", type=int, default=300, help="messages per outbox batch")
    parser.add_argument(
        "--import-rows", type=int, default=5000, help="rows of the learner file imported"
    )
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="PostgreSQL: skip ANALYZE after the bulk load (planner statistics left stale)",
    )
    parser.add_argument(
        "--filler-answers",
        type=int,
        default=0,
        help="answers added in other runs of the other courses (a big database around the runs)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.sizes = sorted({int(n) for n in args.learners.split(",") if n.strip()})
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--learners needs at least one positive number")
    return args


def database_url(args, stack: ExitStack, folder: Path) -> str:
    """A fresh empty database: a SQLite file in ``folder``, or a throw-away PostgreSQL server."""
    if args.db == "sqlite":
        return "sqlite:///" + str(folder / "bench.sqlite")
    from tests.support import postgres

    server = postgres.start()
    stack.callback(server.stop)
    return server.create_database("parcours_bench")


def make_app(url: str, folder: Path):
    """The application as in production (not TESTING), on ``url``, schema from the migrations."""
    from flask_migrate import upgrade

    from lms import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key",
            "INSTANCE_PATH": str(folder / "instance"),
            "MAIL_BACKEND": "file",
            "LMS_BASE_URL": "http://localhost",
            "RATELIMIT_ENABLED": False,
        }
    )
    logging.disable(logging.INFO)  # the migrations' and the app's progress messages
    with app.app_context():
        upgrade(revision="heads")
    return app


def measure_pages(app, data: dataset.Dataset, args) -> list[measure.Result]:
    """Every page of :data:`PAGES` at every cohort size."""
    trainer = measure.sign_in(app, data.trainer_email, dataset.PASSWORD)
    admin = measure.sign_in(app, data.admin_email, dataset.PASSWORD)
    results = []
    for cohort in data.cohorts:
        learner = measure.sign_in(app, cohort.learner_email, dataset.PASSWORD)
        clients = {"learner": learner, "trainer": trainer, "admin": admin}
        for name, who, path in PAGES:
            results.append(
                measure.page(
                    app, clients[who], name, path(cohort), cohort.size, args.requests, args.budget
                )
            )
    return results


def measure_outbox(app, args) -> list[measure.Result]:
    """The sender's throughput to the file backend, then to aiosmtpd on loopback."""
    results = [outbox.throughput(app, "outbox-fichier", {"MAIL_BACKEND": "file"}, args.messages)]
    sink = outbox.smtp_sink()
    try:
        results.append(outbox.throughput(app, "outbox-smtp", sink.config(), args.messages))
    finally:
        sink.stop()
    if len(sink.messages) != args.messages:
        raise RuntimeError(f"the SMTP server received {len(sink.messages)} messages")
    return results


def run(args) -> dict:
    """Build, measure and return the report (also printed)."""
    started, load = time.perf_counter(), [round(os.getloadavg()[0], 2)]
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="parcours-bench-") as tmp:
        folder = Path(tmp)
        app = make_app(database_url(args, stack, folder), folder)
        with app.app_context():
            t0 = time.perf_counter()
            data = dataset.build(args.sizes)
            data.rows["filler answers"] = filler.add(args.filler_answers)
            build_seconds = time.perf_counter() - t0
            if args.analyze:
                dataset.analyze()
        results = [measure.bare_flask(max(args.requests, 200))]
        results += measure_pages(app, data, args)
        results += measure_outbox(app, args)
        admin = measure.sign_in(app, data.admin_email, dataset.PASSWORD)
        results.append(learner_import.measure(app, admin, args.import_rows))
        with app.app_context():
            from lms.db import db

            db.engine.dispose()
    load.append(round(os.getloadavg()[0], 2))
    summary = report.summarise(args, data, results, build_seconds, load)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    return summary


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m benchmarks.run``."""
    args = parse_args(argv)
    summary = run(args)
    sys.stdout.write(report.render(summary))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    missed = [c for c in summary["checks"] if not c["ok"]]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
