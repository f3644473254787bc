"""Simulated phones against a real server, and a check of what the database holds.

A phone loads the questionnaire (keeping its session cookie, CSRF token and
submission id), posts plausible answers (``survey_app.demo.simulated_form``) and,
like a phone on bad venue Wi-Fi, sends the very same post again when it got no
answer (connection refused or cut) or a 5xx. Some phones send it once more after
the thank-you page, as if the acknowledgement had been lost. Used by
tests/test_load.py, tests/test_crashes.py and bench/load_participants.py.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from survey_app.definition.model import Instrument
from survey_app.demo import simulated_form
from survey_app.instruments import parse_instrument_file
from survey_app.responses.answers import answers_hash, read_answers

from .timeouts import scaled

ROOT = Path(__file__).resolve().parents[2]
HIDDEN = re.compile(r'name="(csrf_token|submission_id)" type="hidden" value="([^"]+)"')
#: Statuses that end a phone's attempts (anything else, or no answer, is retried).
FINAL = frozenset({200, 400, 403, 404, 409, 422})


def kickoff_instrument() -> Instrument:
    """Return the kick-off questionnaire the load runs answer."""
    instrument, _ = parse_instrument_file(ROOT / "instruments" / "needs-expectations.yaml")
    return instrument


def call(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    cookie: str = "",
    timeout: float = 60,
) -> tuple[int, str, str]:
    """Send one request on a new connection; return (status, Set-Cookie, body) or (0, "", error)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.getheader("Set-Cookie") or "", answer.read().decode()
    except (OSError, http.client.HTTPException) as exc:
        return 0, "", type(exc).__name__
    finally:
        connection.close()


@dataclass
class Phone:
    """One participant: their form, their answers, what the server said."""

    port: int
    code: str
    answers: list[tuple[str, str]]
    expected_hash: str
    expected_rows: int
    submission_id: str = ""
    body: str = ""
    cookie: str = ""
    statuses: list[int] = field(default_factory=list)
    #: How long each POST took to be answered (or to fail).
    post_seconds: list[float] = field(default_factory=list)
    acked: bool = False

    def load(self, deadline: float) -> bool:
        """GET the form until it comes (or the deadline passes); keep its hidden fields."""
        while time.monotonic() < deadline:
            status, cookie, html = call(self.port, "GET", f"/j/{self.code}?lang=de")
            self.statuses.append(status)
            if status == 200:
                fields = dict(HIDDEN.findall(html))
                self.submission_id = fields["submission_id"]
                self.cookie = cookie.split(";")[0]
                pairs = [*fields.items(), ("lang", "de"), *self.answers]
                self.body = urllib.parse.urlencode(pairs)
                return True
            time.sleep(0.2)
        return False

    def submit(self, deadline: float) -> int:
        """POST the answers, again and again while there is no final answer; return it."""
        while time.monotonic() < deadline:
            started = time.perf_counter()
            status, _, _ = call(self.port, "POST", f"/j/{self.code}", self.body, self.cookie)
            self.post_seconds.append(time.perf_counter() - started)
            self.statuses.append(status)
            if status in FINAL:
                self.acked = self.acked or status == 200
                return status
            time.sleep(0.2)
        return 0


def make_phones(port: int, code: str, count: int, seed: int = 2026) -> list[Phone]:
    """Return ``count`` phones with plausible, different answers."""
    instrument = kickoff_instrument()
    rng = random.Random(seed)
    phones = []
    for _ in range(count):
        form = simulated_form(instrument, "de", rng)
        answers = [("consent", "yes"), *form.items(multi=True)]
        rows = read_answers(instrument, form).rows
        phones.append(Phone(port, code, answers, answers_hash(rows), len(rows)))
    return phones


@dataclass
class RunReport:
    """What a run of phones saw."""

    phones: list[Phone]
    seconds: float
    retried_after_ack: int

    @property
    def statuses(self) -> Counter[int]:
        """Every status seen (0 = no answer), with counts."""
        return Counter(status for phone in self.phones for status in phone.statuses)

    @property
    def acked(self) -> list[Phone]:
        """The phones that got the thank-you page."""
        return [phone for phone in self.phones if phone.acked]


