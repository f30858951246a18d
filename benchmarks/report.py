"""The targets, the checks against them, and the table printed by ``benchmarks.run``."""

from __future__ import annotations

import os

from benchmarks.measure import Result

#: Median time (ms) of one request at the largest cohort measured; README.md says why.
PAGE_TARGETS_MS = {
    "mon-parcours": 25.0,
    "lecon": 35.0,
    "grille-progression": 150.0,
    "resultats": 200.0,
    "analyse-items": 150.0,
    "admin-session": 150.0,
}
#: Messages per second of one ``send_queued`` batch.
OUTBOX_TARGETS = {"outbox-fichier": 100.0, "outbox-smtp": 50.0}
#: Seconds to validate and enrol a learner file (the whole request), for 5,000 rows.
IMPORT_TARGET_S = 5.0
IMPORT_TARGET_ROWS = 5000


def summarise(args, data, results: list[Result], build_seconds: float, load: list) -> dict:
    """Everything measured, as plain data: the context, the rows and the checks."""
    bare = next(r for r in results if r.size is None and r.unit == "req/s")
    rows = []
    for result in results:
        row = result.as_dict()
        row["relative"] = round(result.rate / bare.rate, 3) if result.unit == "req/s" else None
        rows.append(row)
    return {
        "db": args.db,
        "sizes": args.sizes,
        "requests": args.requests,
        "messages": args.messages,
        "build_seconds": round(build_seconds, 1),
        "cpus": os.cpu_count(),
        "load": load,
        "rows_written": data.rows,
        "results": rows,
        "checks": page_checks(rows, args.sizes) + outbox_checks(rows) + import_checks(rows),
    }


def page_checks(rows: list[dict], sizes: list[int]) -> list[dict]:
    """Per page: median time at the largest size, and the same query count at every size."""
    checks = []
    for name, target in PAGE_TARGETS_MS.items():
        mine = {r["size"]: r for r in rows if r["name"] == name}
        top = mine[max(sizes)]
        checks.append(
            {
                "check": f"{name}: p50 with {top['size']} learners ≤ {target:g} ms",
                "measured": f"{top['p50_ms']:.1f} ms",
                "ok": top["p50_ms"] <= target,
            }
        )
        counts = [_queries(mine[s]) for s in sizes]
        checks.append(
            {
                "check": f"{name}: same SQL queries per request at every size",
                "measured": " / ".join(counts),
                "ok": len(set(counts)) == 1,
            }
        )
    return checks


def outbox_checks(rows: list[dict]) -> list[dict]:
    """The sender's rate with each backend."""
    checks = []
    for name, target in OUTBOX_TARGETS.items():
        row = next(r for r in rows if r["name"] == name)
        checks.append(
            {
                "check": f"{name}: ≥ {target:g} messages/s",
                "measured": f"{row['rate']:.0f} msg/s",
                "ok": row["rate"] >= target,
            }
        )
    return checks


def import_checks(rows: list[dict]) -> list[dict]:
    """The learner import: the target scales with the rows (5 s for 5,000)."""
    row = next(r for r in rows if r["name"] == "import-apprenants")
    target = IMPORT_TARGET_S * max(row["size"], 1) / IMPORT_TARGET_ROWS
    return [
        {
            "check": f"import-apprenants: {row['size']} rows validated and enrolled ≤ {target:g} s",
            "measured": f"{row['p50_ms'] / 1000:.2f} s, {row['queries']} SQL statements",
            "ok": row["p50_ms"] / 1000 <= target,
        }
    ]


def _queries(row: dict) -> str:
    """The statements per request: one number, or the range when requests differed."""
    low, high = row["queries_min"], row["queries"]
    return "–" if high is None else str(high) if low == high else f"{low}–{high}"


def _cell(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _row(r: dict) -> str:
    """One line of the table."""
    cells = [
        r["name"],
        _cell(r["size"]),
        str(r["count"]),
        _cell(r["p50_ms"]),
        _cell(r["p95_ms"]),
        _cell(r["sql_p50_ms"]),
        _cell(r["render_p50_ms"]),
        f"{r['rate']:.0f} {r['unit']}",
        _cell(r["relative"], 3),
        _queries(r) + ("/msg" if r["unit"] == "msg/s" else ""),
        _cell(r["kbytes"]),
    ]
    return "| " + " | ".join(cells) + " |"


def render(summary: dict) -> str:
    """The results as a Markdown table, then the checks."""
    lines = [
        f"Parcours benchmarks — {summary['db']}, learners per run: "
        f"{', '.join(map(str, summary['sizes']))}; data set built in "
        f"{summary['build_seconds']} s; whole run {summary.get('seconds', '?')} s; "
        f"load average before/after {summary['load'][0]} / {summary['load'][1]}",
        f"Rows: {', '.join(f'{k} {v}' for k, v in summary['rows_written'].items())}",
        "",
        "| measure | learners | n | p50 ms | p95 ms | SQL ms | render ms | rate | × bare "
        "| queries | KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [_row(r) for r in summary["results"]]
    lines += ["", "Checks:"]
    for check in summary["checks"]:
        verdict = "ok  " if check["ok"] else "MISS"
        lines.append(f"  [{verdict}] {check['check']}: {check['measured']}")
    return "\n".join(lines) + "\n"
