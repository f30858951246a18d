"""Importing a list of learners: a French-Excel CSV file (Windows-1252, ``;``, CRLF) of N rows
uploaded by the administrator to a new session, validated, enrolled and its invitations queued.

Timed through the test client (the whole request: upload, reading, checks, bulk inserts, the
invitations rendered and queued in the outbox, the commit, the redirect); nothing is sent."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from io import BytesIO

import sqlalchemy as sa

from benchmarks.measure import Result, counting
from courses.models import Course, CourseRun, Enrolment
from lms.db import db


def learner_file(rows: int) -> bytes:
    """The file as French Excel saves it, with accents, organisations and job titles."""
    lines = ["Civilité;Nom;Prénom;Adresse électronique;Organisme;Fonction"]
    lines += [
        f"Mme;Lefèvre-{n};Hélène;helene.lefevre.{n}@bench.example.org;"
        f"Mairie de Saint-Étienne {n % 40};Chargée de mission"
        for n in range(rows)
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _new_run(app, rows: int) -> int:
    with app.app_context():
        course = db.session.scalar(sa.select(Course).order_by(Course.id))
        run = CourseRun(
            course=course,
            title=f"Import de {rows} apprenants",
            starts_on=date.today() + timedelta(days=7),
            ends_on=date.today() + timedelta(days=37),
            capacity=None,
        )
        db.session.add(run)
        db.session.commit()
        return run.id


def measure(app, admin_client, rows: int) -> Result:
    """Upload the file once; the row of the table is the whole request."""
    run_id = _new_run(app, rows)
    path = f"/admin/sessions/{run_id}"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', admin_client.get(path).text)
    data = learner_file(rows)
    with counting(app) as tally:
        start = time.perf_counter()
        response = admin_client.post(
            f"{path}/import-csv",
            data={"csrf_token": token.group(1), "file": (BytesIO(data), "stagiaires.csv")},
            content_type="multipart/form-data",
        )
        seconds = time.perf_counter() - start
    if response.status_code != 302:
        raise RuntimeError(f"import refused (HTTP {response.status_code})")
    with app.app_context():
        enrolled = db.session.scalar(
            sa.select(sa.func.count(Enrolment.id)).where(Enrolment.run_id == run_id)
        )
    if enrolled != rows:
        raise RuntimeError(f"{enrolled} of {rows} learners enrolled")
    return Result(
        "import-apprenants",
        rows,
        rows,
        seconds,
        times_ms=[seconds * 1000],
        queries=[len(tally.statements)],
        sql_ms=[tally.seconds * 1000],
        render_ms=[tally.render_seconds * 1000],
        unit="rows/s",
        kbytes=round(len(data) / 1024, 1),
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.learner_import [--db sqlite|postgresql] [--rows 5000]``: the import
    alone, on a fresh database holding one course and one administrator."""
    import argparse
    import sys
    import tempfile
    from contextlib import ExitStack
    from pathlib import Path

    from benchmarks import measure as pages
    from benchmarks.report import IMPORT_TARGET_ROWS, IMPORT_TARGET_S
    from benchmarks.run import database_url, make_app
    from lms.models import Role, User
    from tests.factories import make_course

    parser = argparse.ArgumentParser(prog="python -m benchmarks.learner_import")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rows", type=int, default=IMPORT_TARGET_ROWS)
    args = parser.parse_args(argv)
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="parcours-import-") as tmp:
        app = make_app(database_url(args, stack, Path(tmp)), Path(tmp))
        with app.app_context():
            make_course()
            admin = User(email="admin@bench.example.org", name="Admin", role=Role.ADMIN)
            admin.set_password("bench-password")
            db.session.add(admin)
            db.session.commit()
        client = pages.sign_in(app, "admin@bench.example.org", "bench-password")
        result = measure(app, client, args.rows)
        with app.app_context():
            db.engine.dispose()
    target = IMPORT_TARGET_S * args.rows / IMPORT_TARGET_ROWS
    sys.stdout.write(
        f"{args.db}: {args.rows} rows validated and enrolled in {result.seconds:.2f} s "
        f"(target ≤ {target:g} s), {result.queries[0]} SQL statements, "
        f"SQL {result.sql_ms[0] / 1000:.2f} s\n"
    )
    return 0 if result.seconds <= target else 1


if __name__ == "__main__":
    raise SystemExit(main())
