"""The engine's public results: summaries, breakdowns and comparisons, protected.

Each function summarizes without suppression (``results.summary``, ``.breakdown``,
``.comparison``), takes the protection of the linked set the scope belongs to
(``results.protection``) and applies it (``results.suppression``). If the data
changed between the two (a cached decision no longer matches), the decision is
made again; if it changes once more meanwhile, everything but the number of
respondents is hidden rather than shown unprotected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.definition.model import Instrument
from survey_app.disclosure import Status
from survey_app.models import Workshop, WorkshopState
from survey_app.results.breakdown import raw_breakdown
from survey_app.results.cells import RESPONSES, Address
from survey_app.results.comparison import compact, raw_comparison
from survey_app.results.protection import (
    LinkedDecision,
    Stale,
    decision_for,
    linked_sets,
    statuses_for,
)
from survey_app.results.scope import Scope
from survey_app.results.settings import ResultSettings
from survey_app.results.summary import default_session, raw_scope_summary
from survey_app.results.suppression import apply_statuses

Build = Callable[[list[LinkedDecision] | None], dict[str, Any]]


def summarize_scope(
    instrument: Instrument,
    scope: Scope,
    settings: ResultSettings,
    *,
    session: Session | None = None,
    include_terms: bool = True,
) -> dict[str, Any]:
    """Summarize every question of ``instrument`` in ``scope``, protected.

    Returns ``{"n_responses", "questions": [...], "arrivals": [...], "min_group_size"}``.
    ``arrivals`` (responses per minute) is left out when the scope is narrowed to a
    breakdown group: arrival times of a group could single people out.
    ``include_terms``: count frequent terms of free text (a briefing never prints them).
    """
    session = default_session(session)
    k = settings.min_group_size
    scope, waiting = published_scope(session, scope, settings)

    def build(decisions: list[LinkedDecision] | None) -> dict[str, Any]:
        raw = raw_scope_summary(instrument, scope, session, settings, include_terms)
        return apply_statuses(raw, _lookup(decisions, scope.ids, scope.group), k)

    return _noting(waiting, _protected(instrument, scope, session, settings, build))


def summarize_breakdown(
    instrument: Instrument,
    scope: Scope,
    question_key: str,
    settings: ResultSettings,
    *,
    session: Session | None = None,
) -> dict[str, Any]:
    """Summarize every other question per option chosen in ``question_key``, protected.

    Returns ``{"breakdown", "label", "groups": [{"key", "label", "n_responses",
    "questions"}], "min_group_size"}``, one group per option (``other`` included if
    allowed), in the question's order; respondents who did not answer the breakdown
    question are in no group. Raises ValueError for a question that is not a
    ``breakdown: true`` question of a type that can break results down.
    """
    session = default_session(session)
    k = settings.min_group_size
    scope, waiting = published_scope(session, scope, settings)

    def build(decisions: list[LinkedDecision] | None) -> dict[str, Any]:
        raw = raw_breakdown(instrument, scope, question_key, session, settings)
        groups = [
            apply_statuses(group, _lookup(decisions, scope.ids, (question_key, group["key"])), k)
            for group in raw["groups"]
        ]
        return {**raw, "groups": groups, "min_group_size": k}

    return _noting(waiting, _protected(instrument, scope, session, settings, build))


def compare_workshops(
    instrument: Instrument,
    scope: Scope,
    settings: ResultSettings,
    *,
    session: Session | None = None,
) -> dict[str, Any]:
    """Give each workshop of ``scope`` its n and main figures per question, protected.

    Returns ``{"n_responses", "workshops": [{"id", "title", "municipality", "date",
    "n_responses", "questions"}], "min_group_size"}``; workshops by date (undated
    last), then id. Questions are compact (``comparison.compact``), made so after
    protection, so that what is shown agrees with each workshop's own summary.
    """
    session = default_session(session)
    k = settings.min_group_size
    scope, waiting = published_scope(session, scope, settings)

    def build(decisions: list[LinkedDecision] | None) -> dict[str, Any]:
        raw = raw_comparison(instrument, scope, session, settings)
        workshops = []
        for entry in raw["workshops"]:
            result = apply_statuses(entry, _lookup(decisions, [entry["id"]], scope.group), k)
            if "questions" in result:
                result["questions"] = [compact(q) for q in result["questions"]]
            workshops.append(result)
        return {**raw, "workshops": workshops, "min_group_size": k}

    return _noting(waiting, _protected(instrument, scope, session, settings, build))


def published_scope(
    session: Session, scope: Scope, settings: ResultSettings
) -> tuple[Scope, list[int]]:
    """Return the part of ``scope`` that published results cover, and the workshops left out.

    Published results (``ResultSettings.closed_only``: viewers, the API, briefings,
    exports, the participants' page) cover closed workshops only: an open workshop's
    results change with every response, and two readings a response apart would
    give that response away. The room's own screens show their open workshop live.
    """
    if not settings.closed_only:
        return scope, []
    closed = set(
        session.scalars(
            select(Workshop.id).where(
                Workshop.id.in_(scope.ids), Workshop.state == WorkshopState.closed
            )
        )
    )
    waiting = [workshop for workshop in scope.ids if workshop not in closed]
    return replace(scope, workshop_ids=frozenset(closed)), waiting


def _noting(waiting: list[int], result: dict[str, Any]) -> dict[str, Any]:
    """Name the workshops whose results wait for them to close (``"open_workshops"``)."""
    return {**result, "open_workshops": waiting} if waiting else result


def _protected(
    instrument: Instrument,
    scope: Scope,
    session: Session,
    settings: ResultSettings,
    build: Build,
) -> dict[str, Any]:
    """Run ``build`` with the decisions of the scope's linked sets (see the module doc)."""
    sets = linked_sets(session, scope, settings)
    for fresh in (False, True):
        decisions = [decision_for(instrument, ids, session, settings, k, fresh) for ids, k in sets]
        try:
            return build(decisions)
        except Stale:
            continue
    return build(None)


def _lookup(
    decisions: list[LinkedDecision] | None, ids: list[int], group: tuple[str, str] | None
) -> Callable[[Address, int | None], Status]:
    """Return the statuses of an output's cells (all hidden but its size without decisions)."""
    if decisions is None:
        return lambda address, value: Status.SHOWN if address == RESPONSES else Status.PROTECTS
    return statuses_for(decisions, ids, group)
