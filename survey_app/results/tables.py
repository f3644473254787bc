"""Grouped answer counts of a scope, fetched with one ``GROUP BY`` query per family.

Each question type names the family of grouped rows its summary reads
(``QuestionType.summary_family``):

- ``options``: ``GROUP BY question_key, option_key`` (single_choice, multi_choice,
  text; only indexed columns, so the answer index covers it);
- ``items``: ``GROUP BY question_key, item_key, option_key`` (likert);
- ``values``: ``GROUP BY question_key, option_key, value_num`` (number, rating,
  ranking places).

One more query counts distinct respondents of the questions whose answer is
several rows with none marking it (``QuestionType.count_distinct``: multi_choice,
likert), and one counts responses. So a summary costs at most five queries
however many questions and workshops there are. A split (by workshop, or by the
answer to a breakdown question) adds one GROUP BY column to the same queries: a
comparison of twenty workshops costs no more queries than one workshop. Every
count is additive over workshops, which would let a per-workshop cache combine
them later.

Only free-text term counts read values (``ScopeData.texts``), streamed per question.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session, aliased

from survey_app.models import Answer, Response, Workshop, WorkshopState, counted_answers
from survey_app.questions.data import Counts, ScopeData
from survey_app.results.scope import Scope
from survey_app.stats import BinSpan

#: The GROUP BY columns of each family, after ``question_key``.
FAMILIES = {
    "options": (Answer.option_key,),
    "items": (Answer.item_key, Answer.option_key),
    "values": (Answer.option_key, Answer.value_num),
}


@dataclass(frozen=True)
class Wanted:
    """Which questions a summary needs, by family (from the question types)."""

    families: dict[str, list[str]]
    count_distinct: list[str]
    languages: tuple[str, ...]
    include_terms: bool = True


def fetch_scope(session: Session, scope: Scope, wanted: Wanted) -> ScopeData:
    """Fetch the grouped rows of the wanted questions in one scope."""
    parts = _fetch(session, scope, wanted, None)
    n_responses = session.scalar(
        select(func.count()).select_from(Response).where(*scope.response_filter())
    )
    return _data(session, scope, wanted, n_responses or 0, parts.get(None))


def fetch_by_workshop(session: Session, scope: Scope, wanted: Wanted) -> dict[int, ScopeData]:
    """Fetch the grouped rows of every workshop of ``scope`` at once."""
    parts = _fetch(session, scope, wanted, "workshop")
    statement = (
        select(Response.workshop_id, func.count())
        .where(*scope.response_filter())
        .group_by(Response.workshop_id)
    )
    responses = dict(session.execute(statement).all())
    return {
        workshop_id: _data(
            session,
            Scope(frozenset({workshop_id}), scope.group),
            wanted,
            responses.get(workshop_id, 0),
            parts.get(workshop_id),
        )
        for workshop_id in scope.ids
    }


def fetch_by_answer(
    session: Session, scope: Scope, breakdown_key: str, groups: Iterable[str], wanted: Wanted
) -> dict[str, ScopeData]:
    """Fetch the grouped rows per option chosen in the single_choice ``breakdown_key``."""
    if scope.group is not None:
        raise ValueError("a breakdown needs a scope without a group")
    parts = _fetch(session, scope, wanted, breakdown_key)
    statement = (
        select(Answer.option_key, func.count())
        .where(Answer.workshop_id.in_(scope.ids), Answer.question_key == breakdown_key)
        .where(counted_answers(scope.ids))
        .group_by(Answer.option_key)
    )
    responses = dict(session.execute(statement).all())
    return {
        group: _data(
            session,
            scope.with_group(breakdown_key, group),
            wanted,
            responses.get(group, 0),
            parts.get(group),
        )
        for group in groups
    }


def fetch_arrivals(session: Session, scope: Scope) -> list[tuple[datetime, int]]:
    """Return ``(submitted_at, responses)`` of the scope, oldest first."""
    statement = (
        select(Response.submitted_at, func.count())
        .where(*scope.response_filter())
        .group_by(Response.submitted_at)
        .order_by(Response.submitted_at)
    )
    return [(at, count) for at, count in session.execute(statement)]


Part = tuple[Counts, dict[str, int]]


def _data(
    session: Session, scope: Scope, wanted: Wanted, n_responses: int, part: Part | None
) -> ScopeData:
    counts, respondents = part if part is not None else ({}, {})
    return ScopeData(
        session, scope, n_responses, wanted.languages, counts, respondents, wanted.include_terms
    )


def _fetch(session: Session, scope: Scope, wanted: Wanted, split: str | None) -> dict[Any, Part]:
    """Run the family and respondent queries, optionally split; key None when unsplit."""
    parts: dict[Any, Part] = defaultdict(lambda: ({}, {}))
    if not scope.workshop_ids:
        return parts
    for family, keys in wanted.families.items():
        if not keys:
            continue
        columns = FAMILIES[family]
        statement = _split(select(Answer.question_key, *columns, func.count()), scope, keys, split)
        for row in session.execute(statement.group_by(Answer.question_key, *columns)):
            group, (question_key, *grouped, count) = _group_of(row, split)
            parts[group][0].setdefault(question_key, {})[tuple(grouped)] = count
    if wanted.count_distinct:
        statement = _split(
            select(Answer.question_key, func.count(distinct(Answer.response_id))),
            scope,
            wanted.count_distinct,
            split,
        )
        for row in session.execute(statement.group_by(Answer.question_key)):
            group, (question_key, count) = _group_of(row, split)
            parts[group][1][question_key] = count
    return parts


def _split(statement: Select, scope: Scope, question_keys: list[str], split: str | None) -> Select:
    """Filter to the scope and questions; add the split column last, grouped."""
    statement = statement.where(*scope.answer_filter(), Answer.question_key.in_(question_keys))
    if split is None:
        return statement
    if split == "workshop":
        return statement.add_columns(Answer.workshop_id).group_by(Answer.workshop_id)
    chosen = aliased(Answer)
    return (
        statement.add_columns(chosen.option_key)
        .join(
            chosen,
            (chosen.response_id == Answer.response_id) & (chosen.question_key == split),
        )
        .group_by(chosen.option_key)
    )


def _group_of(row: Any, split: str | None) -> tuple[Any, tuple[Any, ...]]:
    """Split a result row into (group, the other columns); the split column is last."""
    values = tuple(row)
    if split is None:
        return None, values
    return values[-1], values[:-1]


def linked_spans(session: Session, scope: Scope, keys: Iterable[str]) -> dict[str, BinSpan]:
    """Return ``{question_key: BinSpan}``: the values and the bin grid of each question.

    Every summary of a series bins a number question on the same grid, so that the
    bins of a group, its workshop and the series add up, and every version of the
    series' results keeps the edges it had (a reader gains nothing from comparing
    them that the cells do not say). The bins cover the values of the scope and of
    the series' closed workshops (an open workshop's live answers never move the
    edges of results of closed workshops), and a scope with an open workshop also
    those of the series' open ones; the grid's width and origin come from the closed
    workshop with answers that was closed first (``first_closed_at``: the first
    published version; kept through reopening), else from the values covered.
    Workshops outside any series count alone. One query; {} without keys.
    """
    keys = list(keys)
    if not keys or not scope.workshop_ids:
        return {}
    series = select(Workshop.series_id).where(Workshop.id.in_(scope.ids)).scalar_subquery()
    closed = Workshop.state == WorkshopState.closed
    scope_live = select(Workshop.id).where(Workshop.id.in_(scope.ids), ~closed).exists()
    # A live view lines up with the series' other live views; published ones only
    # with what is published.
    others = Workshop.series_id.in_(series) & (closed | scope_live)
    statement = (
        select(
            Answer.question_key,
            func.min(Answer.value_num),
            func.max(Answer.value_num),
            Workshop.state,
            Workshop.first_closed_at,
            Workshop.id,
        )
        .join(Workshop, Workshop.id == Answer.workshop_id)
        .where(Workshop.id.in_(scope.ids) | others)
        .where(Answer.question_key.in_(keys), Answer.value_num.is_not(None), counted_answers())
        .group_by(Answer.question_key, Workshop.id, Workshop.state, Workshop.first_closed_at)
    )
    covered: dict[str, tuple[float, float]] = {}
    first: dict[str, tuple[Any, int, float, float]] = {}
    for key, low, high, state, first_closed, workshop in session.execute(statement):
        if low is None or high is None:
            continue
        low, high = float(low), float(high)
        seen = covered.get(key, (low, high))
        covered[key] = (min(seen[0], low), max(seen[1], high))
        order = (first_closed, workshop)
        if state == WorkshopState.closed and (key not in first or order < first[key][:2]):
            first[key] = (first_closed, workshop, low, high)
    spans = {}
    for key, (low, high) in covered.items():
        basis = first.get(key)
        spans[key] = BinSpan(low, high, *(basis[2:] if basis else (low, high)))
    return spans
