"""Summaries of a workshop or a series as the pages and the API ask for them."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.instruments.model import Instrument
from survey_app.instruments.store import instrument_of
from survey_app.models import InstrumentVersion, Response, Series, Workshop
from survey_app.results.scope import Scope
from survey_app.results.settings import ResultSettings
from survey_app.results.summary import summarize_scope


def series_instrument(series: Series) -> Instrument | None:
    """Return the newest instrument version used by the series' workshops."""
    version = db.session.scalar(
        select(InstrumentVersion)
        .join(Workshop, Workshop.instrument_version_id == InstrumentVersion.id)
        .where(Workshop.series_id == series.id)
        .order_by(InstrumentVersion.version.desc(), InstrumentVersion.id.desc())
        .limit(1)
    )
    return instrument_of(version) if version else None


def workshop_summary(
    workshop: Workshop, settings: ResultSettings, group: tuple[str, str] | None = None
) -> dict[str, Any]:
    """Summarize one workshop (optionally one breakdown group), suppressed."""
    scope = Scope(frozenset({workshop.id}), group)
    return summarize_scope(instrument_of(workshop.instrument_version), scope, settings)


def series_summary(
    series: Series, settings: ResultSettings, group: tuple[str, str] | None = None
) -> dict[str, Any]:
    """Summarize every workshop of a series together, suppressed."""
    instrument = series_instrument(series)
    if instrument is None:
        return {"n_responses": 0, "questions": []}
    scope = Scope(frozenset(w.id for w in series.workshops), group)
    return summarize_scope(instrument, scope, settings)


def data_version(workshop_ids: list[int]) -> str:
    """Return a tag that changes whenever responses of these workshops change.

    One aggregate over the index (workshop_id, revision): the count and newest id of
    responses (new submissions) and the sum of revisions (edits through edit links).
    """
    count, last_id, edits = db.session.execute(
        select(func.count(Response.id), func.max(Response.id), func.sum(Response.revision)).where(
            Response.workshop_id.in_(workshop_ids)
        )
    ).one()
    raw = f"{sorted(workshop_ids)}:{count}:{last_id}:{edits}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]
