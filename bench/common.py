"""What the benchmarks share: wrk runs, the machine, figures with their targets."""

from __future__ import annotations

import http.client
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from flask import Flask

    from tests.support.live_server import LiveServer

#: Printed by ``done()`` of every Lua script: one JSON line after this marker.
MARKER = "BENCH-JSON "
LUA_DONE = f"""
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{MARKER}{{"requests": %d, "seconds": %.3f, "p50": %.3f, "p99": %.3f, "mean": %.3f, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, latency.mean / 1e3, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout))
end
"""


@dataclass
class Figure:
    """One measured figure, maybe with its target (DESIGN section 12)."""

    name: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None

    def line(self) -> str:
        """Return the figure as one aligned line."""
        verdict = "" if self.met is None else ("met" if self.met else "NOT met")
        if float(self.value).is_integer():
            value = f"{int(self.value):,}"
        else:
            value = f"{self.value:,.3f}" if abs(self.value) < 10 else f"{self.value:,.1f}"
        return f"{self.name:<58} {value:>10} {self.unit:<6} {self.target:<16} {verdict}"


@dataclass
class WrkResult:
    """The figures wrk reports for one run."""

    rate: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    requests: int
    errors: int


def wrk(
    url: str,
    connections: int,
    seconds: float,
    script: Path | None = None,
    threads: int = 2,
    args: list[str] | None = None,
) -> WrkResult:
    """Run wrk against ``url`` and return its rate, latencies and errors."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk (or make system)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if script is not None:
            lua.write(script.read_text())
        lua.write(LUA_DONE)
    command = [
        "wrk", "-t", str(min(threads, connections)), "-c", str(connections),
        "-d", f"{seconds:g}s", "--timeout", "10s", "-s", lua.name, url,
    ]  # fmt: skip
    if args:
        command += ["--", *args]
    output = subprocess.run(command, capture_output=True, text=True, check=True, cwd=BENCH).stdout
    os.unlink(lua.name)
    line = next(x for x in output.splitlines() if x.startswith(MARKER))
    data = json.loads(line[len(MARKER) :])
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return WrkResult(
        data["requests"] / data["seconds"], data["p50"], data["p99"], data["mean"],
        data["requests"], errors,
    )  # fmt: skip


def machine() -> str:
    """Return cores, memory and CPU model of this machine (from /proc)."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    load = Path("/proc/loadavg").read_text().split()[:3]
    return (
        f"{os.cpu_count()} cores, {kib / 1024 / 1024:.1f} GiB RAM, {model}; "
        f"Python {platform.python_version()}; load average {' '.join(load)} at the start"
    )


def rss_mib(pids: list[int]) -> list[float]:
    """Return the resident memory of each process in MiB (VmRSS)."""
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def print_figures(title: str, figures: list[Figure]) -> None:
    """Print a block of figures under a title."""
    print(f"\n== {title}", flush=True)
    for figure in figures:
        print(figure.line(), flush=True)


def database_url(server: LiveServer) -> str:
    """Return the SQLAlchemy URL of a live server's database."""
    return server.env.get("SURVEY_DATABASE_URL") or f"sqlite:///{server.instance}/survey.sqlite3"


def server_app(server: LiveServer, **config: object) -> Flask:
    """Return an app in this process on a live server's database and instance folder."""
    from survey_app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url(server),
            "INSTANCE_PATH": str(server.instance),
            "INSTRUMENTS_PATH": str(ROOT / "instruments"),
            **config,
        }
    )


def admin_token(app: Flask) -> str:
    """Create an admin account and return a new API token of it."""
    from survey_app.accounts.operations import create_user
    from survey_app.accounts.tokens import issue_api_token
    from survey_app.extensions import db
    from survey_app.models import Role

    with app.app_context():
        user = create_user(f"bench-{secrets.token_hex(3)}@example.org", secrets.token_hex(16),
                           Role.admin)  # fmt: skip
        token = issue_api_token(user, "bench")
        db.session.commit()
    return token


def timed_get(
    server: LiveServer, path: str, headers: dict[str, str]
) -> tuple[float, int, dict[str, str], bytes]:
    """GET ``path`` once on a new connection; return (ms, status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()
    body = answer.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return elapsed, answer.status, dict(answer.getheaders()), body
