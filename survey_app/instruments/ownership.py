"""Who may publish new versions of a questionnaire key through the browser.

A key is global: every workshop of every series may use any stored version. Publishing
a new version is not: it belongs to the key's owner (``InstrumentOwner``).

- The first store of a key through the browser claims it for the series the uploader
  chose (the series' team: every facilitator who manages it), or for the uploader's
  own account when it chose none (e.g. it manages no series yet).
- Keys without an owner (loaded with ``survey-app instruments load``, which is the
  server operator's and stays unrestricted, or stored before owners were recorded)
  may be published by the managers of every series whose workshops use one of their
  versions, so that existing deployments go on as before, until an admin gives the
  key to a series.
- Admins may always publish, and give a key to another series (or to nobody).

The operations flush; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from survey_app.extensions import db
from survey_app.models import (
    AccessLevel,
    InstrumentOwner,
    InstrumentVersion,
    Role,
    Series,
    SeriesMember,
    User,
    Workshop,
)
from survey_app.models._time import utcnow


def owner_of(key: str) -> InstrumentOwner | None:
    """Return the recorded owner of ``key`` (None: it has none)."""
    return db.session.get(InstrumentOwner, key)


def managed_series_ids(user: User) -> list[int]:
    """Return the ids of the series ``user`` manages (a viewer account manages none)."""
    if user.role is Role.viewer:
        return []
    return list(
        db.session.scalars(
            select(SeriesMember.series_id).filter_by(user_id=user.id, level=AccessLevel.manage)
        )
    )


def is_stored(key: str) -> bool:
    """Say whether any version of ``key`` is stored."""
    return bool(db.session.scalar(select(exists().where(InstrumentVersion.key == key))))


def may_publish(user: User, key: str) -> bool:
    """Say whether ``user`` may store versions of ``key`` through the browser."""
    if user.role is Role.admin:
        return True
    if user.role is not Role.facilitator:
        return False
    owner = owner_of(key)
    if owner is not None and owner.series_id is not None:
        return owner.series_id in managed_series_ids(user)
    if owner is not None and owner.user_id is not None:
        return owner.user_id == user.id
    if not is_stored(key):
        return True  # a new key: the upload claims it
    return _uses_key(managed_series_ids(user), key)


def _uses_key(series_ids: list[int], key: str) -> bool:
    """Say whether a workshop of one of these series uses a version of ``key``."""
    if not series_ids:
        return False
    used = (
        select(Workshop.id)
        .join(InstrumentVersion, InstrumentVersion.id == Workshop.instrument_version_id)
        .where(InstrumentVersion.key == key, Workshop.series_id.in_(series_ids))
        .limit(1)
    )
    return db.session.scalar(used) is not None


def claim_or_check(user: User, key: str, series: Series | None) -> bool:
    """Let ``user`` publish ``key``: claim a new key for ``series`` (None: the account).

    Returns whether ``user`` may store the version. Two first uploads of one key at
    once: the primary key of ``instrument_owner`` lets one claim it, and the other is
    then checked against that owner (never check-then-insert).
    """
    if owner_of(key) is None and not is_stored(key):
        claim = InstrumentOwner(
            key=key,
            series_id=series.id if series else None,
            user_id=None if series else user.id,
        )
        savepoint = db.session.begin_nested()
        db.session.add(claim)
        try:
            savepoint.commit()
        except IntegrityError:  # claimed by another upload meanwhile: its owner decides
            savepoint.rollback()
        else:
            return True
    return may_publish(user, key)


def transfer_key(key: str, series: Series | None) -> InstrumentOwner | None:
    """Give ``key`` to ``series`` (None: to nobody); return the owner, None if not stored."""
    if not is_stored(key):
        return None
    owner = owner_of(key)
    if owner is None:
        owner = InstrumentOwner(key=key)
        db.session.add(owner)
    owner.series_id = series.id if series else None
    owner.user_id = None
    owner.assigned_at = utcnow()
    db.session.flush()
    return owner
