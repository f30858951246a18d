"""Before and after, side by side: ``python -m benchmarks.ab --before REV [--size 500]``.

The HTTP benchmark's figures move with the machine's speed (on the 2-core machines bare Flask
went from 1,378 to 3,649 requests/s within one run), so comparing two runs made at different
moments says little about a change. This serves the project at git revision ``--before`` (a
temporary ``git worktree``) and the working copy side by side, both with gunicorn as the README
deploys it, on ONE data set built by the working copy, and measures each page alternately
(before, after, after, before…) with ``wrk``: the two versions meet the same moments of the
machine. It prints, per page, the median requests/s and p99 of each version and their ratio.

Both revisions must have the same migrations (the data set is built by the working copy);
otherwise it stops and says so — unless ``--newer-schema`` says the working copy only adds to
the schema (a column the database fills, an index): the revision is then served on the data set
the working copy migrated, which its code must not notice. ``--save`` adds the attempt's page
and the answer save (a POST; each version with its own learner and attempt), ``--submit`` the
quiz submission (each version with its own half of the learners who reached the quiz). The
working copy is served
from a copy taken at the start (:func:`snapshot`): editing the project during a run of several
minutes does not change what the « after » server renders (templates are read on first use).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import dataset, http, load
from benchmarks.served import ROOT, Browser, Server

VERSIONS = ("before", "after")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ab", description=__doc__)
    parser.add_argument("--before", required=True, help="git revision to compare with")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--size", type=int, default=500, help="learners of the run")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each version")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of load each")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--save", action="store_true", help="also the attempt page and the answer save (POST)"
    )
    parser.add_argument(
        "--submit",
        action="store_true",
        help="also the quiz submission (start and send, one connection per learner)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--newer-schema",
        action="store_true",
        help="serve --before on the working copy's schema although the migrations differ"
        " (only for migrations that add what the older code ignores)",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


def _git(*args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command line
        ["git", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,  # noqa: S607
    )
    if done.returncode:
        raise SystemExit(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def migrations_differ(revision: str) -> list[str]:
    """Migration files that differ between ``revision`` and the working copy."""
    out = _git("diff", "--name-only", revision, "--", "migrations", "*/migrations/*")
    return [line for line in out.splitlines() if line.endswith(".py")]


def checkout(revision: str, stack: ExitStack) -> Path:
    """``revision`` in a temporary git worktree (removed at the end), catalogs compiled."""
    folder = Path(tempfile.mkdtemp(prefix="parcours-before-")) / "tree"
    stack.callback(shutil.rmtree, folder.parent, ignore_errors=True)  # last, once removed
    _git("worktree", "add", "--detach", str(folder), revision)
    stack.callback(_git, "worktree", "remove", "--force", str(folder))
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(  # noqa: S603 - our own command line
        [str(pybabel), "compile", "-d", str(folder / "lms" / "translations"), "-f"],
        capture_output=True,
        check=False,
    )
    return folder


#: What a copy of the working copy leaves out: git's store, environments, caches, local data.
SNAPSHOT_IGNORED = (
    ".git",
    ".venv",
    "instance",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
    ".pytest-postgresql.log",
)


def snapshot(stack: ExitStack, root: Path = ROOT) -> Path:
    """A copy of the working copy ``root`` as it is now (removed at the end), served as the
    « after » version: files edited during the run are not picked up half-way."""
    folder = Path(tempfile.mkdtemp(prefix="parcours-after-"))
    stack.callback(shutil.rmtree, folder, ignore_errors=True)
    copy = folder / "tree"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(*SNAPSHOT_IGNORED), symlinks=True)
    return copy


def alternate(rounds: int) -> list[tuple[str, str]]:
    """The order of the measurements: before, after, then after, before… so that neither
    version always comes first."""
    order = []
    for number in range(rounds):
        order.append(VERSIONS if number % 2 == 0 else VERSIONS[::-1])
    return order


def compare(measured: dict[str, dict[str, list[load.Load]]]) -> list[dict]:
    """Per page: median requests/s and p99 of each version, after / before."""
    rows = []
    for name, versions in measured.items():
        row = {"page": name}
        for version in VERSIONS:
            runs = versions[version]
            row[version] = round(statistics.median(r.rate for r in runs), 1)
            row[f"{version}_p99"] = round(statistics.median(r.p99_ms for r in runs), 1)
            row[f"{version}_errors"] = sum(r.status_errors + r.socket_errors for r in runs)
        row["ratio"] = round(row["after"] / row["before"], 2) if row["before"] else None
        rows.append(row)
    return rows


def table(rows: list[dict], args: argparse.Namespace) -> str:
    """The Markdown table of :func:`compare`'s rows."""
    lines = [
        f"## Before ({args.before}) and after, side by side — {args.db}, run of {args.size}"
        f" learners, {args.rounds} × {args.duration:g} s each, wrk {args.connections} connections",
        "",
        "| page | before req/s | p99 ms | after req/s | p99 ms | after / before | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        errors = r["before_errors"] + r["after_errors"]
        ratio = "–" if r["ratio"] is None else f"{r['ratio']:.2f}"
        lines.append(
            f"| {r['page']} | {r['before']:.1f} | {r['before_p99']:.1f} | {r['after']:.1f} | "
            f"{r['after_p99']:.1f} | {ratio} | {errors} |"
        )
    return "\n".join(lines)


def measure(args: argparse.Namespace) -> list[dict]:
    """Build, serve both versions, measure alternately; the rows of :func:`compare`."""
    different = migrations_differ(args.before)
    if different and args.newer_schema:
        print(f"served on the working copy's schema: {', '.join(different)}", file=sys.stderr)
    elif different:
        raise SystemExit(
            "the two revisions have different migrations (the data set is built by the working"
            f" copy): {', '.join(different)}"
        )
    load.wrk_path()
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="parcours-ab-") as tmp:
        folder = Path(tmp)
        old = checkout(args.before, stack)
        new = snapshot(stack)
        built = argparse.Namespace(db=args.db, sizes=[args.size], filler_answers=0, analyze=True)
        url, data = http.build(built, stack, folder)
        env = http.server_env(url, folder)
        servers = {}
        for version, root in (("before", old), ("after", new)):
            server = Server(
                "wsgi:app",
                {**env, "PYTHONPATH": str(root)},
                folder / f"{version}.log",
                args.workers,
                root=root,
            )
            stack.callback(server.stop)
            server.wait("/compte/connexion")
            servers[version] = server
        return compare(_measure_pages(args, data, servers))


