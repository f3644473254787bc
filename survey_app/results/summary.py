"""Summaries of a scope: every question in instrument order, plus arrivals over time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from survey_app.extensions import db
from survey_app.instruments.model import Instrument
from survey_app.results.scope import Scope
from survey_app.results.suppression import suppress_summary
from survey_app.results.tables import ScopeData, Wanted, fetch_arrivals, fetch_scope
from survey_app.results.themes import add_theme_counts


def summarize_scope(
    instrument: Instrument,
    scope: Scope,
    *,
    session: Session | None = None,
    min_group_size: int | None = None,
) -> dict[str, Any]:
    """Summarize every question of ``instrument`` in ``scope``, small cells suppressed.

    Returns ``{"n_responses", "questions": [...], "arrivals": [...], "min_group_size"}``.
    ``arrivals`` (responses per minute) is left out when the scope is narrowed to a
    breakdown group: arrival times of a group could single people out.
    """
    session, k = resolve(session, min_group_size)
    return suppress_summary(raw_scope_summary(instrument, scope, session), k)


def raw_scope_summary(
    instrument: Instrument, scope: Scope, session: Session, include_terms: bool = True
) -> dict[str, Any]:
    """Summarize a scope without suppression (for the engine's own use only)."""
    data = fetch_scope(session, scope, wanted(instrument, include_terms=include_terms))
    summary: dict[str, Any] = {
        "n_responses": data.n_responses,
        "questions": summarize_questions(instrument, data),
    }
    add_theme_counts(session, scope, summary)
    if scope.group is None:
        summary["arrivals"] = arrivals(session, scope)
    return summary


def summarize_questions(
    instrument: Instrument, data: ScopeData, skip: str | None = None
) -> list[dict[str, Any]]:
    """Return each question type's summary, in instrument order (info is left out)."""
    # Imported here: the question type modules import helpers of this package.
    from survey_app.questions import question_type

    summaries = []
    for question in instrument.questions():
        if question.key == skip:
            continue
        summary = question_type(question.type).summarize(question, data)
        if summary is not None:
            summaries.append(summary)
    return summaries


def wanted(instrument: Instrument, skip: str | None = None, include_terms: bool = True) -> Wanted:
    """Return which questions to fetch in which query family, from their types."""
    from survey_app.questions import question_type

    families: dict[str, list[str]] = {}
    count_distinct = []
    for question in instrument.questions():
        kind = question_type(question.type)
        if kind.summary_family is None or question.key == skip:
            continue
        families.setdefault(kind.summary_family, []).append(question.key)
        if kind.count_distinct:
            count_distinct.append(question.key)
    return Wanted(families, count_distinct, instrument.languages, include_terms)


def arrivals(session: Session, scope: Scope) -> list[dict[str, Any]]:
    """Return ``[{"minute": "YYYY-MM-DDTHH:MM:00Z", "count"}]``, oldest first (UTC)."""
    minutes: dict[datetime, int] = {}
    for at, count in fetch_arrivals(session, scope):
        if at.tzinfo is not None:
            at = at.astimezone(UTC).replace(tzinfo=None)
        minute = at.replace(second=0, microsecond=0)
        minutes[minute] = minutes.get(minute, 0) + count
    return [
        {"minute": minute.isoformat() + "Z", "count": count}
        for minute, count in sorted(minutes.items())
    ]


def resolve(session: Session | None, min_group_size: int | None) -> tuple[Session, int]:
    """Fill in ``db.session`` and the app's ``MIN_GROUP_SIZE`` where not given."""
    if min_group_size is None:
        min_group_size = int(current_app.config.get("MIN_GROUP_SIZE", 5))
    return (session if session is not None else db.session), min_group_size
