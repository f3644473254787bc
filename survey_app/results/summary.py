"""Unsuppressed summaries of a scope: every question in instrument order, arrivals over time.

For the engine's own use: ``results.published`` protects them before they leave it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from survey_app.definition.model import Instrument
from survey_app.extensions import db
from survey_app.questions import question_type
from survey_app.questions.data import ScopeData
from survey_app.results.cache import workshop_parts
from survey_app.results.partial import Partial, arrival_minutes, combined
from survey_app.results.scope import Scope
from survey_app.results.settings import ResultSettings
from survey_app.results.tables import Wanted, fetch_arrivals, fetch_scope, linked_spans
from survey_app.results.themes import add_theme_counts
from survey_app.stats import BinSpan


def raw_scope_summary(
    instrument: Instrument,
    scope: Scope,
    session: Session,
    settings: ResultSettings,
    include_terms: bool = True,
) -> dict[str, Any]:
    """Summarize a scope without suppression (for the engine's own use only).

    A breakdown group's summary counts no free-text terms (groups list none).
    """
    want = wanted(instrument, include_terms=include_terms and scope.group is None)
    if use_cache(scope, settings):
        total = combined(cached_parts(instrument, scope, session).values())
        data = total.scope_data(session, scope, want)
        minutes = total.arrival_list()
    else:
        data = fetch_scope(session, scope, want)
        minutes = arrivals(session, scope) if scope.group is None else []
    summary: dict[str, Any] = {
        "n_responses": data.n_responses,
        "questions": summarize_questions(
            instrument, data, spans=binned_spans(instrument, scope, session)
        ),
    }
    add_theme_counts(session, scope, summary)
    if scope.group is None:
        summary["arrivals"] = minutes
    return summary


def use_cache(scope: Scope, settings: ResultSettings) -> bool:
    """Say whether summaries of ``scope`` add up cached per-workshop parts."""
    return settings.cache and scope.id_range is None


def cached_parts(instrument: Instrument, scope: Scope, session: Session) -> dict[int, Partial]:
    """Return the counts of each workshop of ``scope`` (its group, if any), from the cache."""
    texts = [q.key for q in instrument.questions() if question_type(q.type).free_text]
    return workshop_parts(session, scope.ids, scope.group, wanted(instrument), texts)


def summarize_questions(
    instrument: Instrument,
    data: ScopeData,
    skip: str | None = None,
    spans: dict[str, BinSpan] | None = None,
) -> list[dict[str, Any]]:
    """Return each question type's summary, in instrument order (info is left out).

    ``spans``: the series' value spans (``binned_spans``), or None to leave bins as
    the data's own.
    """
    if spans is not None:
        data.value_spans = spans
    summaries = []
    for question in instrument.questions():
        if question.key == skip:
            continue
        summary = question_type(question.type).summarize(question, data)
        if summary is not None:
            summaries.append(summary)
    return summaries


def binned_spans(instrument: Instrument, scope: Scope, session: Session) -> dict[str, BinSpan]:
    """Return the series-wide values and bin grid of each question that bins numbers."""
    keys = [q.key for q in instrument.questions() if question_type(q.type).binned]
    return linked_spans(session, scope, keys)


def wanted(instrument: Instrument, skip: str | None = None, include_terms: bool = True) -> Wanted:
    """Return which questions to fetch in which query family, from their types."""
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
    return Partial(arrivals=arrival_minutes(fetch_arrivals(session, scope))).arrival_list()


def default_session(session: Session | None) -> Session:
    """Return ``session``, or the app's ``db.session`` where none is given."""
    return session if session is not None else db.session()
