"""Pages flat in the size of the database: ``python -m benchmarks.db_size [--db postgresql]``.

Builds the data set once (one run of ``--learners`` learners, :mod:`benchmarks.dataset`), adds
``--small`` filler answers in other runs of the other courses (:mod:`benchmarks.filler`),
measures every page of :data:`benchmarks.run.PAGES` through the test client, then adds filler
answers up to ``--large`` in the same database, and measures again. Target (issue 10): every
page's p50 with the large database ≤ 1.3× its p50 with the small one, and the same number of
queries. On PostgreSQL ``ANALYZE`` runs after each load, as autovacuum would.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from benchmarks import dataset, filler, run

RATIO = 1.3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.db_size", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--learners", type=int, default=500, help="learners of the measured run")
    parser.add_argument("--small", type=int, default=10_000, help="filler answers, first pass")
    parser.add_argument("--large", type=int, default=1_000_000, help="filler answers in all")
    parser.add_argument("--requests", type=int, default=30, help="requests per page and pass")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds per page at most")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.sizes, args.analyze = [args.learners], True
    if args.large < args.small:
        parser.error("--large must be at least --small")
    return args


def _fill(app, answers: int, analyze: bool) -> float:
    """Add ``answers`` filler answers; the seconds it took."""
    started = time.perf_counter()
    with app.app_context():
        filler.add(answers)
        if analyze:
            dataset.analyze()
    return time.perf_counter() - started


def _pass(app, data, args, label: str, fill_seconds: float) -> dict:
    import sqlalchemy as sa

    from lms.db import db
    from quizzes.models import Answer

    with app.app_context():
        answers = db.session.scalar(sa.select(sa.func.count(Answer.id)))
    results = run.measure_pages(app, data, args)
    return {
        "filler": label,
        "answers_in_database": answers,
        "fill_seconds": round(fill_seconds, 1),
        "pages": {r.name: {"p50": r.p50, "queries": sorted(set(r.queries))} for r in results},
    }


def measure(args) -> dict:
    """Build, fill, measure, fill more, measure again; the two passes and the checks."""
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="parcours-dbsize-") as tmp:
        folder = Path(tmp)
        app = run.make_app(run.database_url(args, stack, folder), folder)
        with app.app_context():
            data = dataset.build(args.sizes)
        small = _pass(app, data, args, f"{args.small:,}", _fill(app, args.small, True))
        more = _fill(app, args.large - args.small, True)
        large = _pass(app, data, args, f"{args.large:,}", more)
        with app.app_context():
            from lms.db import db

            db.engine.dispose()
    return {"db": args.db, "learners": args.learners, "passes": [small, large]}


def checks(summary: dict) -> list[dict]:
    """Per page: p50 with the large filler ≤ 1.3× with the small one, same queries."""
    small, large = (p["pages"] for p in summary["passes"])
    found = []
    for name, before in small.items():
        after = large[name]
        ratio = after["p50"] / before["p50"] if before["p50"] else None
        found.append(
            {
                "page": name,
                "ratio": ratio,
                "ok": ratio is not None
                and ratio <= RATIO
                and after["queries"] == before["queries"],
            }
        )
    return found


def render(summary: dict) -> str:
    """The table: p50 and queries of each page in both passes, the ratio and the verdict."""
    small, large = summary["passes"]
    lines = [
        f"Database size ({summary['db']}, run of {summary['learners']} learners): filler "
        f"{small['filler']} answers ({small['fill_seconds']} s) then {large['filler']} "
        f"({large['fill_seconds']} s more)",
        "",
        f"| page | p50 ms ({small['filler']}) | p50 ms ({large['filler']}) | × | queries | ok |",
        "|---|---:|---:|---:|---|---|",
    ]
    for check in summary["checks"]:
        name = check["page"]
        a, b = small["pages"][name], large["pages"][name]
        ratio = f"{check['ratio']:.2f}" if check["ratio"] is not None else "–"
        lines.append(
            f"| {name} | {a['p50']:.1f} | {b['p50']:.1f} | {ratio} | "
            f"{a['queries']} → {b['queries']} | {'yes' if check['ok'] else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m benchmarks.db_size``."""
    args = parse_args(argv)
    summary = measure(args)
    summary["checks"] = checks(summary)
    sys.stdout.write(render(summary))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return 1 if args.strict and not all(c["ok"] for c in summary["checks"]) else 0


if __name__ == "__main__":
    sys.exit(main())
