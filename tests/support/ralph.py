"""Start a real Ralph LRS (France Université Numérique's) on loopback, file-system backend.

Ralph is installed by the test extra (``ralph-malph[lrs]``) and served by uvicorn in a subprocess;
its users file holds one account with a bcrypt hash, as ``ralph auth`` would write it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


class RalphUnavailable(RuntimeError):
    """Ralph is not installed or did not start."""


@dataclass
class Ralph:
    """A running LRS: its xAPI endpoint and credentials."""

    process: subprocess.Popen
    url: str
    username: str
    password: str
    log: object = None

    def statements(self, **params) -> list[dict]:
        """Read statements back through the xAPI (GET /statements)."""
        query = urllib.parse.urlencode({"limit": 500, **params})
        request = urllib.request.Request(f"{self.url}/statements?{query}")  # noqa: S310
        request.add_header("X-Experience-API-Version", "1.0.3")
        pair = f"{self.username}:{self.password}".encode()
        request.add_header(
            "Authorization", "Basic " + __import__("base64").b64encode(pair).decode()
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return json.loads(response.read())["statements"]

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.log is not None:
            self.log.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(folder: Path) -> Ralph:
    """Start Ralph with its statements in ``folder``; wait until it answers."""
    try:
        import bcrypt
        import ralph  # noqa: F401
    except ImportError as exc:
        message = f"Ralph is not installed (pip install 'ralph-malph[lrs]'): {exc}"
        raise RalphUnavailable(message) from exc
    username, password = "parcours", "lrs-test-password"
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    users = [
        {
            "agent": {"mbox": "mailto:parcours@example.org"},
            "scopes": ["all"],
            "username": username,
            "hash": hashed,
        }
    ]
    (folder / "auth.json").write_text(json.dumps(users))
    (folder / "data").mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(folder),
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
    }
    command = [sys.executable, "-m", "uvicorn", "ralph.api:app", "--host", "127.0.0.1"]
    log = open(folder / "ralph.log", "wb")  # noqa: SIM115 - closed by Ralph.stop
    process = subprocess.Popen(
        [*command, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    server = Ralph(process, f"http://127.0.0.1:{port}/xAPI", username, password, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            raise RalphUnavailable((folder / "ralph.log").read_text()[-2000:])
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.stop()
    raise RalphUnavailable("Ralph did not answer within 90 s")
