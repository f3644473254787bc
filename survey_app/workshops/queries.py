"""Read-only queries for the facilitator pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from survey_app.extensions import db
from survey_app.instruments.diff import InstrumentDiff, differences_between
from survey_app.instruments.store import instrument_of
from survey_app.models import InstrumentVersion, Response, Series, Workshop, counted_responses


def response_counts(workshop_ids: list[int]) -> dict[int, int]:
    """Return the number of counted (not set-aside) responses per workshop."""
    if not workshop_ids:
        return {}
    rows = db.session.execute(
        select(Response.workshop_id, func.count())
        .where(Response.workshop_id.in_(workshop_ids), counted_responses(workshop_ids))
        .group_by(Response.workshop_id)
    )
    return {workshop_id: count for workshop_id, count in rows}


def visible_series(series_ids: list[int] | None) -> list[Series]:
    """Return the series with these ids (all if None), newest first."""
    query = select(Series).order_by(Series.created_at.desc(), Series.id.desc())
    if series_ids is not None:
        query = query.where(Series.id.in_(series_ids))
    return list(db.session.scalars(query))


def instrument_choices() -> list[SelectChoice]:
    """Return a choice "title (key v2)" for every loaded instrument version, newest first."""
    versions = db.session.scalars(
        select(InstrumentVersion).order_by(InstrumentVersion.key, InstrumentVersion.version.desc())
    )
    return [SelectChoice(v.id, f"{v.title} ({v.key} v{v.version})") for v in versions]


def workshops_without_series() -> list[Workshop]:
    """Return workshops that belong to no series (created on the command line)."""
    return list(db.session.scalars(select(Workshop).where(Workshop.series_id.is_(None))))


def instrument_versions() -> list[InstrumentVersion]:
    """Return every stored instrument version, by key, newest version first."""
    return list(
        db.session.scalars(
            select(InstrumentVersion).order_by(
                InstrumentVersion.key, InstrumentVersion.version.desc()
            )
        )
    )


def workshops_by_version() -> dict[int, list[Workshop]]:
    """Return the workshops of every instrument version, by date."""
    found: dict[int, list[Workshop]] = {}
    for workshop in db.session.scalars(select(Workshop).order_by(Workshop.date, Workshop.id)):
        found.setdefault(workshop.instrument_version_id, []).append(workshop)
    return found


def versions_of(key: str) -> list[InstrumentVersion]:
    """Return the stored versions of the instrument ``key``, oldest first."""
    return list(
        db.session.scalars(
            select(InstrumentVersion).filter_by(key=key).order_by(InstrumentVersion.version)
        )
    )


@dataclass(frozen=True)
class VersionWarning:
    """Workshops read together used versions whose wording differs."""

    differences: list[InstrumentDiff]
    #: ``(key, version)`` -> id, to link each difference to its page.
    version_ids: dict[tuple[str, int], int]


def version_warning(workshops: list[Workshop]) -> VersionWarning | None:
    """Return a warning when ``workshops`` used versions whose wording differs, else None."""
    versions = {w.instrument_version_id: w.instrument_version for w in workshops}
    if len(versions) < 2:
        return None
    differences = differences_between([instrument_of(v) for v in versions.values()])
    if not differences:
        return None
    return VersionWarning(differences, {(v.key, v.version): v.id for v in versions.values()})
