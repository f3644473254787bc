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

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session, aliased

from survey_app.models import Answer, Response
from survey_app.results.scope import Scope
from survey_app.results.text_terms import rank_terms, top_terms

if TYPE_CHECKING:  # typing only: importing the registry here would be circular
    from survey_app.questions.summaries import Term

#: Rows fetched at a time when streaming free text.
TEXT_BATCH = 1000
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


@dataclass
class ScopeData:
    """The grouped answer rows of one scope (or one part of a split)."""

    session: Session
    scope: Scope
    n_responses: int
    #: Languages of the instrument (for stop words and "other" labels).
    languages: tuple[str, ...]
    #: question_key -> {(grouped columns after question_key): rows}, any family.
    counts: dict[str, dict[tuple[Any, ...], int]] = field(default_factory=dict)
    #: Distinct respondents of the questions that need them counted.
    respondents: dict[str, int] = field(default_factory=dict)
    #: Whether text questions count their terms (a comparison does not need them).
    include_terms: bool = True
    #: Term counts per text question when already known (``results.cache``).
    term_counts: dict[str, Counter[str]] | None = None

    def answered(self, question_key: str) -> int:
        """Return how many respondents answered (rows, unless counted distinct)."""
        if question_key in self.respondents:
            return self.respondents[question_key]
        return sum(self.counts.get(question_key, {}).values())

    def option_counts(self, question_key: str) -> dict[str, int]:
        """Return ``{option_key: rows}`` (``options`` family)."""
        return {
            key[0]: count
            for key, count in self.counts.get(question_key, {}).items()
            if key[0] is not None
        }

    def item_counts(self, question_key: str) -> dict[str, dict[str, int]]:
        """Return ``{item_key: {option_key: rows}}`` (``items`` family)."""
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for (item, option), count in self.counts.get(question_key, {}).items():
            if item is not None and option is not None:
                counts[item][option] = count
        return dict(counts)

    def value_counts(self, question_key: str) -> dict[float, int]:
        """Return the frequency table ``{value_num: rows}`` (``values`` family)."""
        counts: dict[float, int] = defaultdict(int)
        for (_, value), count in self.counts.get(question_key, {}).items():
            if value is not None:
                counts[float(value)] += count
        return dict(counts)

    def rank_counts(self, question_key: str) -> dict[str, dict[int, int]]:
        """Return ``{option_key: {place: rows}}`` of a ranking (``values`` family)."""
        counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for (option, value), count in self.counts.get(question_key, {}).items():
            if option is not None and value is not None:
                counts[option][int(value)] += count
        return {option: dict(places) for option, places in counts.items()}

    def top_terms(self, question_key: str) -> list[Term]:
        """Return the most used terms of a text question (counted now, unless known)."""
        if self.term_counts is not None:
            return rank_terms(self.term_counts.get(question_key, Counter()))
        return top_terms(self.texts(question_key), self.languages)

    def texts(self, question_key: str) -> Iterator[tuple[str, str]]:
        """Stream ``(response language, text)`` of one text question."""
        statement = (
            select(Response.language, Answer.value_text)
            .join(Response, Response.id == Answer.response_id)
            .where(
                *self.scope.answer_filter(),
                Answer.question_key == question_key,
                Answer.value_text.is_not(None),
            )
            .execution_options(yield_per=TEXT_BATCH)
        )
        result = self.session.execute(statement)
        try:
            # value_text IS NOT NULL: the column is optional, the rows are not.
            yield from ((language, text) for language, text in result if text is not None)
        finally:
            result.close()


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


Counts = dict[str, dict[tuple[Any, ...], int]]
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
