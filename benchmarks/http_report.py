"""Targets, checks and the table of the HTTP benchmark (:mod:`benchmarks.http`)."""

from __future__ import annotations

import os
import platform
import statistics

from benchmarks.load import Load

#: Minimum ratio to bare Flask by kind of page and database (issue 10).
RATIO_TARGETS = {
    "learner": {"sqlite": 0.35, "postgresql": 0.25},
    "save": {"sqlite": 0.20, "postgresql": 0.20},
    "submit": {"sqlite": 0.10, "postgresql": 0.10},
    "staff": {"sqlite": 0.10, "postgresql": 0.10},
}
P99_MS = {"learner": 50.0}  # learner pages at the benchmark's connections
MAX_KB = {"staff": 100.0}  # a staff page stays small whatever the size of the session
FLAT_FROM, FLAT_RATIO = 500, 1.3  # p50 at the largest size ≤ 1.3 × p50 at 500 learners
MAX_RSS_MB = 150.0


def row(name: str, kind: str, size: int | None, load: Load, kbytes: float) -> dict:
    """The figures of one measured page."""
    return {
        "name": name,
        "kind": kind,
        "size": size,
        "connections": load.connections,
        "requests": load.requests,
        "rate": round(load.rate, 1),
        "p50_ms": round(load.p50_ms, 2),
        "p99_ms": round(load.p99_ms, 2),
        "errors": load.errors,
        "kbytes": round(kbytes, 1),
    }


def progress(r: dict) -> str:
    """One line on stderr while the benchmark runs."""
    return f"  {r['name']} ({r['size'] or '-'}): {r['rate']} req/s, p99 {r['p99_ms']} ms"


def summarise(args, rows: list[dict], rss: list[float], requests: int) -> dict:
    """Ratios to the bare app, checks against the targets, and the context of the run."""
    bare = statistics.mean(r["rate"] for r in rows if r["kind"] == "reference")
    for r in rows:
        r["ratio"] = round(r["rate"] / bare, 3) if bare else 0.0
    _nearby_bare(rows)
    return {
        "db": args.db,
        "sizes": args.sizes,
        "duration": args.duration,
        "connections": args.connections,
        "workers": args.workers,
        "machine": f"{os.cpu_count()} CPU, {platform.python_implementation()} "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f}",
        "bare_rate": round(bare, 1),
        "rows": rows,
        "rss_mb": rss,
        "requests": requests,
        "checks": checks(args.db, rows, rss),
    }


def checks(db: str, rows: list[dict], rss: list[float]) -> list[dict]:
    """Every target of issue 10 that this run can tell."""
    found = []
    for r in rows:
        kind, label = r["kind"], f"{r['name']} ({r['size']})"
        if kind in RATIO_TARGETS:
            want = RATIO_TARGETS[kind][db]
            found.append(_check(f"{label}: ≥ {want}× bare Flask", r["ratio"] >= want))
            found.append(_check(f"{label}: no error", r["errors"] == 0))
        if kind in P99_MS:
            want = P99_MS[kind]
            found.append(_check(f"{label}: p99 ≤ {want:.0f} ms", r["p99_ms"] <= want))
        if kind in MAX_KB:
            found.append(_check(f"{label}: ≤ {MAX_KB[kind]:.0f} KB", r["kbytes"] <= MAX_KB[kind]))
    found += _flat(rows)
    if rss:
        found.append(_check(f"worker RSS ≤ {MAX_RSS_MB:.0f} MB", max(rss) <= MAX_RSS_MB))
    return found


def _flat(rows: list[dict]) -> list[dict]:
    """Staff pages: p50 at the largest size against p50 at 500 learners, each in units of
    the bare Flask requests measured around its run size (``bare_near``): the machine's
    speed drifts during a run of several minutes, and a page measured later on a slower
    machine must not look like a page that grows with the session."""
    found = []
    staff = [r for r in rows if r["kind"] == "staff"]
    largest = max((r["size"] for r in staff), default=0)
    if largest <= FLAT_FROM:
        return found
    at = {(r["name"], r["size"]): r for r in staff}
    for name in dict.fromkeys(r["name"] for r in staff):
        base, big = at.get((name, FLAT_FROM)), at.get((name, largest))
        if base and big:
            ok = _cost(big) <= FLAT_RATIO * _cost(base)
            found.append(_check(f"{name}: p50 at {largest} ≤ {FLAT_RATIO}× p50 at {FLAT_FROM}", ok))
    return found


def _nearby_bare(rows: list[dict]) -> None:
    """Give each row ``bare_near``: the mean rate of the bare Flask references measured just
    before and just after it (one 5-second sample alone can fall in a slow moment)."""
    references = [i for i, r in enumerate(rows) if r["kind"] == "reference"]
    for i, r in enumerate(rows):
        before = [rows[j]["rate"] for j in references if j <= i][-1:]
        after = [rows[j]["rate"] for j in references if j >= i][:1]
        near = before + after
        r["bare_near"] = round(statistics.mean(near), 1) if near else None


def _cost(r: dict) -> float:
    """p50 in bare Flask requests of the same moment (p50 alone without a nearby reference)."""
    return r["p50_ms"] * (r.get("bare_near") or 1.0)


def _check(text: str, ok: bool) -> dict:
    return {"check": text, "ok": bool(ok)}


def render(summary: dict) -> str:
    """The table and the checks, in Markdown."""
    lines = [
        f"\n## HTTP benchmark — {summary['db']}, gunicorn sync × {summary['workers']}, "
        f"wrk {summary['connections']} connections × {summary['duration']:g} s per page",
        "",
        f"Machine: {summary['machine']}. Bare Flask: {summary['bare_rate']} requests/s.",
        "",
        "| page | learners | conn. | req/s | p50 ms | p99 ms | × bare | errors | KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in summary["rows"]:
        lines.append(
            f"| {r['name']} | {r['size'] or '–'} | {r['connections']} | {r['rate']} "
            f"| {r['p50_ms']} | {r['p99_ms']} | {r['ratio']:.3f} | {r['errors']} | {r['kbytes']} |"
        )
    rss = ", ".join(f"{mb} MB" for mb in summary["rss_mb"])
    lines += ["", f"Worker RSS after {summary['requests']} requests: {rss}.", ""]
    export = summary.get("export")
    if export:
        files = ", ".join(f"{name} {kb} KB" for name, kb in export["kbytes"].items())
        lines[-2] = (
            f"Worker RSS after {summary['requests']} requests and the staff exports of "
            f"{export['learners']} learners ({files}; {export['seconds']} s each): {rss}."
        )
    floor = {r["name"]: r["ratio"] for r in summary["rows"] if r["kind"] == "floor"}
    if "plancher-connecte" in floor:
        anonymous = floor.get("plancher-anonyme")
        also = f" ({anonymous:.3f}× anonymous)" if anonymous is not None else ""
        lines += [
            f"Floor: an empty page of Parcours answers at {floor['plancher-connecte']:.3f}× "
            f"bare Flask for a signed-in person{also}: no signed-in page can do better with "
            "this stack.",
            "",
        ]
    missed = [c for c in summary["checks"] if not c["ok"]]
    lines.append(f"Targets: {len(summary['checks']) - len(missed)} met, {len(missed)} missed.")
    lines += [f"- missed: {c['check']}" for c in missed]
    return "\n".join(lines) + "\n"
