"""Which account a single sign-on opens: never a new one, never a disabled one.

The provider's verified e-mail address names the account; the provider's subject
(``sub``) is stored at the account's first sign-on, and from then on only that
subject opens it. A person whose e-mail changes at the provider to someone else's
address gets neither account: the subject belongs to the first, the second has
another subject (or signs on for the first time with a subject already taken).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey_app.accounts.operations import normalize_email
from survey_app.accounts.sso import SsoError, SsoProblem
from survey_app.extensions import db
from survey_app.models import SsoIdentity, User
from survey_app.models._time import utcnow


def verified_email(claims: Mapping[str, Any]) -> str:
    """Return the normalized e-mail address of ``claims``; raise ``SsoError`` unless the
    provider says it verified it (``email_verified`` exactly true)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or claims.get("email_verified") is not True:
        raise SsoError(SsoProblem.unverified_email)
    return normalize_email(email)


def account_for_sign_on(issuer: str, claims: Mapping[str, Any]) -> User:
    """Return the active account these checked ID-token claims sign on to.

    Links the provider's subject to the account at its first sign-on (flushes; the
    caller commits). Raise ``SsoError`` for an unverified or unknown e-mail address,
    a disabled account, or a subject that does not belong to the account.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise SsoError(SsoProblem.invalid_token, "no subject")
    email = verified_email(claims)
    user = db.session.scalar(select(User).filter_by(email=email))
    if user is None:
        raise SsoError(SsoProblem.unknown_email)
    if not user.active:
        raise SsoError(SsoProblem.disabled)
    linked = db.session.scalar(select(SsoIdentity).filter_by(user_id=user.id, issuer=issuer))
    if linked is not None:
        if linked.subject != subject:
            raise SsoError(SsoProblem.subject_mismatch)
    else:
        owner = db.session.scalar(
            select(SsoIdentity.user_id).filter_by(issuer=issuer, subject=subject)
        )
        if owner is not None:
            raise SsoError(SsoProblem.subject_taken)
        try:
            with db.session.begin_nested():  # two first sign-ons at once: one links
                db.session.add(SsoIdentity(user_id=user.id, issuer=issuer, subject=subject))
        except IntegrityError as error:
            raise SsoError(SsoProblem.subject_taken) from error
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def forget_sso_identities(user: User) -> int:
    """Unlink every single sign-on subject of ``user`` (the next sign-on links anew);
    return how many were linked."""
    identities = db.session.scalars(select(SsoIdentity).filter_by(user_id=user.id)).all()
    for identity in identities:
        db.session.delete(identity)
    db.session.flush()
    return len(identities)
