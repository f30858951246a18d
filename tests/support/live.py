"""A real server for concurrency tests: gunicorn on a free loopback port, on the test database.

:class:`LiveServer` starts ``gunicorn "lms:create_app()"`` (workers × threads) with the test
app's database and instance folder; :class:`Browser` is a small cookie-keeping HTTP client
(standard library only) that can read CSRF tokens and does not follow redirects, so a test
sees every status code the server gave.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """gunicorn serving the app on ``127.0.0.1:<free port>`` until :meth:`stop`."""

    def __init__(self, app, workers: int = 2, threads: int = 4, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(app.instance_path) / f"gunicorn-{self.port}.log"
        environ = dict(os.environ)
        environ.update(
            DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            LMS_INSTANCE_PATH=app.instance_path,
            SECRET_KEY=app.config["SECRET_KEY"],
            LMS_BASE_URL=self.url,
            MAIL_BACKEND="file",
            MAIL_SEND_ON_COMMIT="false",
            PYTHONPATH=str(ROOT),
            **(env or {}),
        )
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "60",
            "lms:create_app()",
        ]
        self.environ = environ
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> LiveServer:
        """Start gunicorn and wait until it answers (fails with its log otherwise)."""
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.environ, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.url + "/compte/connexion", timeout=5).read()  # noqa: S310
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start:\n{self.output()}")

    def output(self) -> str:
        """What gunicorn wrote (its error log, tracebacks included)."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tracebacks(self) -> dict[str, int]:
        """Each distinct server error: its deepest frame in the project and its message."""
        found: dict[str, int] = {}
        frame = ""
        for line in self.output().splitlines():
            if line.strip().startswith('File "') and str(ROOT) in line and ".venv" not in line:
                frame = line.strip()
            elif re.match(r"^[a-zA-Z_.]+(Error|Exception): ", line):
                key = f"{frame} -> {line[:160]}"
                found[key] = found.get(key, 0) + 1
        return found

    def stop(self) -> None:
        """Stop gunicorn (this process only) and wait for it."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Page:
    """A response: status, final URL, body text and headers."""

    status: int
    text: str
    headers: dict
    url: str

    def csrf(self) -> str:
        """The CSRF token of the page's first form."""
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.text)
        match = match or re.search(r'name="csrf_token" value="([^"]+)"', self.text)
        assert match, f"no CSRF token on {self.url} ({self.status})"
        return match.group(1)


class Browser:
    """One visitor: their own cookies, no automatic redirects, loopback only."""

    def __init__(self, base_url: str):
        assert base_url.startswith("http://127.0.0.1:"), "live tests stay on loopback"
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> Page:
        """GET (or POST ``data`` form-encoded) ``path``; HTTP errors are returned, not raised."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        url = self.base_url + path  # always http://127.0.0.1 (checked above)
        request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                text = response.read().decode("utf-8", "replace")
                return Page(response.status, text, dict(response.headers), path)
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            return Page(error.code, text, dict(error.headers), path)

    def get(self, path: str, **kw) -> Page:
        """GET ``path``."""
        return self.request(path, **kw)

    def post(self, path: str, data: dict, csrf_from: str | None = None, **kw) -> Page:
        """POST ``data`` to ``path`` with the CSRF token of ``csrf_from`` (default: ``path``)."""
        token = self.get(csrf_from or path).csrf()
        return self.request(path, data={**data, "csrf_token": token}, **kw)

    def sign_in(self, email: str, password: str) -> Page:
        """Sign in through the real form (a 302 means success)."""
        return self.post("/compte/connexion", {"email": email, "password": password})


def together(jobs: list, timeout: float = 120) -> list:
    """Run each callable of ``jobs`` in its own thread, released at once by a barrier."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def work(index: int, job) -> None:
        barrier.wait()
        try:
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
            results[index] = exc

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
