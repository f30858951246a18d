"""HTTP benchmark: ``python -m benchmarks.http [--db sqlite|postgresql] [--sizes 12,500,5000]``.

Builds the data set (:mod:`benchmarks.dataset`), serves Parcours with gunicorn as README
« Deployment » does (sync workers, 2 of them on these 2-core machines) and, in the same run, a
bare Flask app answering "ok" the same way (:mod:`benchmarks.hello`), signs in through the real
form, checks every page answers as it should, warms up, then drives each page with ``wrk`` for
a fixed time and prints requests/s, p50/p99, the ratio to bare Flask, errors and HTML size,
checked against :data:`benchmarks.http_report.TARGETS`. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import dataset, filler, http_report, load, run
from benchmarks.served import Browser, Server


@dataclass
class Page:
    """One measured page: its row name, kind (for targets), who asks, path, and POST body."""

    name: str
    kind: str  # learner, save, submit or staff
    who: str
    path: str
    body: dict | None = None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.http", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--sizes", default="12,500,5000", help="learners per run (one per size)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (sync)")
    parser.add_argument("--no-analyze", dest="analyze", action="store_false")
    parser.add_argument(
        "--filler-answers",
        type=int,
        default=0,
        help="answers added in other runs of the other courses (a big database around the runs)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.sizes = sorted({int(n) for n in args.sizes.split(",") if n.strip()})
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs at least one positive number")
    return args


def pages(cohort: dataset.Cohort, attempt_path: str, save_body: dict) -> list[Page]:
    """The pages measured for one run, in the order they are measured (POSTs last: they add
    attempts, which the staff pages would otherwise count)."""
    run_path = f"/parcours/sessions/{cohort.run_id}"
    staff = f"/formateur/sessions/{cohort.run_id}"
    return [
        Page("mon-parcours", "learner", "learner", "/parcours"),
        Page("session-apprenant", "learner", "learner", run_path),
        Page("lecon", "learner", "learner", f"{run_path}/activites/{cohort.lesson_id}"),
        Page("quiz", "learner", "learner", f"{run_path}/evaluations/{cohort.quiz_activity_id}"),
        Page("tentative", "learner", "learner", attempt_path),
        Page("grille-progression", "staff", "trainer", staff),
        Page("resultats", "staff", "trainer", f"{staff}/resultats"),
        Page("analyse-items", "staff", "trainer", f"{staff}/quiz/{cohort.quiz_id}/analyse"),
        Page("questionnaires", "staff", "trainer", f"{staff}/questionnaires"),
        Page("admin-session", "staff", "admin", f"/admin/sessions/{cohort.run_id}"),
        Page("admin-suivi", "staff", "admin", f"/admin/suivi/sessions/{cohort.run_id}"),
        Page("enregistrer-reponses", "save", "learner", attempt_path, save_body),
        Page(
            "envoyer-quiz",
            "submit",
            "takers",
            f"{run_path}/evaluations/{cohort.quiz_activity_id}/commencer",
        ),
    ]


def open_attempt(learner: Browser, cohort: dataset.Cohort) -> tuple[str, dict]:
    """Start an attempt at the quiz as the learner; its path and a filled form to save."""
    quiz = f"/parcours/sessions/{cohort.run_id}/evaluations/{cohort.quiz_activity_id}"
    token = learner.csrf(quiz)
    status, headers, _text = learner.post(quiz + "/commencer", {"csrf_token": token})
    if status != 303:
        raise RuntimeError(f"could not start the quiz {quiz} (HTTP {status})")
    path = "/" + headers["Location"].split("://", 1)[-1].split("/", 1)[-1]
    status, _headers, html = learner.get(path)
    if status != 200:
        raise RuntimeError(f"the attempt page {path} answered HTTP {status}")
    return path, {**load.filled_form(html), "action": "save"}


class Bench:
    """The two servers, the signed-in browsers, and the measurements made so far."""

    def __init__(self, args, app_server: Server, hello: Server, floor: Server) -> None:
        self.args, self.app, self.hello, self.floor = args, app_server, hello, floor
        self.rows: list[dict] = []
        self.requests = 0

    def reference(self) -> None:
        """Bare Flask "ok" under the same load."""
        self.hello.wait("/")
        load.run_wrk(self.hello.port, {"PATH_URL": "/"}, 1, 2)
        self.record("bare Flask (référence)", "reference", None, self.hello, {"PATH_URL": "/"})

    def floors(self, email: str) -> None:
        """Parcours' empty pages (:mod:`benchmarks.floor`), anonymous then signed in: what
        every page costs before its own work."""
        self.floor.wait("/_banc/vide")
        browser = Browser(self.floor.port).sign_in(email, dataset.PASSWORD)
        for name, path in (
            ("plancher-anonyme", "/_banc/vide"),
            ("plancher-connecte", "/_banc/vide-connecte"),
        ):
            env = {"PATH_URL": path, "COOKIE": browser.cookie}
            status, _h, _text = browser.get(path)
            if status != 200:
                raise RuntimeError(f"{name}: {path} answered HTTP {status}")
            load.run_wrk(self.floor.port, env, 1, 2)  # warm-up
            self.record(name, "floor", None, self.floor, env)

    def cohort(self, cohort: dataset.Cohort, staff: dict[str, Browser]) -> None:
        """Every page of one run."""
        learner = Browser(self.app.port).sign_in(cohort.learner_email, dataset.PASSWORD)
        browsers = {**staff, "learner": learner}
        attempt_path, save_body = open_attempt(learner, cohort)
        for page in pages(cohort, attempt_path, save_body):
            if page.kind == "submit":
                self.submit(page, cohort)
                continue
            browser = browsers[page.who]
            env = {"PATH_URL": page.path, "COOKIE": browser.cookie}
            if page.body is not None:
                status, _h, text = browser.post(page.path, page.body)
                expected = 303
                env["BODY"] = urlencode(page.body)
            else:
                status, _h, text = browser.get(page.path)
                expected = 200
            if status != expected:
                raise RuntimeError(f"{page.name}: {page.path} answered HTTP {status}")
            kbytes = len(text.encode()) / 1024 if page.body is None else 0.0
            load.run_wrk(self.app.port, env, 1, 2)  # warm-up
            self.record(page.name, page.kind, cohort.size, self.app, env, kbytes)

    def submit(self, page: Page, cohort: dataset.Cohort) -> None:
        """Quiz submission: one connection per learner, each starting and sending attempts."""
        if not cohort.takers:
            return
        envs = []
        for email in cohort.takers[: self.args.connections]:
            taker = Browser(self.app.port).sign_in(email, dataset.PASSWORD)
            token = taker.csrf(page.path.removesuffix("/commencer"))
            envs.append({"START_PATH": page.path, "CSRF": token, "COOKIE": taker.cookie})
        measured = load.run_parallel(self.app.port, envs, self.args.duration, "submit.lua")
        self.add(page.name, page.kind, cohort.size, measured, 0.0)
        self.app.drain("/compte/connexion")

    def record(self, name, kind, size, server: Server, env, kbytes=0.0) -> None:
        """Measure one page under load, then let the server drain its queue."""
        args = self.args
        measured = load.run_wrk(server.port, env, args.duration, args.connections)
        self.add(name, kind, size, measured, kbytes)
        if server is not self.hello:
            server.drain("/compte/connexion")

    def add(self, name, kind, size, measured: load.Load, kbytes: float) -> None:
        """Keep one row of figures."""
        self.requests += measured.requests
        self.rows.append(http_report.row(name, kind, size, measured, kbytes))
        print(http_report.progress(self.rows[-1]), file=sys.stderr, flush=True)


def server_env(url: str, folder: Path) -> dict[str, str]:
    """The environment Parcours is served with: the benchmark's database and instance
    folder, a fixed secret, sign-in limits that a load generator does not hit, no mail."""
    return {
        "DATABASE_URL": url,
        "LMS_INSTANCE_PATH": str(folder / "instance"),
        "SECRET_KEY": "bench-secret-key",
        "LOGIN_RATE_LIMIT": "1000 per second",
        "MAIL_SEND_ON_COMMIT": "false",
    }


def serve(args, url: str, folder: Path, stack: ExitStack) -> tuple[Server, Server, Server]:
    """Start Parcours, the bare Flask app and Parcours' floor (:mod:`benchmarks.floor`), each
    with gunicorn; stopped when ``stack`` ends."""
    env = server_env(url, folder)
    app_server = Server("wsgi:app", env, folder / "parcours.log", args.workers)
    stack.callback(app_server.stop)
    hello = Server("benchmarks.hello:app", {}, folder / "hello.log", args.workers)
    stack.callback(hello.stop)
    floor = Server("benchmarks.floor:app", env, folder / "floor.log", args.workers)
    stack.callback(floor.stop)
    app_server.wait("/compte/connexion")
    return app_server, hello, floor


def build(args, stack: ExitStack, folder: Path) -> tuple[str, dataset.Dataset]:
    """A fresh database filled with the data set; its URL."""
    url = run.database_url(args, stack, folder)
    app = run.make_app(url, folder)
    with app.app_context():
        data = dataset.build(args.sizes)
        filler.add(args.filler_answers)
        if args.analyze:
            dataset.analyze()
        from lms.db import db

        db.engine.dispose()
    logging.disable(logging.NOTSET)
    return url, data


def measure(args) -> dict:
    """Build, serve, measure; the report."""
    load.wrk_path()
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="parcours-http-") as tmp:
        folder = Path(tmp)
        url, data = build(args, stack, folder)
        app_server, hello, floor = serve(args, url, folder, stack)
        bench = Bench(args, app_server, hello, floor)
        bench.reference()
        bench.floors(data.cohorts[0].learner_email)
        floor.stop()  # its memory is not Parcours' own
        staff = {
            "trainer": Browser(app_server.port).sign_in(data.trainer_email, dataset.PASSWORD),
            "admin": Browser(app_server.port).sign_in(data.admin_email, dataset.PASSWORD),
        }
        for number, cohort in enumerate(data.cohorts):
            if number:  # the machine's speed drifts: a reference next to every run size
                bench.reference()
            bench.cohort(cohort, staff)
        bench.reference()
        exported = export_results(staff["trainer"], data.cohorts[-1])
        rss = app_server.worker_rss_mb()
    summary = http_report.summarise(args, bench.rows, rss, bench.requests)
    summary["export"] = exported
    return summary


def export_results(trainer: Browser, cohort: dataset.Cohort) -> dict:
    """The staff exports of the largest run — results (CSV then XLSX, twice each: both
    workers serve one), progress grid and enrolment list — after every page: the workers'
    memory is read right after (issue 10: a worker's RSS stays ≤ 150 MB; exports are
    streamed)."""
    staff = f"/formateur/sessions/{cohort.run_id}"
    paths = [(f"resultats.{f}", f"{staff}/resultats?format={f}") for f in ("csv", "xlsx") * 2]
    paths += [("progression.csv", f"{staff}?format=csv")]
    paths += [("inscriptions.xlsx", f"{staff}/inscriptions?format=xlsx")]
    sizes, started = {}, time.perf_counter()
    for name, path in paths:
        status, _headers, body = trainer.get(path)
        if status != 200:
            raise RuntimeError(f"the export {path} answered HTTP {status}")
        sizes[name] = round(len(body.encode("utf-8", "replace")) / 1024, 1)
    seconds = (time.perf_counter() - started) / len(paths)
    return {"learners": cohort.size, "kbytes": sizes, "seconds": round(seconds, 2)}


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m benchmarks.http``."""
    args = parse_args(argv)
    summary = measure(args)
    sys.stdout.write(http_report.render(summary))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    missed = [c for c in summary["checks"] if not c["ok"]]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