def _measure_pages(args, data: dataset.Dataset, servers: dict[str, Server]) -> dict:
    cohort = data.cohorts[0]
    people = {"learner": cohort.learner_email, "trainer": data.trainer_email}
    people["admin"] = data.admin_email
    envs: dict[str, dict[str, dict[str, str]]] = {}
    for version, server in servers.items():
        browsers = {
            who: Browser(server.port).sign_in(e, dataset.PASSWORD) for who, e in people.items()
        }
        for page in http.pages(cohort, "/", {}):
            if page.kind in ("learner", "staff") and page.name != "tentative":
                cookie = browsers[page.who].cookie
                envs.setdefault(page.name, {})[version] = {"PATH_URL": page.path, "COOKIE": cookie}
        if args.save:  # each version its own learner: an attempt is one learner's
            taker = cohort.takers[list(servers).index(version)]
            learner = Browser(server.port).sign_in(taker, dataset.PASSWORD)
            path, body = http.open_attempt(learner, cohort)
            page = {"PATH_URL": path, "COOKIE": learner.cookie}
            envs.setdefault("tentative", {})[version] = page  # the attempt's page, GET
            envs.setdefault("enregistrer-reponses", {})[version] = page | {"BODY": urlencode(body)}
        if args.submit:
            envs.setdefault("envoyer-quiz", {})[version] = _takers(cohort, server, version)
    measured: dict[str, dict[str, list[load.Load]]] = {}
    for name, by_version in envs.items():
        measured[name] = {version: [] for version in VERSIONS}
        for order in alternate(args.rounds):
            for version in order:
                server, env = servers[version], by_version[version]
                measured[name][version].append(_load(server, env, args))
                server.drain("/compte/connexion")
        print(f"{name}: done", file=sys.stderr, flush=True)
    return measured


def _takers(cohort: dataset.Cohort, server: Server, version: str) -> list[dict[str, str]]:
    """The quiz submission's connections of one version: its own half of the run's learners
    who reached the quiz (the first two save answers), each signed in, as ``benchmarks.http``
    measures it (``wrk/submit.lua``: start an attempt, send it, again)."""
    start = next(p.path for p in http.pages(cohort, "/", {}) if p.kind == "submit")
    envs = []
    for email in taker_emails(cohort.takers, version):
        taker = Browser(server.port).sign_in(email, dataset.PASSWORD)
        token = taker.csrf(start.removesuffix("/commencer"))
        envs.append({"START_PATH": start, "CSRF": token, "COOKIE": taker.cookie})
    return envs


def taker_emails(takers: list[str], version: str) -> list[str]:
    """The learners submitting for ``version``: as many for each version, none shared, none of
    the first two (each version's answer save has its own)."""
    spare = takers[2:]
    half = len(spare) // 2
    if half < 1:
        raise SystemExit("--submit needs at least four learners who reached the quiz")
    return spare[:half] if version == VERSIONS[0] else spare[half : 2 * half]


def _load(server: Server, env: dict | list, args: argparse.Namespace) -> load.Load:
    """One measurement: a page or the save with wrk (after a short warm-up), or the quiz
    submission's connections (a list of environments) with one wrk each."""
    if isinstance(env, list):
        load.run_parallel(server.port, env, 1, "submit.lua")  # warm-up
        return load.run_parallel(server.port, env, args.duration, "submit.lua")
    load.run_wrk(server.port, env, 1, 2)  # warm-up
    return load.run_wrk(server.port, env, args.duration, args.connections)


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print its table."""
    args = parse_args(argv)
    rows = measure(args)
    print(table(rows, args))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
