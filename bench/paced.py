"""Facilitator-paced mode through the real server: 1,000 phones following, 400 answering.

Starts ``survey-app serve`` (gunicorn) on a fresh SQLite database (or a PostgreSQL
schema), makes a workshop of the kick-off questionnaire facilitator-paced and moves
its room to the first question. Then, for ``--seconds``:

- 1,000 phones ask ``GET /j/<CODE>/now`` every 2 s, each on a connection of its own
  (a new one when the server closed it), with the ETag they were last given, as
  ``paced.js`` does; they start at random within the first 2 s;
- 20 clients load the trivial page ``/j`` every 0.2 s (100 per second), for
  comparison in the same run;
- 400 phones answer the first question within 4 s (their first answers: 400 new
  responses); the facilitator moves on; the same 400 phones answer the second
  question within 4 s (into their responses); the facilitator moves on again.

Prints p50 / p95 / p99 of the follow-along request, of the trivial page and of the
answers (the first 4 s, while phones start, are not counted), the time the server's
access log gives the same requests (in the app, without the wait for a free thread),
and checks that every phone has exactly one response with both answers. The phones
are an asyncio client in this process (wrk sends the first request of its
connections all at once, or after a delay that gunicorn's threads spend waiting for
it); it prints the CPU it took, which the server did not have.
Target (DESIGN section 12): p99 of the follow-along request < 100 ms.

Run: ``.venv/bin/python bench/paced.py [--database sqlite|postgresql] [--seconds 40]
[--phones 1000] [--answering 400] [--workers N] [--port P]``.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import random
import re
import resource
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from burst import BurstResult, post_at  # noqa: E402
from common import Figure, database_url, print_figures, wrk  # noqa: E402
from followers import Polls, in_background  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from tests.support.live_server import LiveServer, live_server  # noqa: E402

#: Seconds of polling before latencies count (every phone has asked at least once).
WARM_UP_S = 4.0
#: How long the answering phones take to send one question's answers (all of them).
BURST_S = 4.0
#: The questions answered, with the options phones pick from (needs-expectations.yaml).
QUESTIONS = {
    "org_type": ["culture", "religion", "parents", "sports"],
    "fields_of_work": ["education", "language", "counselling", "culture_arts"],
}
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def move_room(server: LiveServer, workshop_id: int, question: str) -> None:
    """Move the room to ``question`` as the facilitator's button does (one UPDATE)."""
    engine = create_engine(database_url(server), poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE workshop SET paced = :on, pace_state = 'question', pace_question = :key,"
                " pace_step = pace_step + 1 WHERE id = :id"
            ),
            {"on": True, "key": question, "id": workshop_id},
        )
    engine.dispose()


