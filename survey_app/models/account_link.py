"""One-time links that let a person set a password: first admin, invitation, reset."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db
from survey_app.models._time import utcnow
from survey_app.models.user import User


class LinkPurpose(enum.Enum):
    """What a one-time link lets its holder do."""

    setup = "setup"  #: create the first admin account (printed by ``survey-app init``)
    invitation = "invitation"  #: set the password of an account an admin made
    reset = "reset"  #: set a new password for a forgotten one


class AccountLink(db.Model):
    """A one-time link; only the SHA-256 of its token is stored.

    A link works until ``expires_at``, once: ``used_at`` is set when it is used, and
    every other open link of the same account and purpose ends with it.
    """

    __tablename__ = "account_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[LinkPurpose] = mapped_column(
        Enum(LinkPurpose, name="link_purpose", native_enum=False, length=16)
    )
    #: The account whose password the link sets (none for the first admin's setup).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: SHA-256 of the token (256 random bits: no slow hash needed).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()

    def usable_at(self, now: datetime) -> bool:
        """Say whether the link still works at ``now`` (naive UTC)."""
        return self.used_at is None and now < self.expires_at
