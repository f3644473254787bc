"""Join-code lookups are limited per client network, counted under keyed hashes only."""

from __future__ import annotations

import itertools
import uuid

import pytest

from survey_app import create_app
from survey_app.extensions import db
from survey_app.throttle import EXTENSION, MemoryCounters, RedisCounters

from .conftest import FIXTURES, _test_config

ADDRESS = "203.0.113.7"
#: Codes from the join alphabet that no test workshop has (codes are random).
GUESSES = ["YYY" + "".join(letters) for letters in itertools.product("ACDEF", repeat=3)][:100]


def phone(app, address: str = ADDRESS):
    """A test client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_guessing_codes_is_stopped_with_a_translated_429(app, make_workshop):
    """Finding: 125 lookups a second from one client, never throttled."""
    app.config["JOIN_MISSES_PER_10_MINUTES"] = 30
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    script = phone(app)
    statuses = [script.get(f"/j?code={code}").status_code for code in GUESSES[:30]]
    assert statuses == [404] * 30
    refused = script.get(f"/j/{GUESSES[30]}", headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 600
    assert refused.headers["Cache-Control"] == "no-store"
    page = refused.get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Too many workshop codes were tried from this network" in page
    assert "Traceback" not in page
    # Even the right code waits: a guesser must not learn which codes exist.
    assert script.get(f"/j/{workshop.join_code}").status_code == 429
    assert script.get(f"/j?code={workshop.join_code}").status_code == 429
    assert 'lang="de"' in script.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    # Another network is not affected, and submissions are never counted.
    assert phone(app, "198.51.100.9").get(f"/j/{workshop.join_code}").status_code == 200


def test_every_lookup_counts_against_a_per_minute_limit(app, make_workshop):
    app.config["JOIN_LOOKUPS_PER_MINUTE"] = 20
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    client = phone(app)
    assert [client.get(f"/j/{workshop.join_code}").status_code for _ in range(20)] == [200] * 20
    assert client.get(f"/j/{workshop.join_code}").status_code == 429
    assert client.get("/j").status_code == 200  # the empty join form is no lookup


def test_a_venue_nat_of_hundreds_of_phones_still_joins(app, make_workshop):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    statuses = {phone(app).get(f"/j/{workshop.join_code}").status_code for _ in range(300)}
    mistyped = {phone(app).get(f"/j?code={code}").status_code for code in GUESSES[:40]}
    assert statuses == {200}
    assert mistyped == {404}
    assert phone(app).get(f"/j/{workshop.join_code}").status_code == 200


def test_counters_hold_no_address(app, make_workshop):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    phone(app).get(f"/j/{workshop.join_code}")
    phone(app).get(f"/j?code={GUESSES[0]}")
    store = app.extensions[EXTENSION]
    assert isinstance(store, MemoryCounters)
    names = " ".join(name for name, _, _ in store._counts)
    assert names and "203.0.113" not in names and "." not in names


@pytest.fixture
def redis_url():
    """The test Redis (127.0.0.1:6379); its keys are those of a fresh secret, deleted after."""
    import redis

    url = "redis://127.0.0.1:6379/0"
    client = redis.Redis.from_url(url)
    client.ping()
    yield url
    for key in client.scan_iter("survey:throttle:*"):
        client.delete(key)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_servers_share_counts_in_redis(database_url, tmp_path, redis_url):
    """Two app servers with SURVEY_REDIS_URL count one client together."""
    secret = uuid.uuid4().hex  # counters of earlier runs have other names
    apps = [
        create_app(
            {
                **_test_config(database_url, tmp_path / name),
                "SECRET_KEY": secret,
                "REDIS_URL": redis_url,
                "JOIN_MISSES_PER_10_MINUTES": 10,
            }
        )
        for name in ("one", "two")
    ]
    try:
        for n in range(10):
            assert phone(apps[n % 2]).get(f"/j?code={GUESSES[n]}").status_code == 404
        assert phone(apps[0]).get(f"/j?code={GUESSES[10]}").status_code == 429
        assert phone(apps[1]).get(f"/j?code={GUESSES[10]}").status_code == 429
        assert isinstance(apps[0].extensions[EXTENSION], RedisCounters)
        import redis

        keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("survey:throttle:*")]
        assert keys and not any("203.0.113" in key for key in keys)
    finally:
        for one in apps:
            with one.app_context():
                db.engine.dispose()
