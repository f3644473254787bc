"""Comparison across the workshops of a scope (e.g. a series): compact figures each."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.definition.model import Instrument
from survey_app.models import Workshop
from survey_app.results.scope import Scope
from survey_app.results.settings import ResultSettings
from survey_app.results.summary import (
    cached_parts,
    summarize_questions,
    use_cache,
    wanted,
)
from survey_app.results.tables import fetch_by_workshop

#: Fields a compact summary leaves out: labels (the full summary has them) and
#: detail that does not compare at a glance.
DETAIL_FIELDS = frozenset(
    {"label", "histogram", "terms", "distribution", "scale", "unit", "top2_points"}
)


def raw_comparison(
    instrument: Instrument, scope: Scope, session: Session, settings: ResultSettings
) -> dict[str, Any]:
    """Summarize each workshop in full, without suppression (for the engine's own use)."""
    want = wanted(instrument, include_terms=False)
    if use_cache(scope, settings):
        parts = {
            workshop_id: part.scope_data(
                session, Scope(frozenset({workshop_id}), scope.group), want
            )
            for workshop_id, part in cached_parts(instrument, scope, session).items()
        }
    else:
        parts = fetch_by_workshop(session, scope, want)
    workshops = session.scalars(select(Workshop).where(Workshop.id.in_(scope.ids))).all()
    workshops = sorted(workshops, key=lambda w: (w.date is None, w.date or date.min, w.id))
    entries = [
        {
            "id": workshop.id,
            "title": workshop.title,
            "municipality": workshop.municipality,
            "date": workshop.date.isoformat() if workshop.date else None,
            "n_responses": parts[workshop.id].n_responses,
            "questions": summarize_questions(instrument, parts[workshop.id]),
        }
        for workshop in workshops
    ]
    return {"n_responses": sum(entry["n_responses"] for entry in entries), "workshops": entries}


def compact(summary: dict[str, Any]) -> dict[str, Any]:
    """Return a question summary without labels and detail (``DETAIL_FIELDS``).

    What stays: key, type, n and the main figures: options with counts, shares and
    intervals (and ranking's first/top/borda), likert items with n, mean and top-2,
    number statistics, rating mean and median, text n.
    """
    result: dict[str, Any] = {}
    for name, value in summary.items():
        if name in DETAIL_FIELDS:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = [compact(entry) for entry in value]
        elif isinstance(value, dict) and "key" in value:  # a cell ("don't know")
            value = compact(value)
        result[name] = value
    return result
