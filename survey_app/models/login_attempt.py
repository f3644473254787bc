"""Failed staff logins, counted to slow down password guessing (never participants)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow


class LoginAttempt(db.Model):
    """One failed login, kept only as long as the limit's window (15 minutes).

    Neither the e-mail address nor the client address is stored: ``key`` is a
    keyed hash (HMAC with the app's secret key) of the account name or of the
    client's network (an IPv4 address, an IPv6 /64), cut to 128 bits. Rows older
    than the window are deleted whenever a failure is recorded.
    """

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_scope_key_at", "scope", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What is counted: "account" or "address".
    scope: Mapped[str] = mapped_column(String(8))
    #: Keyed hash of the account name or client network (hex).
    key: Mapped[str] = mapped_column(String(32))
    #: When the attempt failed (UTC).
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
