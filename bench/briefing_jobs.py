"""Briefings in the background, through the real server: feedback, builds, submissions.

Starts ``survey-app serve`` (2 workers) on a fresh SQLite database with the demo
series, logs in as an admin (session cookie, as a browser does) and measures:

- time to first feedback: a browser's GET of the series briefing (nothing stored
  yet) until the page that follows the build arrives (202), and until the PDF is
  ready (the page's status URL says "done") and downloaded: the demo, cold;
- the same briefing again (stored: warm), as a browser and as a script;
- eight readers asking at once for a briefing not built yet (scripts, which wait):
  wall time, how many builds ran (one expected), and the POST times of participants
  answering an open workshop on the same server meanwhile, against the same before.

Run: ``.venv/bin/python bench/briefing_jobs.py`` (about two minutes).
"""

from __future__ import annotations

import http.client
import re
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import Figure, machine, print_figures, server_app  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from survey_app.extensions import db  # noqa: E402
from survey_app.models import Briefing, Series  # noqa: E402
from tests.support.live_server import LiveServer, live_server  # noqa: E402
from tests.support.participants import make_phones  # noqa: E402

PAGE = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def get(
    server: LiveServer, path: str, cookie: str, accept: str = "*/*"
) -> tuple[float, int, bytes]:
    """GET ``path`` with the session cookie; return (seconds, status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Accept": accept})
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    return time.perf_counter() - started, answer.status, body


def log_in(server: LiveServer, email: str, password: str) -> str:
    """Log in through the form; return the session cookie."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/login")
    answer = connection.getresponse()
    cookie = (answer.getheader("Set-Cookie") or "").split(";")[0]
    token = TOKEN.search(answer.read().decode()).group(1)  # type: ignore[union-attr]
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/login", body=body, headers=headers)
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 302, answer.status
    connection.close()
    return (answer.getheader("Set-Cookie") or cookie).split(";")[0]


def submissions(server: LiveServer, code: str, count: int, seed: int) -> list[float]:
    """Answer the open workshop with ``count`` phones one after another; POST seconds."""
    phones = make_phones(server.port, code, count, seed=seed)
    took = []
    for phone in phones:
        assert phone.load(time.monotonic() + 30)
        assert phone.submit(time.monotonic() + 30) == 200
        took.append(phone.post_seconds[-1])
    return took


def builds(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count(Briefing.id))) or 0


def run() -> list[Figure]:
    """Start a server with the demo series, measure; return the figures."""
    figures: list[Figure] = []
    with live_server("sqlite", workers=2, extra_env={"SURVEY_BUILD_AHEAD": "0"}) as server:
        server.cli("demo")
        app = server_app(server)
        password = secrets.token_hex(12)
        server.cli("users", "create", "--email", "bench@example.org", "--role", "admin",
                   "--password-stdin", stdin=password + "\n")  # fmt: skip
        cookie = log_in(server, "bench@example.org", password)
        with app.app_context():
            series_id = db.session.scalar(select(Series.id).where(Series.slug == "demo-2026"))
        code = server.open_workshop(title="Room")
        path = f"/series/{series_id}/briefing.pdf?lang=de"
        first, status, page = get(server, path, cookie, PAGE)
        assert status == 202, status
        status_url = re.search(r'data-status-url="([^"]+)"', page.decode()).group(1)  # type: ignore[union-attr]
        started = time.perf_counter() - first
        while b'"done"' not in (state := get(server, status_url, cookie)[2]):
            assert b'"failed"' not in state, state
            time.sleep(0.25)
        ready = time.perf_counter() - started
        download, status, pdf = get(server, path, cookie, PAGE)
        assert status == 200 and pdf.startswith(b"%PDF")
        warm_page = statistics.median(get(server, path, cookie, PAGE)[0] for _ in range(5))
        warm_script = statistics.median(get(server, path, cookie)[0] for _ in range(5))
        figures += [
            Figure(
                "demo series briefing, cold: first feedback (wait page)",
                first * 1000,
                "ms",
                "< 2 s",
                first < 2,
            ),  # fmt: skip
            Figure("demo series briefing, cold: PDF ready (status says done)", ready, "s"),
            Figure("demo series briefing, cold: download once ready", download * 1000, "ms"),
            Figure(
                "demo series briefing, warm (stored): browser, median of 5", warm_page * 1000, "ms"
            ),  # fmt: skip
            Figure(
                "demo series briefing, warm (stored): script, median of 5", warm_script * 1000, "ms"
            ),  # fmt: skip
        ]
        quiet = submissions(server, code, 30, seed=1)
        before = builds(app)
        answers: list[tuple[float, int]] = [(0.0, 0)] * 8
        english = f"/series/{series_id}/briefing.pdf?lang=en"

        def read(number: int) -> None:
            """A script: asks again after Retry-After (5 s) while the build runs."""
            begun = time.perf_counter()
            while (status := get(server, english, cookie)[1]) == 202:
                time.sleep(5)
            answers[number] = (time.perf_counter() - begun, status)

        readers = [threading.Thread(target=read, args=(i,)) for i in range(8)]
        started = time.perf_counter()
        for reader in readers:
            reader.start()
        busy: list[float] = []
        seed = 2
        while any(reader.is_alive() for reader in readers):
            busy += submissions(server, code, 5, seed=seed)
            seed += 1
        wall = time.perf_counter() - started
        assert {status for _, status in answers} == {200}, answers
        ran = builds(app) - before
        p99 = statistics.quantiles(busy, n=100)[98] if len(busy) >= 2 else busy[0]
        figures += [
            Figure("8 identical requests at once (English, not built): wall time", wall, "s"),
            Figure("8 identical requests at once: builds that ran", ran, "", "1", ran == 1),
            Figure(
                f"participant POST, quiet: median (n={len(quiet)})",
                statistics.median(quiet) * 1000,
                "ms",
            ),  # fmt: skip
            Figure(
                f"participant POST during the build: median (n={len(busy)})",
                statistics.median(busy) * 1000,
                "ms",
            ),  # fmt: skip
            Figure("participant POST during the build: p99", p99 * 1000, "ms"),
        ]
    return figures


def main() -> None:
    print(machine())
    print_figures("Briefings built in the background (demo series, 2 workers, SQLite)", run())


if __name__ == "__main__":
    main()