def session_pair(server: LiveServer, code: str) -> tuple[str, str]:
    """Load the paced page once; return its CSRF token and the session cookie."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", f"/j/{code}?lang=de")
    page = connection.getresponse()
    html = page.read().decode()
    cookie = (page.getheader("Set-Cookie") or "").split(";")[0]
    found = TOKEN.search(html)
    assert found, "the paced page has no form"
    return found.group(1), cookie


def answer_burst(
    port: int, code: str, token: str, cookie: str, phones: list[str], question: str
) -> BurstResult:
    """Let each phone (its submission id) answer ``question`` once within ``BURST_S``."""
    rng = random.Random(len(phones))
    requests = []
    for submission_id in phones:
        pairs = [("csrf_token", token), ("submission_id", submission_id), ("lang", "de"),
                 ("question", question), ("consent", "yes"),
                 (f"q.{question}", rng.choice(QUESTIONS[question]))]  # fmt: skip
        body = urllib.parse.urlencode(pairs).encode()
        head = (f"POST /j/{code}/answer HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()  # fmt: skip
        requests.append(head + body)

    async def run() -> list[float | None]:
        results: list[float | None] = []
        now = time.perf_counter()
        starts = sorted(now + rng.uniform(0, BURST_S) for _ in requests)
        pairs = zip(requests, starts, strict=True)
        await asyncio.gather(*(post_at(port, r, s, results, b"303") for r, s in pairs))
        return results

    began = time.perf_counter()
    results = asyncio.run(run())
    latencies = sorted(x for x in results if x is not None)
    return BurstResult(latencies, len(results) - len(latencies), time.perf_counter() - began)


LOGGED = re.compile(r'"(GET|POST) (\S+) HTTP/1.1" \d+ \S+ (\d+)ms')


def logged_times(server: LiveServer) -> dict[str, Polls]:
    """Return the time each request spent in the app, from the access log (whole ms)."""
    times = {"now": Polls(), "answer": Polls()}
    for line in server.log_path.read_text(errors="replace").splitlines():
        found = LOGGED.search(line)
        if found and found.group(2).endswith(("/now", "/answer")):
            kind = "now" if found.group(2).endswith("/now") else "answer"
            times[kind].latencies.append(float(found.group(3)))
    return times


def measure(
    server: LiveServer, seconds: float, phones: int, answering: int, label: str
) -> list[Figure]:
    """Run the scenario of the module's docstring; return its figures."""
    created = server.cli("workshops", "create", "--instrument", "needs-expectations",
                         "--title", "Paced")  # fmt: skip
    workshop_id, code = created.split()
    server.cli("workshops", "open", workshop_id)
    first, second = list(QUESTIONS)
    move_room(server, int(workshop_id), first)
    token, cookie = session_pair(server, code)
    wrk(server.base_url + "/j", 20, 2)  # warm-up: every worker imports, renders, connects
    now, page = Polls(), Polls()
    jobs = [(f"/j/{code}/now", 2.0, phones, now), ("/j", 0.2, 20, page)]
    pollers = in_background(server.port, jobs, seconds, WARM_UP_S)
    ids = [str(uuid.uuid4()) for _ in range(answering)]
    client_cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    time.sleep(WARM_UP_S + 2)
    answers_first = answer_burst(server.port, code, token, cookie, ids, first)
    move_room(server, int(workshop_id), second)
    time.sleep(4)
    answers_second = answer_burst(server.port, code, token, cookie, ids, second)
    move_room(server, int(workshop_id), first)
    pollers.join()
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = used.ru_utime + used.ru_stime - client_cpu.ru_utime - client_cpu.ru_stime
    client_share = cpu / (time.perf_counter() - started)
    stored = server.query(
        "SELECT count(DISTINCT r.id), count(a.id) FROM response r"
        " JOIN answer a ON a.response_id = r.id WHERE r.workshop_id = :id",
        id=int(workshop_id),
    )[0]
    logged = logged_times(server)
    name = f"{label}, {phones} phones following every 2 s"
    p99 = now.percentile(0.99)
    measured = seconds - WARM_UP_S
    figures = [
        Figure(f"{name}: requests per second", len(now.latencies) / measured, "/s"),
        Figure(f"{name}: share answered 304", now.not_modified / len(now.latencies), "x"),
        Figure(f"{name}: follow-along p50", now.percentile(0.5), "ms"),
        Figure(f"{name}: follow-along p95", now.percentile(0.95), "ms"),
        Figure(f"{name}: follow-along p99", p99, "ms", "< 100 ms", p99 < 100),
        Figure(f"{name}: errors / new connections", now.errors, ""),
        Figure(
            f"{name}: in the app (access log) p50", logged["now"].percentile(0.5), "ms"
        ),  # fmt: skip
        Figure(f"{name}: in the app (access log) p99", logged["now"].percentile(0.99), "ms"),
        Figure(f"{name}: connections closed by the server", now.reconnects, ""),
        Figure(
            f"{label}, same run: trivial page /j, requests per second",
            len(page.latencies) / measured,
            "/s",
        ),  # fmt: skip
        Figure(f"{label}, same run: trivial page /j p50", page.percentile(0.5), "ms"),
        Figure(f"{label}, same run: trivial page /j p95", page.percentile(0.95), "ms"),
        Figure(f"{label}, same run: trivial page /j p99", page.percentile(0.99), "ms"),
    ]
    for number, burst in ((1, answers_first), (2, answers_second)):
        what = f"{label}, {answering} phones answering question {number} within {BURST_S:g} s"
        figures += [
            Figure(f"{what}: p50", burst.percentile(0.5), "ms"),
            Figure(f"{what}: p95", burst.percentile(0.95), "ms"),
            Figure(f"{what}: p99", burst.percentile(0.99), "ms"),
            Figure(f"{what}: errors", burst.errors, ""),
        ]
    figures += [
        Figure(
            f"{label}, answers in the app (access log) p50", logged["answer"].percentile(0.5), "ms"
        ),
        Figure(
            f"{label}, answers in the app (access log) p99", logged["answer"].percentile(0.99), "ms"
        ),
    ]
    figures += [
        Figure(f"{label}: responses stored (one per answering phone)", stored[0], ""),
        Figure(f"{label}: answer rows stored (two per phone)", stored[1], ""),
        Figure(f"{label}: this client's CPU (cores) beside the server", client_share, ""),
    ]
    return figures


def run(
    database: str = "sqlite",
    seconds: float = 40,
    phones: int = 1000,
    answering: int = 400,
    workers: int | None = None,
    port: int | None = None,
) -> list[Figure]:
    """Start a server on ``database`` (on ``port``, else a free one) and measure."""
    workers = workers or (os.cpu_count() or 1) * 2 + 1
    label = f"paced, {database}, {workers} workers"
    with live_server(database, workers=workers, port=port) as server:
        return measure(server, seconds, phones, answering, label)


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--answering", type=int, default=400)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args()
    figures = run(args.database, args.seconds, args.phones, args.answering, args.workers, args.port)
    print_figures(f"facilitator-paced mode, {args.database}", figures)


if __name__ == "__main__":
    main()
