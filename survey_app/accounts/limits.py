"""Slowing down password guessing on ``/login`` without locking the real user out.

Two counters, rows of ``login_throttle`` in the database (so they hold across
gunicorn workers and several app servers):

- per account, an exponential back-off: ``LOGIN_FREE_FAILURES`` failures in a row
  are checked at once; then the next check waits, and each further failure doubles
  the wait
  (``LOGIN_BACKOFF_SECONDS``, 2x, 4x ... up to ``LOGIN_BACKOFF_MAX_SECONDS``). The
  real user's right password works as soon as the short wait has passed, whatever
  an attacker tried before; a success resets the count.
- per client network, a generous count of failures in a window
  (``LOGIN_FAILURES_PER_ADDRESS`` in ``LOGIN_FAILURE_WINDOW_MINUTES``): a venue NAT
  with a few typos is far below it; a script trying thousands is stopped.

Both are counted before the password is checked, each by one ``UPDATE ... WHERE``
that only succeeds while the count allows it: an account has at most one check in
progress (it holds ``next_at`` for ``CHECK_HOLD``), an address takes its slot
before its check, so parallel attempts never check more passwords than the limits
allow. The participant form is never limited here (hundreds of phones share one
venue NAT).

What is stored is a keyed hash (HMAC-SHA256 with the app's secret key, cut to 128
bits) of the account name and of the client's network (the IPv4 address or the IPv6
/64), a count and two times; rows untouched for a window are deleted. So a table dump
names no address and no e-mail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from survey_app.extensions import db
from survey_app.models import LoginThrottle
from survey_app.models._time import utcnow
from survey_app.throttle import keyed_hash, network_of

#: Defaults of the settings of the same names (``LOGIN_...``).
FREE_FAILURES = 5
BACKOFF_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
FAILURES_PER_ADDRESS = 300
WINDOW_MINUTES = 15
#: How long an account's check in progress keeps others waiting (longer than any
#: password check; a request that died is forgotten after it).
CHECK_HOLD = timedelta(seconds=30)
#: ``next_at`` of an account nobody is trying.
NEVER = datetime(2000, 1, 1)


@dataclass(frozen=True)
class AttemptKeys:
    """The hashed names under which one login attempt is counted."""

    account: str
    address: str


@dataclass(frozen=True)
class Turn:
    """The answer to "may this attempt check a password now?"."""

    allowed: bool
    #: Seconds to wait when not allowed (for ``Retry-After``).
    wait_seconds: int = 0
    #: Whether the client's network (not the account) has to wait.
    network: bool = False


def attempt_keys(email: str, address: str | None) -> AttemptKeys:
    """Return the keyed hashes of an account name and a client address."""
    secret = str(current_app.config["SECRET_KEY"])
    return AttemptKeys(
        account=keyed_hash(secret, "login-account", email.strip().lower()),
        address=keyed_hash(secret, "login-address", network_of(address)),
    )


def window() -> timedelta:
    """Return how long a failure counts for its address (and an account's row is kept)."""
    return timedelta(minutes=_setting("LOGIN_FAILURE_WINDOW_MINUTES", WINDOW_MINUTES))


def backoff(failures: int, free: int, base: float, most: float) -> float:
    """Return the seconds an account waits after ``failures`` failures in a row.

    Nothing before ``free`` failures; then ``base``, doubling with each failure, at
    most ``most``.
    """
    if failures < free:
        return 0.0
    return float(min(most, base * 2 ** min(failures - free, 60)))


def take_turn(keys: AttemptKeys, now: datetime | None = None) -> Turn:
    """Reserve a password check for the attempt, or say how long to wait.

    Flushes in the caller's transaction, which the caller commits before the check.
    """
    now = now or utcnow()
    since = now - window()
    limit = int(_setting("LOGIN_FAILURES_PER_ADDRESS", FAILURES_PER_ADDRESS))
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.since < since - window()))
    _ensure_rows(keys, now)
    restart = LoginThrottle.since < since
    address_slot = db.session.execute(
        update(LoginThrottle)
        .where(
            LoginThrottle.scope == "address",
            LoginThrottle.key == keys.address,
            restart | (LoginThrottle.failures < limit),
        )
        .values(
            failures=case((restart, 1), else_=LoginThrottle.failures + 1),
            since=case((restart, now), else_=LoginThrottle.since),
        )
        .execution_options(synchronize_session=False)
    )
    if address_slot.rowcount != 1:  # type: ignore[attr-defined]
        began = db.session.scalar(_column(LoginThrottle.since, "address", keys.address))
        return Turn(False, _seconds_until((began or now) + window(), now), network=True)
    account_turn = db.session.execute(
        update(LoginThrottle)
        .where(
            LoginThrottle.scope == "account",
            LoginThrottle.key == keys.account,
            LoginThrottle.next_at <= now,
        )
        .values(
            next_at=now + CHECK_HOLD,
            failures=case((restart, 0), else_=LoginThrottle.failures),
            since=case((restart, now), else_=LoginThrottle.since),
        )
        .execution_options(synchronize_session=False)
    )
    if account_turn.rowcount != 1:  # type: ignore[attr-defined]
        _give_back_address_slot(keys)
        next_at = db.session.scalar(_column(LoginThrottle.next_at, "account", keys.account))
        return Turn(False, _seconds_until(next_at or now, now))
    return Turn(True)


def record_failure(keys: AttemptKeys, now: datetime | None = None) -> None:
    """Count a failed check for the account (its next wait); the address keeps its slot."""
    now = now or utcnow()
    failures = (
        db.session.scalar(
            update(LoginThrottle)
            .where(LoginThrottle.scope == "account", LoginThrottle.key == keys.account)
            .values(failures=LoginThrottle.failures + 1)
            .returning(LoginThrottle.failures)
        )
        or 0
    )
    wait = backoff(
        failures,
        int(_setting("LOGIN_FREE_FAILURES", FREE_FAILURES)),
        float(_setting("LOGIN_BACKOFF_SECONDS", BACKOFF_SECONDS)),
        float(_setting("LOGIN_BACKOFF_MAX_SECONDS", BACKOFF_MAX_SECONDS)),
    )
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.scope == "account", LoginThrottle.key == keys.account)
        .values(next_at=now + timedelta(seconds=wait), since=now)
        .execution_options(synchronize_session=False)
    )


def record_success(keys: AttemptKeys) -> None:
    """Forget the account's failures and give the address its slot back."""
    db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.scope == "account", LoginThrottle.key == keys.account
        )
    )
    _give_back_address_slot(keys)


def _ensure_rows(keys: AttemptKeys, now: datetime) -> None:
    """Insert the account's and the address's rows unless they exist (never check-then-insert)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    rows: list[dict[str, Any]] = [
        {"scope": "account", "key": keys.account, "failures": 0, "since": now, "next_at": NEVER},
        {"scope": "address", "key": keys.address, "failures": 0, "since": now, "next_at": now},
    ]
    statement = dialect.insert(LoginThrottle).values(rows)
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["scope", "key"]))


def _give_back_address_slot(keys: AttemptKeys) -> None:
    db.session.execute(
        update(LoginThrottle)
        .where(
            LoginThrottle.scope == "address",
            LoginThrottle.key == keys.address,
            LoginThrottle.failures > 0,
        )
        .values(failures=LoginThrottle.failures - 1)
        .execution_options(synchronize_session=False)
    )


def _column(column: Any, scope: str, key: str) -> Select[Any]:
    return select(column).where(LoginThrottle.scope == scope, LoginThrottle.key == key)


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def _setting(name: str, default: float) -> float:
    return current_app.config.get(name, default)
