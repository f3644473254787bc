"""The linked set of one series: every count a reader can get from its outputs.

A viewer of a series can fetch each workshop's results, the series' results, each
of them per breakdown group (the briefings' breakdowns, the dashboard's filters,
the API), and the comparison across workshops. All of them are sums of the same
answers, so they form one linked table: part x question cell, where a part is

- ``(workshop_id, None)``: one workshop; ``(None, None)``: the whole series;
- ``(workshop_id or None, (question, option))``: one breakdown group of it;
- ``(workshop_id or None, (question, None))``: respondents in no group of that
  question (never published; only implied by the totals).

``linked_cells`` turns the unsuppressed summaries of every part into
``disclosure.LinkedCells``: the cells of each summary with the sums inside it
(options add up to n, a likert item's points to its n, top-2 to the top points,
histogram bins to n), the sums across parts (a workshop is the sum of its groups
and of the respondents in none; the series is the sum of its workshops), and the
identity of a group's size with the breakdown question's option count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from survey_app.definition.model import Instrument
from survey_app.disclosure import LinkedCells
from survey_app.questions import question_type
from survey_app.questions.text_terms import rank_terms
from survey_app.results.breakdown import breakdown_questions, raw_breakdown
from survey_app.results.cells import LEVEL_WEIGHT, RESPONSES, Address, add_part
from survey_app.results.partial import workshop_term_counts
from survey_app.results.scope import Scope
from survey_app.results.settings import ResultSettings
from survey_app.results.summary import cached_parts, raw_scope_summary, use_cache

#: ``(workshop_id | None, (breakdown_question, option | None) | None)``
Part = tuple[int | None, tuple[str, str | None] | None]


@dataclass
class LinkedTable:
    """The cells of a linked set and, per part, its summary's addresses."""

    cells: LinkedCells = field(default_factory=LinkedCells)
    workshop_ids: tuple[int, ...] = ()
    breakdowns: tuple[str, ...] = ()
    #: part -> address -> cell index.
    parts: dict[Part, dict[Address, int]] = field(default_factory=dict)

    def add(
        self,
        instrument: Instrument,
        part: Part,
        summary: dict[str, Any],
        weight: float,
        public: bool = False,
    ) -> None:
        """Add the cells of one part's summary."""
        backbone = frozenset(self.breakdowns)
        self.parts[part] = add_part(self.cells, part, summary, weight, public, backbone)

    def index(self, part: Part, address: Address) -> int | None:
        """Return the cell of ``address`` in ``part`` (None if the part has no such cell)."""
        return self.parts.get(part, {}).get(address)


def linked_cells(
    instrument: Instrument,
    workshop_ids: Iterable[int],
    session: Session,
    settings: ResultSettings,
) -> LinkedTable:
    """Return the linked table of ``workshop_ids`` (a series, or one workshop alone)."""
    ids = tuple(sorted(set(workshop_ids)))
    table = LinkedTable(
        workshop_ids=ids, breakdowns=tuple(q.key for q in breakdown_questions(instrument))
    )
    whole = Scope.of(ids)
    scopes: list[tuple[int | None, Scope]] = [(w, Scope.workshop(w)) for w in ids]
    if len(ids) > 1:
        scopes.append((None, whole))
    terms = FrequentTerms.of(instrument, whole, session, settings)
    for workshop, scope in scopes:
        level = "series" if workshop is None else "workshop"
        summary = raw_scope_summary(instrument, scope, session, settings, include_terms=False)
        terms.fill(summary, workshop)
        table.add(instrument, (workshop, None), summary, LEVEL_WEIGHT[level], public=True)
        for question_key in table.breakdowns:
            split = raw_breakdown(instrument, scope, question_key, session, settings)
            for group in split["groups"]:
                # a group nobody is in too: that it is empty can be a unanimous answer
                part = (workshop, (question_key, group["key"]))
                table.add(instrument, part, group, LEVEL_WEIGHT[level] / 2)
                _same_size(table, workshop, question_key, group["key"])
            groups = [g["key"] for g in split["groups"]]
            _residual(table, workshop, question_key, groups)
    if len(ids) > 1:
        _series_sums(table)
    return table


