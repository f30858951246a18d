"""Driving a served page with ``wrk`` and reading its figures; filling a form like a person.

``wrk`` (Debian package ``wrk``) is the load generator of the HTTP benchmark only: it is not a
dependency of Parcours nor of its tests, and :func:`wrk_path` says so when it is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent / "wrk"
RESULT = re.compile(r"RESULT (.*)")
MISSING = (
    "wrk, the load generator of the HTTP benchmark, is not installed "
    "(Debian: apt-get install wrk). It is not needed by Parcours nor by its tests."
)


def wrk_path() -> str:
    """The ``wrk`` executable; raise :class:`SystemExit` with a clear message if missing."""
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit(MISSING)
    return found


@dataclass
class Load:
    """What wrk measured: requests, seconds, latency percentiles, errors and bytes."""

    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    status_errors: int = 0
    socket_errors: int = 0
    bytes: int = 0
    connections: int = 0

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Answers with HTTP status ≥ 400, and connection errors or timeouts."""
        return self.status_errors + self.socket_errors


def run_wrk(
    port: int,
    env: dict[str, str],
    duration: float,
    connections: int,
    threads: int = 2,
    script: str = "page.lua",
) -> Load:
    """Run wrk against 127.0.0.1:port for ``duration`` seconds; its script reads ``env``."""
    command = [wrk_path(), f"-t{min(threads, connections)}", f"-c{connections}"]
    command += [f"-d{max(1, round(duration))}s", "--timeout", "30s", "-s", str(SCRIPTS / script)]
    command.append(f"http://127.0.0.1:{port}")
    done = subprocess.run(  # noqa: S603 - our own command line
        command, env={**os.environ, **env}, capture_output=True, text=True, timeout=duration + 90
    )
    found = RESULT.search(done.stdout)
    if found is None:
        raise RuntimeError(f"wrk gave no result: {done.stdout[-500:]} {done.stderr[-500:]}")
    values = dict(pair.split("=") for pair in found.group(1).split())
    load = Load(**{k: (float(v) if "." in v else int(v)) for k, v in values.items()})
    load.connections = connections
    return load


def run_parallel(port: int, envs: list[dict[str, str]], duration: float, script: str) -> Load:
    """One wrk with one connection per environment (e.g. one per learner), at the same time;
    their figures summed (requests, errors) or combined (the worst p99, the median p50)."""
    with ThreadPoolExecutor(len(envs)) as pool:
        loads = list(pool.map(lambda env: run_wrk(port, env, duration, 1, 1, script), envs))
    total = Load(connections=len(loads))
    for load in loads:
        total.requests += load.requests
        total.status_errors += load.status_errors
        total.socket_errors += load.socket_errors
        total.bytes += load.bytes
    total.seconds = max(load.seconds for load in loads)
    total.p50_ms = sorted(load.p50_ms for load in loads)[len(loads) // 2]
    total.p99_ms = max(load.p99_ms for load in loads)
    return total


class FormFiller(HTMLParser):
    """The fields of a page's forms, filled as a person would: the first choice of each radio
    group and checkbox list, the first real option of each list, some text in text boxes."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        """Record one field (the first value of a name wins)."""
        a = dict(attrs)
        name = a.get("name")
        if tag == "select":
            self._select = name
        elif tag == "option" and self._select and a.get("value"):
            self.fields.setdefault(self._select, a["value"])
        elif name and tag == "textarea":
            self.fields.setdefault(name, "Une réponse rédigée pour le banc d'essai.")
        elif name and tag == "input":
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox", "hidden"):
                self.fields.setdefault(name, a.get("value", "on"))
            elif kind == "number":
                self.fields.setdefault(name, "1")
            elif kind not in ("submit", "button", "file"):
                self.fields.setdefault(name, "réponse")

    def handle_endtag(self, tag) -> None:
        """Leave a list."""
        if tag == "select":
            self._select = None


def filled_form(html: str) -> dict[str, str]:
    """The fields of ``html``'s forms, filled by :class:`FormFiller`."""
    parser = FormFiller()
    parser.feed(html)
    return parser.fields
