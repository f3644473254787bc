"""One-time links that set a password: first admin, invitations, password reset.

A link carries ``secrets.token_urlsafe(32)`` (256 random bits); only its SHA-256
is stored, as for API tokens. A link works once and until it expires; using it
ends every other open link of the same account and purpose. Operations flush,
the caller commits.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, or_, select, update

from survey_app.accounts.operations import AccountError, create_user, set_password
from survey_app.accounts.tokens import token_digest
from survey_app.extensions import db
from survey_app.models import AccountLink, LinkPurpose, Role, User
from survey_app.models._time import utcnow

#: How long each kind of link works: a reset link briefly, an invitation for a week.
LIFETIMES = {
    LinkPurpose.setup: timedelta(hours=24),
    LinkPurpose.invitation: timedelta(days=7),
    LinkPurpose.reset: timedelta(hours=1),
}
#: Reset links an account may be sent per hour (more requests send nothing).
RESETS_PER_HOUR = 3


def issue_link(purpose: LinkPurpose, user: User | None = None) -> str:
    """Store a new link for ``purpose`` (and ``user``; none for setup); return its token.

    The account's open link of the same purpose stops working: only the newest works.
    """
    forget_used_links()
    if user is not None:  # a new link replaces the account's open one of this purpose
        db.session.execute(
            update(AccountLink)
            .where(
                AccountLink.user_id == user.id,
                AccountLink.purpose == purpose,
                AccountLink.used_at.is_(None),
            )
            .values(used_at=utcnow())
        )
    token = secrets.token_urlsafe(32)
    link = AccountLink(
        purpose=purpose,
        user_id=user.id if user is not None else None,
        token_hash=token_digest(token),
        expires_at=utcnow() + LIFETIMES[purpose],
    )
    db.session.add(link)
    db.session.flush()
    return token


def find_link(token: str, purpose: LinkPurpose, now: datetime | None = None) -> AccountLink | None:
    """Return the usable link of ``token`` for ``purpose``, else None.

    A setup link stops working once any admin exists; a link of a deactivated
    account does not work.
    """
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(
        select(AccountLink).filter_by(token_hash=token_digest(token), purpose=purpose)
    )
    if link is None or not link.usable_at(now or utcnow()):
        return None
    if purpose is LinkPurpose.setup and admin_exists():
        return None
    if purpose is not LinkPurpose.setup and (link.user is None or not link.user.active):
        return None
    return link


def use_link(link: AccountLink, user: User | None = None) -> None:
    """Mark ``link`` used, with every other open link of its account and purpose.

    ``user``: the account a setup link created (it had none before).
    """
    now = utcnow()
    link.used_at = now
    if user is not None:
        link.user_id = user.id
    if link.user_id is not None:
        db.session.execute(
            update(AccountLink)
            .where(
                AccountLink.user_id == link.user_id,
                AccountLink.purpose == link.purpose,
                AccountLink.used_at.is_(None),
            )
            .values(used_at=now)
        )
    db.session.flush()


def recent_resets(user: User, now: datetime | None = None) -> int:
    """Return how many reset links ``user`` was sent in the last hour."""
    since = (now or utcnow()) - timedelta(hours=1)
    count = db.session.scalar(
        select(func.count(AccountLink.id))
        .filter_by(user_id=user.id, purpose=LinkPurpose.reset)
        .where(AccountLink.created_at >= since)
    )
    return int(count or 0)


def admin_exists() -> bool:
    """Say whether any admin account exists (active or not)."""
    return bool(db.session.scalar(select(exists().where(User.role == Role.admin))))


def forget_used_links(now: datetime | None = None) -> int:
    """Delete links used or expired more than a day ago; return how many."""
    cutoff = (now or utcnow()) - timedelta(days=1)
    result = db.session.execute(
        delete(AccountLink).where(
            or_(AccountLink.expires_at < cutoff, AccountLink.used_at < cutoff)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def create_first_admin(link: AccountLink, email: str, name: str, password: str) -> User:
    """Create the first admin account with a setup link; raise ``AccountError`` if the
    e-mail or password is refused (the link then stays usable)."""
    user = create_user(email, password, Role.admin, name)
    use_link(link, user)
    return user


def set_password_by_link(link: AccountLink, password: str) -> User:
    """Set the password of the link's account (invitation or reset) and use the link.

    Like any new password it ends the account's sessions and API tokens. Raises
    ``AccountError`` for a refused password (the link then stays usable).
    """
    user = link.user
    if user is None:  # find_link returns no such link
        raise AccountError("this link belongs to no account")
    set_password(user, password)
    use_link(link)
    return user
