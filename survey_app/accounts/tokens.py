"""API tokens: made, checked, listed and revoked (they flush, the caller commits).

A token is ``sv_`` and 43 characters of ``secrets.token_urlsafe(32)``: 256 random
bits, so a SHA-256 of it is all that is stored (a slow hash guards guessable
passwords, not random keys). It is shown once, when it is made. A token opens the
JSON API only (``/api/v1``, see ``session``), reads only (scope ``read``: the API has
no endpoint that writes), and ends when it expires, when it is revoked, and with the
account's credentials: a deactivated account, a new password and "log out
everywhere" revoke every token of the account for good.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError

from survey_app.audit import record
from survey_app.database import READ_METHODS, short_write_transaction
from survey_app.extensions import db
from survey_app.models import ApiToken, TokenScope, TokenState, User
from survey_app.models._text import plain_label
from survey_app.models._time import utcnow

#: What every token starts with, so that secret scanners and people recognize one.
PREFIX = "sv_"
#: Days a new token works unless its maker says otherwise.
DEFAULT_DAYS = 90
#: The longest life a token may be given, in days.
MAX_DAYS = 365
#: The longest token name.
MAX_NAME = 200
#: How long recording the day of use waits for the write lock (it is given up after).
LAST_USED_LOCK_WAIT_MS = 200


class TokenError(ValueError):
    """A token that cannot be made as asked; the message says why."""


class TokenProblem(enum.Enum):
    """Why a bearer token was refused."""

    unknown = "unknown"  #: no such token (or a deactivated account)
    expired = "expired"
    revoked = "revoked"
    scope = "scope"  #: the token may not do what the request asks


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of checking a bearer token: its account, or why it was refused."""

    user: User | None
    token: ApiToken | None
    problem: TokenProblem | None


def token_digest(token: str) -> str:
    """Return the stored form of a token (hex SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(
    user: User,
    name: str = "token",
    expires_days: int = DEFAULT_DAYS,
    scope: TokenScope = TokenScope.read,
) -> str:
    """Create an API token for ``user`` and return it; only its hash is stored.

    Raises ``TokenError`` for a name longer than ``MAX_NAME`` or a life outside
    1..``MAX_DAYS`` days.
    """
    name = plain_label(name) or "token"
    if len(name) > MAX_NAME:
        raise TokenError(f"the name may have at most {MAX_NAME} characters")
    if not 1 <= expires_days <= MAX_DAYS:
        raise TokenError(f"a token expires after 1 to {MAX_DAYS} days")
    token = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    api_token = ApiToken(
        user_id=user.id,
        token_hash=token_digest(token),
        name=name,
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=expires_days),
    )
    db.session.add(api_token)
    db.session.flush()
    record("api_token_created", user.email, token=api_token.id, name=name, days=expires_days)
    return token


def check_api_token(token: str, method: str = "GET", now: datetime | None = None) -> TokenCheck:
    """Return the account a bearer token opens for a request of ``method``, or the problem."""
    found = db.session.scalar(select(ApiToken).filter_by(token_hash=token_digest(token)))
    if found is None or not found.user.active:
        return TokenCheck(None, None, TokenProblem.unknown)
    state = found.state_at(now or utcnow())
    if state is TokenState.revoked:
        return TokenCheck(None, found, TokenProblem.revoked)
    if state is TokenState.expired:
        return TokenCheck(None, found, TokenProblem.expired)
    if found.scope is TokenScope.read and method.upper() not in READ_METHODS:
        return TokenCheck(None, found, TokenProblem.scope)
    return TokenCheck(found.user, found, None)


def note_use(api_token: ApiToken, today: date | None = None) -> None:
    """Record the day a token is used: one short write per token and day, at most.

    Written on a connection of its own, so that a read request stays a read; when
    the write lock is busy the day is left for the next request (it is a hint).
    """
    today = today or utcnow().date()
    if api_token.last_used_on == today:
        return
    statement = (
        update(ApiToken)
        .where(ApiToken.id == api_token.id)
        .where(or_(ApiToken.last_used_on.is_(None), ApiToken.last_used_on < today))
        .values(last_used_on=today)
    )
    try:
        with short_write_transaction(db.session(), LAST_USED_LOCK_WAIT_MS) as connection:
            connection.execute(statement)
    except OperationalError:
        return


def tokens_of(user: User) -> list[ApiToken]:
    """Return every token of ``user``, newest first (revoked and expired ones too)."""
    query = select(ApiToken).filter_by(user_id=user.id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(query))


def find_token(token_id: int) -> ApiToken | None:
    """Return the token with this id, or None."""
    return db.session.get(ApiToken, token_id)


def revoke_token(api_token: ApiToken) -> bool:
    """Revoke one token for good; say whether it was still unrevoked."""
    if api_token.revoked_at is not None:
        return False
    api_token.revoked_at = utcnow()
    record("api_token_revoked", api_token.user.email, token=api_token.id, name=api_token.name)
    db.session.flush()
    return True


def revoke_all_tokens(user: User, reason: str) -> int:
    """Revoke every unrevoked token of ``user`` (``reason`` goes to the audit log)."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        record("api_tokens_revoked", user.email, count=count, reason=reason)
    return count
