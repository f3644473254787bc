"""A limit on failed staff logins, per account and per client network.

The counters are rows in the database (``login_attempt``), so the limit holds
across gunicorn workers and several app servers. Only failures are counted, and
only for ``/login``: the participant form is never limited, whatever the address
(hundreds of phones share one venue NAT).

What is stored is a keyed hash (HMAC-SHA256 with the app's secret key, cut to
128 bits) of the account name and of the client's network (the IPv4 address or
the IPv6 /64), and the time; rows are deleted once they leave the window. So a
table dump names no address and no e-mail, and after 15 minutes nothing is left.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from survey_app.extensions import db
from survey_app.models import LoginAttempt
from survey_app.models._time import utcnow

#: Defaults of the settings LOGIN_FAILURES_PER_ACCOUNT / _PER_ADDRESS / _WINDOW_MINUTES.
FAILURES_PER_ACCOUNT = 10
FAILURES_PER_ADDRESS = 50
WINDOW_MINUTES = 15


@dataclass(frozen=True)
class AttemptKeys:
    """The hashed names under which one login attempt is counted."""

    account: str
    address: str


def network_of(address: str | None) -> str:
    """Return what identifies a client: its IPv4 address or its IPv6 /64 network."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def attempt_keys(email: str, address: str | None) -> AttemptKeys:
    """Return the keyed hashes of an account name and a client address."""
    secret = str(current_app.config["SECRET_KEY"]).encode()

    def keyed(scope: str, value: str) -> str:
        digest = hmac.new(secret, f"login-{scope}:{value}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    return AttemptKeys(
        account=keyed("account", email.strip().lower()),
        address=keyed("address", network_of(address)),
    )


def window() -> timedelta:
    """Return how long a failure counts."""
    return timedelta(minutes=current_app.config.get("LOGIN_FAILURE_WINDOW_MINUTES", WINDOW_MINUTES))


def login_blocked(keys: AttemptKeys, now: datetime | None = None) -> bool:
    """Say whether the account or the address has used up its failures in the window."""
    since = (now or utcnow()) - window()
    config = current_app.config
    limits = (
        ("account", keys.account, config.get("LOGIN_FAILURES_PER_ACCOUNT", FAILURES_PER_ACCOUNT)),
        ("address", keys.address, config.get("LOGIN_FAILURES_PER_ADDRESS", FAILURES_PER_ADDRESS)),
    )
    for scope, key, limit in limits:
        count = db.session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.scope == scope, LoginAttempt.key == key, LoginAttempt.at > since)
        )
        if (count or 0) >= limit:
            return True
    return False


def record_failure(keys: AttemptKeys, now: datetime | None = None) -> None:
    """Count a failed login for the account and the address; forget expired ones."""
    now = now or utcnow()
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at <= now - window()))
    db.session.add_all(
        [
            LoginAttempt(scope="account", key=keys.account, at=now),
            LoginAttempt(scope="address", key=keys.address, at=now),
        ]
    )
    db.session.flush()


def forget_account_failures(keys: AttemptKeys) -> None:
    """Reset the account's count after a successful login (the address keeps its count)."""
    db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.scope == "account", LoginAttempt.key == keys.account
        )
    )
