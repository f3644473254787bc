"""Accounts of facilitators, viewers and admins; their series access and API tokens."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db
from survey_app.models._text import label_columns
from survey_app.models._time import utcnow


class Role(enum.Enum):
    """What an account may do in general; series access narrows it down."""

    admin = "admin"  #: everything, including users
    facilitator = "facilitator"  #: creates series, runs the workshops of its series
    viewer = "viewer"  #: reads results and briefings of its series


class AccessLevel(enum.Enum):
    """What an account may do in one series."""

    manage = "manage"  #: create, open, close, delete workshops; moderate
    read = "read"  #: results, dashboards, briefings


def new_session_nonce() -> str:
    """Return a fresh nonce; changing it ends every session of the account."""
    return secrets.token_urlsafe(16)


class User(db.Model):
    """A person who logs in (participants never do)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-case; the login name.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    _clean = label_columns("name")
    #: argon2id hash; never the password.
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Enum(Role, name="user_role", native_enum=False, length=12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Part of the session identifier: rotated on logout and password change.
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list[SeriesMember]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        """Say that a loaded account is logged in."""
        return True

    @property
    def is_active(self) -> bool:
        """Say whether the account may log in."""
        return self.active

    @property
    def is_anonymous(self) -> bool:
        """Say that this is not the anonymous user."""
        return False

    def get_id(self) -> str:
        """Return the session identifier: id and nonce."""
        return f"{self.id}:{self.session_nonce}"


class SeriesMember(db.Model):
    """Access of one account to one series."""

    __tablename__ = "series_member"
    __table_args__ = (UniqueConstraint("user_id", "series_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"))
    level: Mapped[AccessLevel] = mapped_column(
        Enum(AccessLevel, name="access_level", native_enum=False, length=10)
    )

    user: Mapped[User] = relationship(back_populates="memberships")


class TokenScope(enum.Enum):
    """What an API token may do. The API only reads; a scope that writes comes with
    the first endpoint that writes."""

    read = "read"  #: GET requests of ``/api/v1``


class TokenState(enum.Enum):
    """Whether an API token still opens the API."""

    active = "active"  #: within its expiry and not revoked
    expired = "expired"  #: past ``expires_at``
    revoked = "revoked"  #: revoked by its owner, an admin, or with the account's credentials


class ApiToken(db.Model):
    """A bearer token for the JSON API (``/api/v1`` only); only its SHA-256 is stored.

    The plain token is shown once, when it is made. No client address is ever stored.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: SHA-256 of the token: the token is 256 random bits, so no slow hash is needed.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: What the owner calls it ("R script of the ministry"), shown in the lists.
    name: Mapped[str] = mapped_column(String(200), default="token")
    _clean = label_columns("name")
    #: What the token may do (the API only reads: ``read`` is the only scope so far).
    scope: Mapped[TokenScope] = mapped_column(
        Enum(TokenScope, name="token_scope", native_enum=False, length=16),
        default=TokenScope.read,
        server_default=TokenScope.read.value,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Refused from this moment on (UTC).
    expires_at: Mapped[datetime]
    #: The day it was last used (UTC): a day is enough to spot a forgotten token.
    last_used_on: Mapped[date | None]
    #: Set once; a revoked token never works again (reactivating its account brings
    #: nothing back).
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def state_at(self, now: datetime) -> TokenState:
        """Return the token's state at ``now`` (naive UTC)."""
        if self.revoked_at is not None:
            return TokenState.revoked
        if self.expires_at <= now:
            return TokenState.expired
        return TokenState.active

    @property
    def state(self) -> TokenState:
        """Return the token's state now."""
        return self.state_at(utcnow())


class SsoIdentity(db.Model):
    """The single sign-on subject an account signed in with, per provider.

    Stored at the account's first sign-on; later sign-ons with that provider must come
    with the same subject, so that an e-mail address changed at the provider does not
    open another person's account.
    """

    __tablename__ = "sso_identity"
    __table_args__ = (
        UniqueConstraint("issuer", "subject"),
        UniqueConstraint("user_id", "issuer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: The provider's issuer URL, as its ID tokens say (``iss``).
    issuer: Mapped[str] = mapped_column(String(500))
    #: The provider's never-reassigned identifier of the person (``sub``).
    subject: Mapped[str] = mapped_column(String(255))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
