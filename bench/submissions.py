"""Submissions through the real server, next to a trivial page in the same run.

Starts ``survey-app serve`` (gunicorn) on a fresh SQLite database (or PostgreSQL with
``--database postgresql``), then lets C concurrent clients each load the kick-off
questionnaire and submit a plausible 20-question response, for a fixed time; then the
same clients fetch the trivial ``/j`` page. Prints submissions per second, POST
latency percentiles, the trivial page rate and their ratio (the figure that holds on
a shared, noisy machine). Run: ``.venv/bin/python bench/submissions.py --clients 50``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey_app.demo import simulated_form  # noqa: E402
from survey_app.instruments import parse_instrument_file  # noqa: E402

HIDDEN = re.compile(r'name="(csrf_token|submission_id)" type="hidden" value="([^"]+)"')
#: Pre-encoded plausible answers (simulated once, so that the client spends little CPU).
ANSWER_BODIES: list[str] = []


def make_answer_bodies(count: int = 200) -> None:
    """Simulate ``count`` filled-in questionnaires, URL-encoded."""
    instrument, _ = parse_instrument_file(ROOT / "instruments" / "needs-expectations.yaml")
    rng = random.Random(2026)
    for _ in range(count):
        form = simulated_form(instrument, "de", rng)
        pairs = [("lang", "de"), ("consent", "yes"), *form.items(multi=True)]
        ANSWER_BODIES.append(urllib.parse.urlencode(pairs))


PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(command: list[str], env: dict[str, str]) -> str:
    return subprocess.run(
        command, env=env, check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout


def prepare(env: dict[str, str]) -> str:
    """Initialize the database and return the join code of an open workshop."""
    cli = str(ROOT / ".venv" / "bin" / "survey-app")
    run([cli, "init"], env)
    workshop_id, code = run(
        [cli, "workshops", "create", "--instrument", "needs-expectations", "--title", "Bench"], env
    ).split()
    run([cli, "workshops", "open", workshop_id], env)
    return code


class Client(threading.Thread):
    """One phone: load the form, submit, repeat until the deadline."""

    def __init__(self, port: int, code: str, deadline: float, trivial: bool, seed: int):
        super().__init__(daemon=True)
        self.port, self.code, self.deadline, self.trivial = port, code, deadline, trivial
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.errors = 0

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        bodies = ANSWER_BODIES
        while time.perf_counter() < self.deadline:
            try:
                if self.trivial:
                    started = time.perf_counter()
                    connection.request("GET", "/j")
                    answer = connection.getresponse()
                    answer.read()
                    self._record(started, answer.status == 200)
                    continue
                connection.request("GET", f"/j/{self.code}?lang=de")
                page = connection.getresponse()
                html = page.read().decode()
                cookie = (page.getheader("Set-Cookie") or "").split(";")[0]
                fields = urllib.parse.urlencode(HIDDEN.findall(html))
                body = f"{fields}&{bodies[self.rng.randrange(len(bodies))]}"
                headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
                started = time.perf_counter()
                connection.request("POST", f"/j/{self.code}", body=body, headers=headers)
                answer = connection.getresponse()
                answer.read()
                self._record(started, answer.status == 200)
            except (OSError, http.client.HTTPException):
                self.errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def _record(self, started: float, ok: bool) -> None:
        if ok:
            self.latencies.append(time.perf_counter() - started)
        else:
            self.errors += 1


def phase(
    port: int, code: str, clients: int, seconds: float, trivial: bool
) -> tuple[float, list[float], int]:
    deadline = time.perf_counter() + seconds
    threads = [Client(port, code, deadline, trivial, seed) for seed in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for t in threads for x in t.latencies)
    return len(latencies) / elapsed, latencies, sum(t.errors for t in threads)


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(p * len(values)))] * 1000 if values else float("nan")


def report(name: str, rate: float, latencies: list[float], errors: int) -> None:
    """Print one line of figures."""
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    print(f"{name:16} {rate:8.1f} /s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   errors {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    options = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="survey-bench-")
    env = {**os.environ, "SURVEY_INSTANCE_PATH": instance}
    if options.database == "postgresql":
        schema = f"bench_{os.getpid()}"
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "test", "-qc", f"CREATE SCHEMA {schema}"],
            check=True,
        )
        env["SURVEY_DATABASE_URL"] = f"{PG_URL}?options=-csearch_path%3D{schema}"
    code = prepare(env)
    make_answer_bodies()
    port = free_port()
    serve = [str(ROOT / ".venv" / "bin" / "survey-app"), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*serve, "--workers", str(options.workers)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/j")
                break
            except OSError:
                time.sleep(0.1)
        phase(port, code, 4, 2, trivial=False)  # warm-up: templates, instrument cache
        rate, latencies, errors = phase(port, code, options.clients, options.seconds, trivial=False)
        trivial_rate, trivial_latencies, trivial_errors = phase(
            port, code, options.clients, options.seconds, trivial=True
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        if options.database == "postgresql":
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "test",
                    "-qc",
                    f"DROP SCHEMA {schema} CASCADE",
                ],
                check=False,
            )
    print(
        f"database {options.database}, {options.workers} workers, "
        f"{options.clients} concurrent clients, {options.seconds:.0f} s per phase"
    )
    report("submissions", rate, latencies, errors)
    report("trivial page /j", trivial_rate, trivial_latencies, trivial_errors)
    print(f"ratio            {rate / trivial_rate:8.2f}   (target >= 0.3)")
    if latencies:
        print(f"mean POST        {statistics.mean(latencies) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
