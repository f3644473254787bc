"""Many phones at once through the real server (gunicorn, several workers), on both databases.

Every acknowledged submission is stored exactly once, with the answers sent; no 5xx;
retries of the same submission store nothing twice; the same submission id sent by 20
threads at once gives one row, other answers under it give 409. The full-size run (400
phones, 50 race rounds) is ``bench/load_participants.py``; here the counts are smaller.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .support.live_server import LiveServer
from .support.participants import (
    make_phones,
    race,
    run_phones,
    storage_problems,
    stored_responses,
)

PARTICIPANTS = int(os.environ.get("SURVEY_TEST_PARTICIPANTS", "80"))
RACE_ROUNDS = int(os.environ.get("SURVEY_TEST_RACE_ROUNDS", "4"))
SENDERS = 20


def postgres_or_skip() -> None:
    """Skip without a PostgreSQL server, except in CI where it must be there."""
    from sqlalchemy import create_engine, text

    from .conftest import POSTGRES_URL

    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable ({type(exc).__name__})")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, live_servers) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """A real server with three workers on a fresh database."""
    if request.param == "postgresql":
        postgres_or_skip()
    with live_servers(request.param, workers=3) as running:
        yield running


def test_many_phones_at_once_store_every_acknowledged_answer_once(server):
    code = server.open_workshop()
    phones = make_phones(server.port, code, PARTICIPANTS)
    report = run_phones(phones, retry_share=0.1)
    statuses = report.statuses
    assert set(statuses) == {200}, statuses  # no 5xx, no lost connection, no refusal
    assert statuses[200] == 2 * PARTICIPANTS + report.retried_after_ack
    assert len(report.acked) == PARTICIPANTS
    assert storage_problems(phones, server.database_url) == []
    assert len(stored_responses(server.database_url, code)) == PARTICIPANTS


def test_same_submission_from_twenty_threads_is_stored_once(server):
    code = server.open_workshop(title="Races")
    phones = make_phones(server.port, code, RACE_ROUNDS, seed=11)
    for phone in phones:
        assert phone.load(deadline=float("inf"))
        statuses = race(phone, SENDERS)
        assert statuses == [200] * SENDERS
        phone.acked = True
    stored = stored_responses(server.database_url, code)
    assert storage_problems(phones, server.database_url) == []
    assert [stored[phone.submission_id][2] for phone in phones] == [1] * RACE_ROUNDS


def test_other_answers_under_the_same_id_get_409(server):
    code = server.open_workshop(title="Conflicts")
    phones = make_phones(server.port, code, 2, seed=12)
    for phone in phones:
        assert phone.load(deadline=float("inf"))
        statuses = race(phone, SENDERS, conflicting=True)
        assert sorted(statuses) == [200] + [409] * (SENDERS - 1)
    stored = stored_responses(server.database_url, code)
    assert [stored[phone.submission_id][2] for phone in phones] == [1, 1]
