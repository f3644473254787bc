"""Operations on series and workshops: they flush and write the audit log, the caller commits.

State changes go through ``Workshop.move_to``, which refuses a transition the model
does not allow (``InvalidTransition``).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from survey_app.accounts.operations import grant_series_access
from survey_app.audit import record
from survey_app.extensions import db
from survey_app.models import (
    DEFAULT_TIME_ZONE,
    AccessLevel,
    Answer,
    InstrumentVersion,
    Response,
    Role,
    Series,
    User,
    Workshop,
    WorkshopState,
)
from survey_app.models.briefing import forget_briefings
from survey_app.models.summary_cache import forget_parts
from survey_app.workshops.pacing import set_paced
from survey_app.workshops.queries import response_counts
from survey_app.workshops.thresholds import (
    check_room_group_size,
    check_series_group_size,
    group_size_floor,
)

#: Join-code characters: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, so codes survive being read aloud.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    """Return a random join code (uniqueness is left to the database)."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(code: str) -> str:
    """Upper-case a typed code and drop spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


#: A series' short name, as the series form accepts it.
SERIES_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def series_slug(name: str) -> str:
    """Return the short name for a series called ``name`` ("Kick-off Köln 2026" ->
    ``kick-off-koeln-2026``); a name that is one already is kept. Letters outside Latin
    script give ``series``."""
    if SERIES_SLUG.match(name) and len(name) <= 64:
        return name
    folded = name.lower()
    for letter, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        folded = folded.replace(letter, spelled)
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:64].strip("-")
    return slug or "series"


def get_or_create_series(slug: str, title: str | None = None) -> Series:
    """Return the series ``slug``, creating it if needed (with the server's floor as k)."""
    series = db.session.scalar(select(Series).filter_by(slug=slug))
    if series is None:
        series = Series(
            slug=slug, title=title or slug, min_group_size=group_size_floor(current_app.config)
        )
        db.session.add(series)
        db.session.flush()
    return series


def create_workshop(
    instrument_version: InstrumentVersion,
    title: str,
    series: Series | None = None,
    municipality: str = "",
    on: date | None = None,
    *,
    results_for_participants: bool = False,
    room_min_group_size: int | None = None,
    paced: bool = False,
    expected_participants: int | None = None,
) -> Workshop:
    """Create a draft workshop with a fresh, unique join code.

    ``room_min_group_size`` is the k of the room's own screens (None: the published
    k); ``ThresholdError`` unless it is from 2 to the published k.
    ``expected_participants``: how many people the room holds (bursts beyond it are flagged).
    """
    check_room_group_size(group_size_floor(current_app.config), series, room_min_group_size)
    for _ in range(20):
        workshop = Workshop(
            instrument_version_id=instrument_version.id,
            title=title,
            series_id=series.id if series else None,
            municipality=municipality,
            date=on,
            join_code=new_join_code(),
            state=WorkshopState.draft,
            results_for_participants=results_for_participants,
            room_min_group_size=room_min_group_size,
            paced=paced,
            expected_participants=expected_participants,
        )
        savepoint = db.session.begin_nested()
        db.session.add(workshop)
        try:
            savepoint.commit()
        except IntegrityError:  # the code is taken: draw another
            savepoint.rollback()
            continue
        return workshop
    raise RuntimeError("could not find a free join code")


def open_workshop(workshop: Workshop) -> None:
    """Let participants answer (a draft or a closed workshop)."""
    workshop.move_to(WorkshopState.open)


def close_workshop(workshop: Workshop) -> None:
    """Stop taking responses; results stay (an open workshop)."""
    workshop.move_to(WorkshopState.closed)


def workshop_by_code(code: str) -> Workshop | None:
    """Return the workshop with join code ``code`` (any case, spaces ignored)."""
    return db.session.scalar(select(Workshop).filter_by(join_code=normalize_join_code(code)))


def create_series(
    slug: str,
    title: str,
    description: str,
    creator: User | None,
    min_group_size: int | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> Series:
    """Create a series; its creator may manage it. k defaults to the server's floor.

    Raises ``ThresholdError`` for a k below the floor.
    """
    floor = group_size_floor(current_app.config)
    k = floor if min_group_size is None else min_group_size
    check_series_group_size(floor, k)
    series = Series(
        slug=slug, title=title, description=description, min_group_size=k, time_zone=time_zone
    )
    db.session.add(series)
    db.session.flush()
    if creator is not None and creator.role is not Role.admin:
        grant_series_access(creator, series.id, AccessLevel.manage)
    return series


def update_workshop(
    workshop: Workshop,
    title: str,
    municipality: str,
    on: date | None,
    show_results: bool,
    room_min_group_size: int | None,
    paced: bool | None = None,
    expected_participants: int | None = None,
) -> None:
    """Change a workshop's description, whether participants see results, its room k,
    whether the facilitator paces it (None: unchanged) and the people it expects.

    Raises ``ThresholdError`` for a room k that is not from 2 to the published k.
    """
    set_room_group_size(workshop, room_min_group_size)
    if paced is not None:
        set_paced(workshop, paced)
    workshop.title = title
    workshop.municipality = municipality
    workshop.date = on
    workshop.results_for_participants = show_results
    workshop.expected_participants = expected_participants


def update_series(
    series: Series,
    title: str,
    description: str,
    min_group_size: int | None,
    time_zone: str | None = None,
) -> None:
    """Change a series' title, description, k and time zone (``ThresholdError``: k below
    the floor; ``time_zone`` None keeps it)."""
    set_series_group_size(series, min_group_size)
    series.title = title
    series.description = description
    if time_zone is not None:
        series.time_zone = time_zone


def set_series_group_size(series: Series, min_group_size: int | None) -> None:
    """Set the k of everything published from ``series`` (None: the server's floor).

    Raises ``ThresholdError`` for a k below the floor; a change is noted in the audit log.
    """
    floor = group_size_floor(current_app.config)
    k = floor if min_group_size is None else min_group_size
    check_series_group_size(floor, k)
    if k != series.min_group_size:
        record("set_group_size", f"series {series.id}", old=series.min_group_size, new=k)
        series.min_group_size = k


def set_room_group_size(workshop: Workshop, k: int | None) -> None:
    """Set the k of the room's own screens of ``workshop`` (None: the published k).

    Raises ``ThresholdError`` unless ``k`` is from 2 to the published k; a change
    is noted in the audit log.
    """
    check_room_group_size(group_size_floor(current_app.config), workshop.series, k)
    if k != workshop.room_min_group_size:
        record(
            "set_room_group_size",
            f"workshop {workshop.id}",
            old=workshop.room_min_group_size,
            new=k,
        )
        workshop.room_min_group_size = k


def delete_workshop(workshop: Workshop) -> None:
    """Delete a workshop with its responses, answers and briefings, noting it in the audit log."""
    responses = response_counts([workshop.id]).get(workshop.id, 0)
    record("delete_workshop", f"workshop {workshop.id}", title=workshop.title, responses=responses)
    db.session.execute(delete(Answer).where(Answer.workshop_id == workshop.id))
    db.session.execute(delete(Response).where(Response.workshop_id == workshop.id))
    forget_parts(db.session, workshop.id)  # SQLite may reuse the deleted ids
    forget_briefings(db.session, workshop.id, workshop.series_id)
    db.session.delete(workshop)
    db.session.flush()


def slug_taken(slug: str) -> bool:
    """Say whether a series already uses ``slug``."""
    return db.session.scalar(select(Series.id).filter_by(slug=slug)) is not None
