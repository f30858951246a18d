"""What the HTTP benchmark talks to: gunicorn servers on loopback and a minimal browser.

:class:`Server` starts ``gunicorn`` the way README « Deployment » does (sync workers, here 2 for
the 2-core machines), waits until it answers, tells the resident memory of its workers, and
stops it. :class:`Browser` keeps cookies and signs in through the real form, with nothing but
the standard library (``http.client``).
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``gunicorn --workers N --bind 127.0.0.1:PORT APP`` started from the project folder."""

    def __init__(
        self, app: str, env: dict[str, str], log: Path, workers: int = 2, root: Path = ROOT
    ) -> None:
        """``root``: the project folder served (another checkout for :mod:`benchmarks.ab`)."""
        self.port = free_port()
        self.log = log
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}"]
        command += ["--no-control-socket", app]
        with log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own command line
                command, cwd=root, env={**os.environ, **env}, stdout=out, stderr=out
            )

    def wait(self, path: str, seconds: float = 30.0) -> None:
        """Return once ``path`` answers; raise with the server's log if it never does."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                Browser(self.port).get(path)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not start:\n{self.log.read_text()[-3000:]}")

    def drain(self, path: str, below_ms: float = 30.0, seconds: float = 60.0) -> None:
        """Wait until ``path`` answers fast again: sync workers still serve queued requests
        after wrk has stopped, and the next page must not pay for them."""
        deadline = time.monotonic() + seconds
        browser = Browser(self.port)
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            browser.get(path)
            if (time.perf_counter() - t0) * 1000 < below_ms:
                return
            time.sleep(0.3)

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker process, in MB (Linux ``/proc``)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        sizes = []
        for child in children:
            status = Path(f"/proc/{child}/status").read_text()
            kb = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            sizes.append(round(int(kb.group(1)) / 1024, 1) if kb else 0.0)
        return sizes

    def stop(self) -> None:
        """Stop gunicorn (graceful, then forced) and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Browser:
    """Cookies, GET and form POST on 127.0.0.1:port, redirects not followed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def cookie(self) -> str:
        """The ``Cookie`` header this browser sends."""
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, data: dict | None = None):
        """Send a request; return ``(status, headers, body text)`` and keep the cookies set."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie} if self.cookies else {}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def get(self, path: str):
        """GET ``path``."""
        return self.request("GET", path)

    def post(self, path: str, data: dict):
        """POST a form to ``path``."""
        return self.request("POST", path, data)

    def csrf(self, path: str) -> str:
        """The CSRF token of the form on the page at ``path``."""
        status, _headers, text = self.get(path)
        found = TOKEN.search(text)
        if status != 200 or not found:
            raise RuntimeError(f"no form with a CSRF token at {path} (HTTP {status})")
        return found.group(1)

    def sign_in(self, email: str, password: str) -> Browser:
        """Sign in through the real login form; raise if the site does not accept it."""
        token = self.csrf("/compte/connexion")
        data = {"csrf_token": token, "email": email, "password": password}
        status, _headers, _text = self.post("/compte/connexion", data)
        if status not in (302, 303):
            raise RuntimeError(f"could not sign in as {email} (HTTP {status})")
        return self
