"""Account operations: they flush, the caller commits."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import select, update

from survey_app.accounts.tokens import revoke_all_tokens
from survey_app.extensions import db
from survey_app.ids import parse_id
from survey_app.models import AccessLevel, AccountLink, Role, SeriesMember, User
from survey_app.models._time import utcnow
from survey_app.models.user import new_session_nonce

#: Shortest password accepted (NIST SP 800-63B asks for at least 8; we ask 12).
MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()
#: A hash to verify against when the account does not exist (same time either way).
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


def normalize_email(email: str) -> str:
    """Return the e-mail address trimmed and lower-cased."""
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    """Raise ``AccountError`` if ``password`` is too short (spaces around it do not count)."""
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
        )


#: The stored "hash" of an account whose holder has not set a password yet: no
#: password matches it (argon2 refuses it as a hash).
NO_PASSWORD = "!invited"


def create_user(email: str, password: str | None, role: Role, name: str = "") -> User:
    """Create an account; raise ``AccountError`` for a taken e-mail or weak password.

    ``password`` None: an invited account, which nobody can log in to until its
    holder sets a password through an invitation link (``accounts.links``).
    """
    email = normalize_email(email)
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise AccountError(_("“%(email)s” is not an e-mail address.", email=email))
    if password is not None:
        check_password_rules(password)
    if db.session.scalar(select(User.id).filter_by(email=email)) is not None:
        raise AccountError(_("An account for %(email)s exists already.", email=email))
    stored = _hasher.hash(password) if password is not None else NO_PASSWORD
    user = User(email=email, name=name, role=role, password_hash=stored)
    db.session.add(user)
    db.session.flush()
    return user


def has_password(user: User) -> bool:
    """Say whether the account's holder has set a password (an invited one has not)."""
    return user.password_hash != NO_PASSWORD


def check_password(user: User, password: str) -> bool:
    """Say whether ``password`` is the account's (for re-asking it before a change)."""
    try:
        return bool(_hasher.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def set_password(user: User, password: str) -> None:
    """Change the password; end every session, revoke every API token and use up every
    open invitation or reset link of the account."""
    check_password_rules(password)
    user.password_hash = _hasher.hash(password)
    user.session_nonce = new_session_nonce()
    revoke_all_tokens(user, "password changed")
    # An open invitation or reset link would set another password behind this one.
    end_open_links(user)


def end_open_links(user: User) -> None:
    """Use up every open invitation or reset link of the account."""
    db.session.execute(
        update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None))
        .values(used_at=utcnow())
    )


def authenticate(email: str, password: str) -> User | None:
    """Return the active account with these credentials, else None (constant-ish time)."""
    user = db.session.scalar(select(User).filter_by(email=normalize_email(email)))
    stored = user.password_hash if user else _DUMMY_HASH
    user_id = user.id if user else None
    # The hash check takes 0.1-0.4 s. On SQLite a POST's transaction holds the write
    # lock from its first query (BEGIN IMMEDIATE), and participants' submissions
    # would wait behind every login attempt: end the read before checking.
    db.session.commit()
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie of the account (what logging out does).

    API tokens stay: a program's token outlives its owner's browser sessions.
    """
    user.session_nonce = new_session_nonce()


def log_out_everywhere(user: User) -> int:
    """End every session and revoke every API token of the account; return the tokens revoked."""
    end_sessions(user)
    return revoke_all_tokens(user, "logged out everywhere")


def set_active(user: User, active: bool) -> None:
    """Deactivate or reactivate an account.

    Deactivating ends its sessions, revokes its API tokens and uses up its open
    invitation and reset links for good: reactivating brings none of them back.
    """
    if not active:
        end_sessions(user)
        revoke_all_tokens(user, "account deactivated")
        end_open_links(user)
    user.active = active


def load_session_user(session_id: str) -> User | None:
    """Return the account of a session identifier ``<id>:<nonce>`` if still valid."""
    user_id, _, nonce = session_id.partition(":")
    number = parse_id(user_id)
    if number is None or not nonce.isascii():
        return None
    user = db.session.get(User, number)
    if user is None or not user.active or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user


def grant_series_access(user: User, series_id: int, level: AccessLevel) -> SeriesMember:
    """Give ``user`` access to a series (or change the level)."""
    member = db.session.scalar(select(SeriesMember).filter_by(user_id=user.id, series_id=series_id))
    if member is None:
        member = SeriesMember(user_id=user.id, series_id=series_id, level=level)
        db.session.add(member)
    member.level = level
    db.session.flush()
    return member