@dataclass(frozen=True)
class FrequentTerms:
    """The free-text terms of a linked set, as cells of its whole parts.

    Each workshop and the whole set carry the count of every term among the whole
    set's most frequent (``rank_terms``), 0 included, so that the series' count is
    the sum of the workshops' and a term hidden in one workshop cannot be had by
    subtraction. Groups list no terms (their parts have no term cells).
    """

    #: question key -> the terms listed, most used in the whole set first.
    listed: dict[str, list[str]]
    #: workshop id (None: the whole set) -> question key -> answers using each term.
    counts: dict[int | None, dict[str, Counter[str]]]

    @classmethod
    def of(
        cls, instrument: Instrument, whole: Scope, session: Session, settings: ResultSettings
    ) -> FrequentTerms:
        """Count the terms of every free-text question in each workshop of ``whole``."""
        keys = [q.key for q in instrument.questions() if question_type(q.type).free_text]
        if not keys:
            return cls({}, {})
        if use_cache(whole, settings):
            found = {w: p.terms for w, p in cached_parts(instrument, whole, session).items()}
        else:
            found = workshop_term_counts(session, whole, keys, instrument.languages)
        counts: dict[int | None, dict[str, Counter[str]]] = dict(found.items())
        total: dict[str, Counter[str]] = defaultdict(Counter)
        for workshop in whole.ids:
            for key, counter in counts.get(workshop, {}).items():
                total[key].update(counter)
        counts[None] = dict(total)
        top = None if len(whole.ids) > 1 else next(iter(whole.ids))
        listed = {key: [t["term"] for t in rank_terms(c)] for key, c in counts[top].items()}
        return cls(listed, counts)

    def fill(self, summary: dict[str, Any], workshop: int | None) -> None:
        """Set each free-text question's ``terms`` in a whole part's summary (in place)."""
        own = self.counts.get(workshop, {})
        for question in summary.get("questions", []):
            key = question["key"]
            if key in self.listed:
                counts = own.get(key, Counter())
                question["terms"] = [{"term": t, "count": counts[t]} for t in self.listed[key]]


def _same_size(table: LinkedTable, workshop: int | None, question_key: str, option: str) -> None:
    """A group's size is the breakdown question's count of its option, in the same scope."""
    size = table.index((workshop, (question_key, option)), RESPONSES)
    count = table.index((workshop, None), (question_key, "option", option))
    if size is not None and count is not None:
        table.cells.same(size, count)


def _residual(
    table: LinkedTable, workshop: int | None, question_key: str, groups: list[str]
) -> None:
    """Add the respondents in no group of ``question_key`` (never shown) and the sums.

    For each cell of the whole, whole = sum of the groups' cells + the residual's.
    Where nobody is left out, the residual is known to be 0.
    """
    whole = table.parts.get((workshop, None), {})
    parts = [table.parts.get((workshop, (question_key, g)), {}) for g in groups]
    residual: dict[Address, int] = {}
    table.parts[(workshop, (question_key, None))] = residual
    nobody = None
    for address, total in whole.items():
        if address[0] == question_key or not all(address in part for part in parts):
            continue
        members = [part[address] for part in parts]
        value = table.cells.values[total] - sum(table.cells.values[m] for m in members)
        if address == RESPONSES:
            nobody = value == 0
        key = ((workshop, (question_key, None)), address)
        block = None if address == RESPONSES or address[0] in table.breakdowns else address[0]
        known = bool(nobody)
        index = table.cells.add(
            key,
            value,
            published=known,
            public=known,
            block=block,
            protected=table.cells.protected[total],
        )
        residual[address] = index
        table.cells.sum_of(total, [*members, index])
    size = residual.get(RESPONSES)
    if size is not None:
        # How many skipped the breakdown question tells no answer (as any question's
        # skipped count), unless some of them answered: then it bounds their answers
        # (protected, it keeps room for them in the group sizes, which are decided first).
        cells = table.cells
        cells.protected[size] = cells.protected[size] and any(
            cells.values[cell] > 0 and cells.protected[cell]
            for address, cell in residual.items()
            if address != RESPONSES
        )


def _series_sums(table: LinkedTable) -> None:
    """Each cell of the series (or a series group) is the sum of the workshops' cells."""
    for part, addresses in list(table.parts.items()):
        workshop, group = part
        if workshop is not None:
            continue
        parts = [(w, group) for w in table.workshop_ids]
        for address, total in addresses.items():
            members = [table.parts.get(part, {}).get(address) for part in parts]
            if all(m is not None for m in members):
                table.cells.sum_of(total, [m for m in members if m is not None])
