"""Failed logins are limited per account and per address, in the database; participants never."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey_app import create_app
from survey_app.accounts.limits import network_of
from survey_app.extensions import db
from survey_app.models import LoginAttempt, Response
from survey_app.models._time import utcnow

from .conftest import FIXTURES, PASSWORD, _test_config, login
from .helpers import ALL_TYPES_ANSWERS, open_form, post_form

ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """Cheap argon2 parameters: these tests make hundreds of login attempts."""
    from argon2 import PasswordHasher

    import survey_app.accounts.operations as operations

    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(operations, "_hasher", hasher)
    monkeypatch.setattr(operations, "_DUMMY_HASH", hasher.hash("dummy"))


def client_from(app, address: str = ADDRESS):
    """A test client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail(client, email: str, times: int) -> list[int]:
    """Try ``times`` wrong passwords; return the statuses."""
    return [login(client, email, "wrong password, sorry").status_code for _ in range(times)]


def test_ten_failures_lock_the_account_for_fifteen_minutes(app, make_user, monkeypatch):
    make_user("fac@example.org")
    make_user("other@example.org")
    client = client_from(app)
    assert fail(client, "fac@example.org", 10) == [401] * 10
    blocked = login(client, "fac@example.org")  # even the right password
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "900"
    assert "Bitte warten Sie 15 Minuten" in blocked.get_data(as_text=True)  # German by default
    # Another account from the same address is not affected by this account's limit.
    assert login(client_from(app), "other@example.org").status_code == 302
    # Nor is the locked account from another address: the account limit holds everywhere.
    assert login(client_from(app, "198.51.100.9"), "fac@example.org").status_code == 429
    later = utcnow() + timedelta(minutes=16)
    monkeypatch.setattr("survey_app.accounts.limits.utcnow", lambda: later)
    assert login(client_from(app), "fac@example.org").status_code == 302


@pytest.mark.parametrize(
    "language, message",
    [("en", "Too many failed logins. Please wait 15 minutes"), ("tr", "Lütfen 15 dakika bekleyip")],
)
def test_limit_message_is_translated(app, make_user, language, message):
    make_user("fac@example.org")
    client = client_from(app)
    fail(client, "fac@example.org", 10)
    headers = {"Accept-Language": language}
    page = client.get("/login", headers=headers).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/login",
        data={"email": "fac@example.org", "password": PASSWORD, "csrf_token": token},
        headers=headers,
    )
    assert answer.status_code == 429
    assert message in answer.get_data(as_text=True)


def test_a_success_resets_the_account_count(app, make_user):
    make_user("fac@example.org")
    client = client_from(app)
    assert fail(client, "fac@example.org", 9) == [401] * 9
    assert login(client, "fac@example.org").status_code == 302
    assert fail(client_from(app), "fac@example.org", 9) == [401] * 9


def test_fifty_failures_lock_the_address_for_every_account(app, make_user):
    make_user("fac@example.org")
    client = client_from(app)
    for n in range(5):  # unknown accounts count too
        assert fail(client, f"guess{n}@example.org", 10) == [401] * 10
    assert login(client, "fac@example.org").status_code == 429
    assert login(client_from(app, "198.51.100.9"), "fac@example.org").status_code == 302


def test_ipv6_clients_are_counted_per_64_network():
    assert network_of("2001:db8:1:2:aaaa::1") == network_of("2001:db8:1:2:ffff::9")
    assert network_of("2001:db8:1:2::1") != network_of("2001:db8:1:3::1")
    assert network_of("::ffff:203.0.113.7") == network_of("203.0.113.7") == "203.0.113.7"
    assert network_of(None) == network_of("not an address") == "unknown"


def test_participants_are_never_limited_by_address(app, make_user, make_workshop):
    make_user("fac@example.org")
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    for n in range(5):
        fail(client_from(app), f"nobody{n}@example.org", 10)
    assert login(client_from(app), "fac@example.org").status_code == 429
    for _ in range(3):  # phones behind the same venue NAT
        phone = client_from(app)
        fields = open_form(phone, workshop.join_code)
        answer = post_form(phone, workshop.join_code, fields, ALL_TYPES_ANSWERS)
        assert answer.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 3


def test_counters_hold_across_processes_sharing_the_database(
    app, database_url, make_user, tmp_path
):
    """Two app instances (like two gunicorn workers or servers) share one count."""
    make_user("fac@example.org")
    second = create_app(_test_config(database_url, tmp_path / "second"))
    try:
        assert fail(client_from(app), "fac@example.org", 5) == [401] * 5
        assert fail(client_from(second), "fac@example.org", 5) == [401] * 5
        assert login(client_from(app), "fac@example.org").status_code == 429
        assert login(client_from(second), "fac@example.org").status_code == 429
    finally:
        with second.app_context():
            db.engine.dispose()


def test_stored_failures_name_no_address_or_account_and_expire(app, make_user, monkeypatch):
    make_user("fac@example.org")
    fail(client_from(app), "fac@example.org", 3)
    with app.app_context():
        rows = db.session.scalars(select(LoginAttempt)).all()
        assert len(rows) == 6
        stored = " ".join(f"{row.scope} {row.key}" for row in rows)
    assert ADDRESS not in stored and "203.0.113" not in stored and "fac@" not in stored
    assert all(re.fullmatch(r"[0-9a-f]{32}", row.key) for row in rows)
    later = utcnow() + timedelta(minutes=16)
    monkeypatch.setattr("survey_app.accounts.limits.utcnow", lambda: later)
    fail(client_from(app, "198.51.100.9"), "x@example.org", 1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 2


def test_the_password_check_holds_no_transaction(app, make_user, monkeypatch):
    """No write lock (SQLite) is held while argon2 works: submissions need it."""
    import survey_app.accounts.operations as operations

    make_user("fac@example.org")
    seen: list[bool] = []
    hasher = operations._hasher

    class Watching:
        def verify(self, stored: str, password: str) -> bool:
            seen.append(db.session().in_transaction())
            return hasher.verify(stored, password)

        def __getattr__(self, name: str):
            return getattr(hasher, name)

    monkeypatch.setattr(operations, "_hasher", Watching())
    assert login(client_from(app), "fac@example.org").status_code == 302
    assert login(client_from(app), "fac@example.org", "wrong password!!").status_code == 401
    assert seen == [False, False]


@pytest.mark.parametrize("length, accepted", [(11, False), (12, True)])
def test_password_minimum_length(app, runner, length, accepted):
    from survey_app.accounts.operations import AccountError, create_user
    from survey_app.models import Role

    with app.app_context():
        if accepted:
            assert create_user("p@example.org", "x" * length, Role.viewer).id
        else:
            with pytest.raises(AccountError, match="at least 12 characters"):
                create_user("p@example.org", "x" * length, Role.viewer)
    runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "q@example.org",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        input="y" * 12 + "\n",
    )
    changed = runner.invoke(
        args=["users", "password", "--email", "q@example.org", "--password-stdin"],
        input="z" * length + "\n",
    )
    assert (changed.exit_code == 0) is accepted, changed.output
