"""Counters that slow down password guessing on ``/login`` (never participants)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, PrimaryKeyConstraint, String, text
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow


class LoginThrottle(db.Model):
    """The failed logins of one account or one client network, one row each.

    Neither the e-mail address nor the client address is stored: ``key`` is a keyed
    hash (HMAC with the app's secret key) of the account name or of the client's
    network (an IPv4 address, an IPv6 /64), cut to 128 bits. Rows are changed with
    single ``UPDATE ... WHERE`` statements, so that parallel attempts cannot pass
    the count; rows untouched for longer than the window are deleted.
    """

    __tablename__ = "login_throttle"
    __table_args__ = (PrimaryKeyConstraint("scope", "key"),)

    #: What is counted: "account" or "address".
    scope: Mapped[str] = mapped_column(String(8))
    #: Keyed hash of the account name or client network (hex).
    key: Mapped[str] = mapped_column(String(32))
    #: Failures: in a row for an account (reset by a success), in the window for an address.
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    #: Account: when the failures began to count; address: when its window began (UTC).
    since: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: Account: the earliest time its next password check may begin (back-off, or a
    #: check in progress); address: unused (equal to ``since``).
    next_at: Mapped[datetime] = mapped_column(default=utcnow)
