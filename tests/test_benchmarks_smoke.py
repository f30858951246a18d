"""The benchmark script still runs: every page measured, query counts and checks reported.

It runs on a tiny data set (two runs of 2 and 5 learners, 3 requests per page) and asserts only
on the structure of its report, never on timings: performance targets live in benchmarks/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.report import OUTBOX_TARGETS, PAGE_TARGETS_MS
from benchmarks.run import PAGES

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_script_measures_every_page_and_the_outbox(request, tmp_path):
    db = request.config.getoption("--db")
    out = tmp_path / "bench.json"
    command = [sys.executable, "-m", "benchmarks.run", "--db", db, "--learners", "5,2"]
    command += ["--requests", "3", "--messages", "5", "--import-rows", "40", "--json", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())

    assert report["db"] == db
    assert report["sizes"] == [2, 5]
    pages = {(r["name"], r["size"]): r for r in report["results"] if r["unit"] == "req/s"}
    for name, _who, _path in PAGES:
        for size in (2, 5):
            row = pages[(name, size)]
            assert row["status"] == 200
            assert row["count"] == 3
            assert isinstance(row["queries"], int) and row["queries"] > 0
            assert row["kbytes"] > 0
    mail = {r["name"]: r for r in report["results"] if r["unit"] == "msg/s"}
    assert set(mail) == set(OUTBOX_TARGETS)
    assert all(row["count"] == 5 for row in mail.values())

    checks = [c["check"] for c in report["checks"]]
    for name in PAGE_TARGETS_MS:
        assert any(c.startswith(f"{name}: p50") for c in checks)
        assert any(c.startswith(f"{name}: same SQL queries") for c in checks)
    assert "| grille-progression | 5 | 3 |" in done.stdout
    imported = next(r for r in report["results"] if r["name"] == "import-apprenants")
    assert (imported["size"], imported["count"], imported["unit"]) == (40, 40, "rows/s")
    assert any(c.startswith("import-apprenants: 40 rows") for c in checks)


def test_database_size_benchmark_fills_and_measures_twice(request, tmp_path):
    db = request.config.getoption("--db")
    out = tmp_path / "db_size.json"
    command = [sys.executable, "-m", "benchmarks.db_size", "--db", db, "--learners", "3"]
    command += ["--small", "200", "--large", "900", "--requests", "2", "--json", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    small, large = report["passes"]
    assert (small["filler"], large["filler"]) == ("200", "900")
    assert large["answers_in_database"] - small["answers_in_database"] == 700
    for name, _who, _path in PAGES:
        assert small["pages"][name]["queries"] and large["pages"][name]["p50"] > 0
    assert {c["page"] for c in report["checks"]} == {name for name, _w, _p in PAGES}
    assert "| grille-progression |" in done.stdout
