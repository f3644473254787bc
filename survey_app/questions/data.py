"""What a question type's summary reads: the grouped answer rows of one scope.

``survey_app.results`` fetches these rows (``results.tables``, or the per-workshop
cache) and hands them to ``QuestionType.summarize`` as a ``ScopeData``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from survey_app.models import Answer, Response
from survey_app.questions.summaries import Term
from survey_app.questions.text_terms import rank_terms, top_terms
from survey_app.stats import BinSpan

#: Rows fetched at a time when streaming free text.
TEXT_BATCH = 1000

#: question_key -> {(grouped columns after question_key): rows}, any family.
Counts = dict[str, dict[tuple[Any, ...], int]]


class AnswerFilter(Protocol):
    """Which answer rows a scope covers (``results.scope.Scope``)."""

    def answer_filter(self) -> list[ColumnElement[bool]]:
        """Return WHERE conditions selecting the scope's answer rows."""
        ...


@dataclass
class ScopeData:
    """The grouped answer rows of one scope (or one part of a split)."""

    session: Session
    scope: AnswerFilter
    n_responses: int
    #: Languages of the instrument (for stop words and "other" labels).
    languages: tuple[str, ...]
    #: question_key -> {(grouped columns after question_key): rows}, any family.
    counts: Counts = field(default_factory=dict)
    #: Distinct respondents of the questions that need them counted.
    respondents: dict[str, int] = field(default_factory=dict)
    #: Whether text questions count their terms (a comparison does not need them).
    include_terms: bool = True
    #: Term counts per text question when already known (``results.cache``).
    term_counts: dict[str, Counter[str]] | None = None
    #: question_key -> values and bin grid across the linked set (common bins).
    value_spans: dict[str, BinSpan] = field(default_factory=dict)

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
