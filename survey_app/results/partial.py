"""Additive counts of some responses of a workshop: what ``results.cache`` keeps.

Every count a summary needs adds up over disjoint sets of responses (a response
belongs to one workshop): rows per option, item or value, distinct respondents,
responses, answers per free-text term, responses per minute.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.models import Answer, Response
from survey_app.questions.data import Counts, ScopeData
from survey_app.questions.text_terms import term_counts
from survey_app.results.scope import Scope
from survey_app.results.tables import Wanted, fetch_by_workshop


@dataclass
class Partial:
    """Unsuppressed, additive counts of some responses."""

    n_responses: int = 0
    counts: Counts = field(default_factory=dict)
    respondents: dict[str, int] = field(default_factory=dict)
    terms: dict[str, Counter[str]] = field(default_factory=dict)
    #: ``"YYYY-MM-DDTHH:MM:00Z"`` -> responses (UTC).
    arrivals: Counter[str] = field(default_factory=Counter)

    def add(self, other: Partial) -> None:
        """Add the counts of ``other`` to these."""
        self.n_responses += other.n_responses
        for question_key, rows in other.counts.items():
            mine = self.counts.setdefault(question_key, {})
            for key, count in rows.items():
                mine[key] = mine.get(key, 0) + count
        for question_key, count in other.respondents.items():
            self.respondents[question_key] = self.respondents.get(question_key, 0) + count
        for question_key, terms in other.terms.items():
            self.terms.setdefault(question_key, Counter()).update(terms)
        self.arrivals.update(other.arrivals)

    def to_json(self) -> str:
        """Return the counts as compact JSON (grouped keys as lists)."""
        return json.dumps(
            {
                "n": self.n_responses,
                "counts": {
                    q: [[*key, count] for key, count in rows.items()]
                    for q, rows in self.counts.items()
                },
                "respondents": self.respondents,
                "terms": {q: dict(terms) for q, terms in self.terms.items()},
                "arrivals": dict(self.arrivals),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str) -> Partial:
        """Read counts written by ``to_json``."""
        data = json.loads(raw)
        return cls(
            data["n"],
            {q: {tuple(row[:-1]): row[-1] for row in rows} for q, rows in data["counts"].items()},
            data["respondents"],
            {q: Counter(terms) for q, terms in data["terms"].items()},
            Counter(data["arrivals"]),
        )

    def scope_data(self, session: Session, scope: Scope, wanted: Wanted) -> ScopeData:
        """Return these counts as the question types read them."""
        return ScopeData(
            session,
            scope,
            self.n_responses,
            wanted.languages,
            self.counts,
            self.respondents,
            wanted.include_terms,
            self.terms,
        )

    def arrival_list(self) -> list[dict[str, Any]]:
        """Return ``[{"minute", "count"}]``, oldest first."""
        return [{"minute": m, "count": c} for m, c in sorted(self.arrivals.items()) if c]


def combined(parts: Iterable[Partial]) -> Partial:
    """Return the sum of ``parts`` (a new object; the parts are not changed)."""
    total = Partial()
    for part in parts:
        total.add(part)
    return total


def arrival_minutes(rows: Iterable[tuple[datetime, int]]) -> Counter[str]:
    """Count ``(submitted_at, responses)`` rows per UTC minute, as ISO strings."""
    minutes: Counter[str] = Counter()
    for at, count in rows:
        if at.tzinfo is not None:
            at = at.astimezone(UTC).replace(tzinfo=None)
        minutes[at.replace(second=0, microsecond=0).isoformat() + "Z"] += count
    return minutes


def count_parts(
    session: Session,
    workshop_ids: list[int],
    group: tuple[str, str] | None,
    wanted: Wanted,
    text_keys: list[str],
    id_range: tuple[int, int] | None = None,
) -> dict[int, Partial]:
    """Count each workshop's responses (ids in ``id_range``, if given) from the answers.

    The same few GROUP BY queries whatever the number of workshops (split by
    workshop), plus one for free texts and one for arrivals.
    """
    scope = Scope(frozenset(workshop_ids), group, id_range)
    data = fetch_by_workshop(session, scope, wanted)
    terms = workshop_term_counts(session, scope, text_keys, wanted.languages)
    arrivals: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    if group is None:
        minutes = session.execute(
            select(Response.workshop_id, Response.submitted_at, func.count())
            .where(*scope.response_filter())
            .group_by(Response.workshop_id, Response.submitted_at)
        )
        for workshop_id, at, count in minutes:
            arrivals[workshop_id].append((at, count))
    parts = {}
    for workshop_id in workshop_ids:
        one = data[workshop_id]
        parts[workshop_id] = Partial(
            one.n_responses,
            one.counts,
            one.respondents,
            terms.get(workshop_id, {}),
            arrival_minutes(arrivals.get(workshop_id, [])),
        )
    return parts


def workshop_term_counts(
    session: Session, scope: Scope, text_keys: list[str], languages: tuple[str, ...]
) -> dict[int, dict[str, Counter[str]]]:
    """Return ``{workshop_id: {question_key: answers per term}}`` of the free texts in ``scope``.

    One query for every workshop and question; questions nobody answered in a
    workshop are left out. Counts as ``text_terms.term_counts`` (answers, not uses).
    """
    texts: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    if text_keys:
        rows = session.execute(
            select(Answer.workshop_id, Answer.question_key, Response.language, Answer.value_text)
            .join(Response, Response.id == Answer.response_id)
            .where(
                *scope.answer_filter(),
                Answer.question_key.in_(text_keys),
                Answer.value_text.is_not(None),
            )
        )
        for workshop_id, question_key, language, text in rows:
            if text is not None:  # never None (value_text IS NOT NULL); says so to mypy
                texts[(workshop_id, question_key)].append((language, text))
    counts: dict[int, dict[str, Counter[str]]] = defaultdict(dict)
    for (workshop_id, question_key), answers in texts.items():
        counted = term_counts(answers, languages)
        if counted:
            counts[workshop_id][question_key] = counted
    return dict(counts)
