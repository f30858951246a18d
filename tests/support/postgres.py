"""Start a throw-away PostgreSQL server on loopback for the test session.

Debian's ``postgresql`` package refuses to run as root, so when the tests run as root the cluster
is created and started as the ``postgres`` system user (with ``runuser``), in a folder under /tmp.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bindir() -> Path:
    """Locate ``initdb``/``pg_ctl``: Debian's versioned folder first, then the PATH."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    """A running cluster; ``url(dbname)`` gives a SQLAlchemy URL."""

    bindir: Path
    datadir: Path
    port: int
    as_user: str | None

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    def url(self, dbname: str) -> str:
        """SQLAlchemy URL of a database of this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, dbname: str) -> str:
        """Create ``dbname`` and return its URL."""
        import psycopg

        with psycopg.connect(self.url("postgres").replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        return self.url(dbname)

    def stop(self) -> None:
        """Stop the server and remove its files."""
        try:
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start() -> PostgresServer:
    """Create and start a cluster with trust authentication on 127.0.0.1."""
    bindir = find_bindir()
    as_user = "postgres" if os.geteuid() == 0 else None
    if as_user and not shutil.which("runuser"):
        raise PostgresUnavailable("running as root needs runuser to start PostgreSQL as postgres")
    root = Path(tempfile.mkdtemp(prefix="parcours-pg-"))
    datadir, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if as_user:
        shutil.chown(root, as_user)
        shutil.chown(sockets, as_user)
        root.chmod(0o755)
    server = PostgresServer(bindir, datadir, _free_port(), as_user)
    server._run(
        "initdb", "-D", str(datadir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {server.port} -k {sockets} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
    )
    server._run(
        "pg_ctl",
        "-D",
        str(datadir),
        "-o",
        options,
        "-w",
        "-t",
        "60",
        "-l",
        str(root / "log"),
        "start",
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    raise PostgresUnavailable("PostgreSQL did not start within 30 s")
