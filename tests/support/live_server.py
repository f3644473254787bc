"""Start the real server (``survey-app serve``: gunicorn) on a fresh instance.

Used by the browser tests, the reliability tests and ``bench/``. Each server gets its own
instance folder and either its own SQLite file or its own PostgreSQL schema, so that
several can run side by side; the access log goes to ``<instance>/server.log``.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from .timeouts import scaled

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def psql(statement: str) -> None:
    """Run one SQL statement on the PostgreSQL test database."""
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "test", "-qc", statement],
        check=True, capture_output=True,
    )  # fmt: skip


@dataclass
class LiveServer:
    """A running ``survey-app serve`` and the environment its commands need."""

    port: int
    env: dict[str, str]
    instance: Path
    workers: int
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.instance / "server.log"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL of this server's database."""
        default = "sqlite:///" + str(self.instance / "survey.sqlite3")
        return self.env.get("SURVEY_DATABASE_URL", default)

    def query(self, sql: str, **parameters: object) -> list[tuple[object, ...]]:
        """Rows of one SQL query on this server's database (a short-lived connection)."""
        engine = create_engine(self.database_url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(sql), parameters)]
        finally:
            engine.dispose()

    def cli(self, *arguments: str, stdin: str | None = None) -> str:
        """Run ``survey-app ARGUMENTS`` against this server's database; return stdout."""
        return subprocess.run(
            [str(BIN / "survey-app"), *arguments],
            env=self.env, cwd=ROOT, check=True, capture_output=True, text=True, input=stdin,
        ).stdout  # fmt: skip

    def open_workshop(self, instrument: str = "needs-expectations", title: str = "Live") -> str:
        """Create and open a workshop; return its join code."""
        created = self.cli("workshops", "create", "--instrument", instrument, "--title", title)
        workshop_id, code = created.split()
        self.cli("workshops", "open", workshop_id)
        return code

    def start(self) -> None:
        """Start gunicorn and wait until it answers."""
        command = [str(BIN / "survey-app"), "serve", "--port", str(self.port)]
        with self.log_path.open("ab") as log:  # the server keeps its own descriptor
            self.process = subprocess.Popen(
                [*command, "--workers", str(self.workers)],
                env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.wait_until_ready()

    def wait_until_ready(self, timeout: float = 30) -> None:
        """Poll ``/j`` until it answers 200, for ``timeout`` s scaled by the machine's load."""
        timeout = scaled(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                connection.request("GET", "/j")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log_path}")
            time.sleep(0.1)
        raise RuntimeError(f"server did not answer within {timeout:.0f} s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        """Process ids of the gunicorn workers (children of the master)."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill(self) -> None:
        """kill -9 of the whole server: master and workers."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=scaled(30))

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), or kill if that takes too long."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=scaled(30))
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def live_server(
    database: str = "sqlite",
    workers: int = 2,
    extra_env: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[LiveServer]:
    """A started server on a fresh, initialized database; cleaned up afterwards.

    It listens on ``port``, else on a port that is free now.

    The instance folder (database, server log) is deleted at the end unless
    ``SURVEY_KEEP_LIVE_INSTANCE`` is set, for looking at a failed run.
    """
    instance = Path(tempfile.mkdtemp(prefix="survey-live-"))
    # No briefings built ahead on a close: they would take the server's CPU from what
    # the tests and benchmarks measure (extra_env may turn it on). No per-workshop or
    # per-client limits either: benchmarks post from one address to one workshop far
    # faster than any room (the limits are still checked, so their cost is measured).
    env = {**os.environ, "SURVEY_INSTANCE_PATH": str(instance), "SURVEY_BUILD_AHEAD": "0",
           "SURVEY_RESPONSES_PER_MINUTE": str(10**9), "SURVEY_JOIN_LOOKUPS_PER_MINUTE": str(10**9),
           **(extra_env or {})}  # fmt: skip
    schema = None
    if database == "postgresql":
        schema = f"live_{os.getpid()}_{free_port()}"
        psql(f"CREATE SCHEMA {schema}")
        env["SURVEY_DATABASE_URL"] = f"{PG_URL}?options=-csearch_path%3D{schema}"
    server = LiveServer(port=port or free_port(), env=env, instance=instance, workers=workers)
    try:
        server.cli("init")
        server.start()
        yield server
    finally:
        server.stop()
        if schema:
            psql(f"DROP SCHEMA {schema} CASCADE")
        if not os.environ.get("SURVEY_KEEP_LIVE_INSTANCE"):
            shutil.rmtree(instance, ignore_errors=True)