def run_phones(
    phones: list[Phone], retry_share: float = 0.1, patience: float = 120, seed: int = 7
) -> RunReport:
    """Let every phone load and submit at once, each in its own thread.

    ``retry_share`` of the phones send their post once more after the thank-you
    page. ``patience`` is how long a phone keeps retrying without an answer.
    """
    rng = random.Random(seed)
    again = set(rng.sample(range(len(phones)), round(len(phones) * retry_share)))
    start = threading.Barrier(len(phones))

    def participate(index: int, phone: Phone) -> None:
        start.wait()
        deadline = time.monotonic() + scaled(patience)
        if phone.load(deadline) and phone.submit(deadline) == 200 and index in again:
            phone.submit(deadline)

    threads = [
        threading.Thread(target=participate, args=(i, phone), daemon=True)
        for i, phone in enumerate(phones)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=scaled(patience * 3))
    return RunReport(phones, time.perf_counter() - began, len(again))


def resubmit(phones: list[Phone], threads: int = 20) -> list[int]:
    """Send every phone's post once more, ``threads`` at a time; return the statuses."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda phone: phone.submit(time.monotonic() + 60), phones))


def race(phone: Phone, senders: int, conflicting: bool = False) -> list[int]:
    """POST one loaded phone's submission from ``senders`` threads released at once.

    With ``conflicting`` each thread changes the number of members, so that every
    post carries other answers under the same submission id. Return the statuses.
    """
    bodies = [phone.body] * senders
    if conflicting:
        without = re.sub(r"&q\.members=[^&]*", "", phone.body)
        bodies = [f"{without}&q.members={1000 + n}" for n in range(senders)]
    start = threading.Barrier(senders)
    statuses = [0] * senders

    def send(index: int) -> None:
        start.wait()
        path = f"/j/{phone.code}"
        statuses[index] = call(phone.port, "POST", path, bodies[index], phone.cookie)[0]

    threads = [threading.Thread(target=send, args=(n,), daemon=True) for n in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=scaled(120))
    return statuses


def stored_responses(database_url: str, code: str) -> dict[str, tuple[str, int, int]]:
    """Return submission id -> (answers hash, answer rows, copies) of a workshop's responses."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT r.submission_id, r.answers_hash, "
                    "(SELECT count(*) FROM answer a WHERE a.response_id = r.id) "
                    "FROM response r JOIN workshop w ON w.id = r.workshop_id "
                    "WHERE w.join_code = :code"
                ),
                {"code": code},
            ).all()
    finally:
        engine.dispose()
    copies = Counter(row[0] for row in rows)
    return {row[0]: (row[1], row[2], copies[row[0]]) for row in rows}


def storage_problems(phones: list[Phone], database_url: str) -> list[str]:
    """Say what is wrong with the stored responses of ``phones`` (empty: all is well).

    Every acknowledged submission must be stored exactly once with exactly the
    answers sent; nothing may be stored that no phone sent; an unacknowledged one
    may be stored (the server committed, the answer was lost), but then correctly.
    """
    codes = {phone.code for phone in phones}
    stored = {k: v for code in codes for k, v in stored_responses(database_url, code).items()}
    sent = {phone.submission_id: phone for phone in phones if phone.submission_id}
    problems = [f"stored but never sent: {sid}" for sid in stored if sid not in sent]
    for sid, phone in sent.items():
        found = stored.get(sid)
        if found is None:
            if phone.acked:
                problems.append(f"acknowledged but not stored: {sid}")
            continue
        digest, rows, copies = found
        if copies != 1:
            problems.append(f"{sid} stored {copies} times")
        if digest != phone.expected_hash or rows != phone.expected_rows:
            problems.append(f"{sid} stored with other answers ({rows} rows)")
    return problems
