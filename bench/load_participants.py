"""Reliability at full size: 400 phones at once, races on one submission id, kill -9.

Starts ``survey-app serve`` (gunicorn) on a fresh database, then

1. lets N phones (default 400) load the kick-off questionnaire and submit at the
   same moment, 10 % of them sending the same post again after the thank-you page;
2. sends one submission id from 20 threads at once, R rounds (default 50), and other
   answers under one id from 20 threads, 5 rounds;
3. with ``--crash``: a second burst during which two workers and then the whole
   server are killed with SIGKILL, the server started again, every phone retrying.

After each part it checks the database: every acknowledged submission stored
exactly once with the answers sent, nothing else stored. Prints the figures and
exits 1 on any problem. Run:

    .venv/bin/python bench/load_participants.py --database sqlite --participants 400 --crash
    .venv/bin/python bench/load_participants.py --database postgresql --participants 400 --crash
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.live_server import LiveServer, live_server  # noqa: E402
from tests.support.participants import (  # noqa: E402
    make_phones,
    race,
    resubmit,
    run_phones,
    storage_problems,
    stored_responses,
)


def burst(server: LiveServer, participants: int) -> list[str]:
    """Part 1: all phones at once; return the problems found."""
    code = server.open_workshop(title="Load")
    phones = make_phones(server.port, code, participants)
    report = run_phones(phones, retry_share=0.1, patience=300)
    posts = sorted(seconds for phone in phones for seconds in phone.post_seconds)
    statuses = report.statuses
    print(
        f"burst: {participants} phones in {report.seconds:.1f} s, "
        f"{report.retried_after_ack} sent again after the thank-you page, "
        f"statuses {dict(statuses)}, acknowledged {len(report.acked)}"
    )
    p50, p99 = (posts[int(q * (len(posts) - 1))] * 1000 for q in (0.5, 0.99))
    print(f"       POST latency p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {posts[-1] * 1000:.0f} ms")
    problems = storage_problems(phones, server.database_url)
    stored = len(stored_responses(server.database_url, code))
    print(f"       stored {stored} responses, problems {len(problems)}")
    if set(statuses) != {200} or len(report.acked) != participants:
        problems.append(f"unexpected statuses {dict(statuses)}")
    return problems


def races(server: LiveServer, rounds: int, senders: int = 20) -> list[str]:
    """Part 2: one submission id from many threads at once; return the problems."""
    code = server.open_workshop(title="Races")
    conflicts = server.open_workshop(title="Conflicts")
    phones = make_phones(server.port, code, rounds, seed=11)
    phones += make_phones(server.port, conflicts, 5, seed=12)
    problems: list[str] = []
    started = time.perf_counter()
    for number, phone in enumerate(phones):
        phone.load(time.monotonic() + 60)
        conflicting = number >= rounds
        statuses = race(phone, senders, conflicting=conflicting)
        wanted = [200] + [409] * (senders - 1) if conflicting else [200] * senders
        if sorted(statuses) != wanted:
            problems.append(f"race {number}: statuses {sorted(statuses)}")
        phone.acked = True
    stored = {
        **stored_responses(server.database_url, code),
        **stored_responses(server.database_url, conflicts),
    }
    copies = sorted({entry[2] for entry in stored.values()})
    print(
        f"races: {rounds} rounds of {senders} identical posts and 5 rounds of {senders} "
        f"conflicting posts in {time.perf_counter() - started:.1f} s; "
        f"{len(stored)} responses stored, copies per id {copies}"
    )
    identical = phones[:rounds]
    return problems + storage_problems(identical, server.database_url)


def crash(server: LiveServer, participants: int) -> list[str]:
    """Part 3: kill -9 of two workers, then of the whole server, during a burst."""
    code = server.open_workshop(title="Crash")
    phones = make_phones(server.port, code, participants, seed=31)
    reports = []
    runner = threading.Thread(target=lambda: reports.append(run_phones(phones, patience=300)))
    runner.start()

    def acked() -> int:
        return sum(phone.acked for phone in phones)

    while acked() < participants // 10:
        time.sleep(0.02)
    for pid in server.worker_pids()[:2]:
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
    while acked() < participants // 3:
        time.sleep(0.02)
    server.kill()
    pending = participants - acked()
    time.sleep(0.5)
    started = time.perf_counter()
    server.start()
    restart = time.perf_counter() - started
    runner.join()
    report = reports[0]
    again = resubmit(phones)
    print(
        f"crash: {participants} phones, 2 workers and then the server killed; "
        f"{pending} waiting at the crash; restart {restart:.1f} s; burst {report.seconds:.1f} s; "
        f"statuses {dict(report.statuses)}; acknowledged {len(report.acked)}; "
        f"all sent once more: {dict((s, again.count(s)) for s in set(again))}"
    )
    problems = storage_problems(phones, server.database_url)
    if len(report.acked) != participants or set(again) != {200}:
        problems.append("not every phone got its thank-you page")
    if not set(report.statuses) <= {0, 200}:
        problems.append(f"unexpected statuses {dict(report.statuses)}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--crash", action="store_true", help="also kill -9 during a burst")
    options = parser.parse_args()
    print(f"database {options.database}, {options.workers} workers")
    with live_server(options.database, workers=options.workers) as server:
        problems = burst(server, options.participants)
        problems += races(server, options.rounds)
        if options.crash:
            problems += crash(server, options.participants)
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    print("all stored exactly once" if not problems else f"{len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
