"""Scale-out: two app servers on one PostgreSQL database, nothing shared in memory.

Starts one server (its own PostgreSQL schema), measures submissions with wrk from
400 connections, then starts a second server on another port with the same
database and secret key (as two machines behind a load balancer would be) and
lets two wrk runs, 200 connections each, post to both at once. The servers share
nothing but the database: no sticky sessions (a form loaded from one server is
posted to the other), no in-process cache (the live results of both agree at
once, through the same ETag). On one 2-core machine the two servers share the
cores, so the sum shows that nothing serializes across servers, not more speed.
Run: ``.venv/bin/python bench/scaleout.py [--workers 2] [--seconds 15]``.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    BENCH,
    Figure,
    WrkResult,
    admin_token,
    print_figures,
    server_app,
    timed_get,
    wrk,
)
from submissions import answer_bodies, session_pair, stored_responses  # noqa: E402

from tests.support.live_server import LiveServer, free_port, live_server  # noqa: E402


def post_to(server: LiveServer, code: str, pair: tuple[str, str], connections: int,
            seconds: float, bodies: Path) -> WrkResult:  # fmt: skip
    """Post responses to ``server`` with a token and cookie from anywhere."""
    arguments = [code, pair[0], pair[1], secrets.token_hex(4), str(bodies)]
    return wrk(server.base_url, connections, seconds, BENCH / "lua" / "submit.lua", args=arguments)


def run(workers: int = 2, seconds: float = 15) -> list[Figure]:
    """Measure one server, then two on the same database; return the figures."""
    env = {"SURVEY_SECRET_KEY": secrets.token_hex(32)}
    bodies = answer_bodies()
    with live_server("postgresql", workers=workers, extra_env=env) as first:
        code = first.open_workshop()
        pair = session_pair(first, code)
        post_to(first, code, pair, 20, 3, bodies)  # warm-up
        alone = post_to(first, code, pair, 400, seconds, bodies)
        second = LiveServer(port=free_port(), env=first.env, workers=workers,
                            instance=Path(tempfile.mkdtemp(prefix="survey-live-")))  # fmt: skip
        second.start()
        try:
            # The form was loaded from the first server; the second takes its post.
            post_to(second, code, pair, 20, 3, bodies)
            results: dict[str, WrkResult] = {}
            threads = [
                threading.Thread(target=lambda s=s, n=n: results.__setitem__(
                    n, post_to(s, code, pair, 200, seconds, bodies)))
                for s, n in ((first, "first"), (second, "second"))
            ]  # fmt: skip
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            settle(first)  # queued posts are still being answered after wrk stops
            app = server_app(first)
            auth = {"Authorization": f"Bearer {admin_token(app)}"}
            workshop_id = _workshop_id(app, code)
            path = f"/workshops/{workshop_id}/results.json"
            answers = [timed_get(s, path, auth) for s in (first, second)]
            stored = stored_responses(first)
        finally:
            second.stop()
    both = results["first"].rate + results["second"].rate
    p99 = max(results["first"].p99_ms, results["second"].p99_ms)
    etags = {a[2]["ETag"] for a in answers}
    counts = {json.loads(a[3])["n_responses"] for a in answers}
    errors = alone.errors + results["first"].errors + results["second"].errors
    label = f"scale-out, postgresql, {workers} workers per server"
    return [
        Figure(f"{label}: one server, 400 clients", alone.rate, "/s"),
        Figure(f"{label}: one server, p99", alone.p99_ms, "ms"),
        Figure(f"{label}: two servers, 2 x 200 clients, together", both, "/s"),
        Figure(f"{label}: two servers, p99 (worse of the two)", p99, "ms"),
        Figure(f"{label}: errors", errors, ""),
        Figure(f"{label}: both servers give the same live results (ETag, n)",
               float(len(etags) == 1 and counts == {stored}), "yes=1")  # fmt: skip
    ]


def settle(server: LiveServer) -> None:
    """Wait until the number of stored responses stays the same for a second."""
    last = -1
    while (count := stored_responses(server)) != last:
        last = count
        time.sleep(1)


def _workshop_id(app, code: str) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.models import Workshop

    with app.app_context():
        return int(db.session.scalar(select(Workshop.id).where(Workshop.join_code == code)))


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    print_figures("scale-out", run(args.workers, args.seconds))


if __name__ == "__main__":
    main()
