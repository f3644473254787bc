"""Small-group protection decided once per linked set and data version, used by every output.

``decision_for`` returns the protection of the linked set a scope belongs to (its
series; one workshop alone for the room's own screens), from a process cache
keyed by the workshops, k, the questionnaire and the data version. Each output
then takes the status of its cells from it (``CellStatuses``): a single workshop
or the whole series reads its own part; any other set of workshops is a sum of
parts and shows a cell only where every workshop it adds up shows it (so it tells
nothing that the parts did not). A cached decision whose counts no longer match
the data (e.g. responses deleted and the same number collected again) is decided
again before use.

A published decision takes the series' earlier published versions in as what a
reader already knows, and is recorded for the versions after it
(``releases.Version``): the series before and after a workshop closes must not give
that workshop's hidden counts away by subtraction.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from survey_app.definition.model import Instrument
from survey_app.disclosure import Status, protect
from survey_app.models import (
    AnswerTheme,
    Response,
    Series,
    SummaryPart,
    Theme,
    Workshop,
    WorkshopState,
)
from survey_app.results import releases
from survey_app.results.cells import RESPONSES
from survey_app.results.linked import Address, LinkedTable, Part, linked_cells
from survey_app.results.scope import Scope
from survey_app.results.settings import ResultSettings
from survey_app.workshops.thresholds import published_group_size

#: Decisions kept per process (a few series and rooms at a time).
CACHE_SIZE = 32


@dataclass(frozen=True)
class LinkedDecision:
    """The linked table of some workshops and the status of each of its cells."""

    k: int
    table: LinkedTable
    status: list[Status]

    def status_of(self, part: Part, address: Address) -> tuple[Status, int] | None:
        """Return the status and true count of a cell (None if the part has no such cell)."""
        index = self.table.index(part, address)
        if index is None:
            return None
        return self.status[index], self.table.cells.values[index]


_cache: OrderedDict[tuple[str, str], LinkedDecision] = OrderedDict()
_lock = threading.Lock()
#: Data key -> the release this process recorded for it (``decision_for``).
_own: dict[str, frozenset[int]] = {}


def linked_sets(
    session: Session, scope: Scope, settings: ResultSettings
) -> list[tuple[tuple[int, ...], int]]:
    """Return the linked sets the scope's workshops belong to, each with its k.

    The room's own screens: the one workshop alone, with the room's k. Published
    outputs: every workshop of each series the scope touches (closed ones only, where
    the settings are ``closed_only``), with that series' own published k (a workshop without
    a series: alone, with the floor).
    """
    k = settings.min_group_size
    if settings.room:
        return [((workshop,), k) for workshop in scope.ids]
    rows = session.execute(
        select(Workshop.id, Workshop.series_id).where(Workshop.id.in_(scope.ids))
    ).all()
    sets = []
    for series_id in sorted({series_id for _, series_id in rows if series_id is not None}):
        series = session.get(Series, series_id)
        ids = tuple(
            sorted(
                session.scalars(
                    select(Workshop.id).where(
                        Workshop.series_id == series_id,
                        Workshop.state == WorkshopState.closed if settings.closed_only else true(),
                    )
                )
            )
        )
        own = k if settings.floor is None else published_group_size(settings.floor, series)
        sets.append((ids, own))
    own = k if settings.floor is None else settings.floor
    return [linked for linked in sets if linked[0]] + [
        ((workshop,), own) for workshop, series_id in rows if series_id is None
    ]


def undecided(
    instrument: Instrument, scope: Scope, session: Session, settings: ResultSettings
) -> list[str]:
    """Return the digests of the published versions the scope needs that nobody decided yet.

    Empty: every decision is recorded (by this server or another), so an output of
    the scope takes about a second; else the first output after a close decides
    them (a minute on the demo series). A few grouped queries.
    """
    if not settings.closed_only or settings.room:
        return []
    missing = []
    for ids, k in linked_sets(session, scope, settings):
        series_id = releases.series_of(session, ids)
        version = releases.Version.of(session, series_id, ids, k, instrument)
        if not version.is_recorded(session):
            missing.append(version.digest)
    return missing


def decision_for(
    instrument: Instrument,
    workshop_ids: Iterable[int],
    session: Session,
    settings: ResultSettings,
    k: int,
    fresh: bool = False,
) -> LinkedDecision:
    """Return the protection of a linked set with threshold ``k`` (cached unless ``fresh``).

    A published version recorded before (``releases.Version.recorded``) keeps its
    statuses: the same data is never shown two ways. ``fresh`` builds the table again
    (the audit), but still takes a recorded version's statuses.
    """
    ids = tuple(sorted(workshop_ids))
    # Published decisions of a series take its earlier versions in (``releases``).
    series_id = releases.series_of(session, ids) if settings.closed_only else None
    key = _cache_key(instrument, ids, session, settings, k)
    # The version's own release, recorded by this process, may not be visible yet to a
    # read transaction that began before it was written.
    history = releases.history(session, series_id) | _own.get(key, frozenset())
    if not fresh:
        with _lock:
            if (key, _tag(history)) in _cache:
                _cache.move_to_end((key, _tag(history)))
                return _cache[(key, _tag(history))]
    table = linked_cells(instrument, ids, session, settings)
    key = _cache_key(instrument, ids, session, settings, k)  # counting may have stored parts
    version = releases.Version.of(session, series_id, ids, k, instrument)
    version.apply(session, table)
    # A version published before (by this server or another) is shown as it was then.
    status = version.recorded(session, table)
    if status is None:
        status = protect(table.cells, k).status
        recorded = version.record(session, table, status)
        if recorded is not None:
            history |= {recorded}
            with _lock:
                _own[key] = frozenset({recorded})
                while len(_own) > CACHE_SIZE:
                    del _own[next(iter(_own))]
    decision = LinkedDecision(k, table, status)
    with _lock:
        _cache[(key, _tag(history))] = decision
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return decision


def _cache_key(
    instrument: Instrument,
    ids: tuple[int, ...],
    session: Session,
    settings: ResultSettings,
    k: int,
) -> str:
    """Digest of the workshops, k, the questionnaire and the data version, in one statement.

    The version: responses (count, newest id, edits), coded themes, and when the
    workshops' parts were last counted (deleting responses forgets the parts, so
    responses deleted and the same number collected again under the same ids still
    change it). A decision used with counts it was not made from is caught anyway
    (``Stale``).
    """
    # Themes belong to a series: through the theme index, not every answer's.
    series = select(Workshop.series_id).where(Workshop.id.in_(ids))
    coded = (
        select(func.count(AnswerTheme.id))
        .join(Theme, Theme.id == AnswerTheme.theme_id)
        .where(Theme.series_id.in_(series))
    )
    version = session.execute(
        select(
            func.count(Response.id),
            func.max(Response.id),
            func.sum(Response.revision),
            coded.scalar_subquery(),
            coded.with_only_columns(func.max(AnswerTheme.id)).scalar_subquery(),
            select(func.max(SummaryPart.computed_at))
            .where(SummaryPart.workshop_id.in_(ids))
            .scalar_subquery(),
        ).where(Response.workshop_id.in_(ids))
    ).one()
    data = tuple(str(value) for value in version)
    database = session.get_bind().engine.url.render_as_string(hide_password=True)
    raw = repr((database, ids, k, settings.cache, instrument.key, instrument.version, data))
    return hashlib.sha256(raw.encode()).hexdigest()


def _tag(history: frozenset[int]) -> str:
    """Return the part of a decision's cache key that names the series' recorded versions."""
    return ",".join(str(i) for i in sorted(history))


def clear_cache() -> None:
    """Forget every cached decision (tests)."""
    with _lock:
        _cache.clear()
        _own.clear()


class Stale(Exception):
    """A cached decision's counts differ from the data: decide again."""


@dataclass(frozen=True)
class CellStatuses:
    """The statuses of one output's cells: a part of a decision, or a sum of parts."""

    decisions: tuple[LinkedDecision, ...]
    parts: tuple[Part, ...]

    def __call__(self, address: Address, value: int | None) -> Status:
        """Return the status of a cell of this output, checking its count.

        Raises ``Stale`` when a single part's count differs from the decision's.
        """
        if self.decisions and self.decisions[0].k < 2:
            return Status.SHOWN  # protection is off
        found = []
        for decision, part in zip(self.decisions, self.parts, strict=True):
            mapped = _own_group(part, address)
            entry = (Status.SHOWN, 0) if mapped is None else decision.status_of(part, mapped)
            if entry is None:
                return Status.WITHHELD  # a cell the decision does not know: never shown
            found.append(entry)
        if len(found) == 1:
            status, count = found[0]
            if value is not None and count != value:
                raise Stale(address)
            return status
        if value is not None and sum(count for _, count in found) != value:
            raise Stale(address)
        # a sum of parts hidden in different ways: "not shown", which claims nothing
        return Status.SHOWN if all(s == Status.SHOWN for s, _ in found) else Status.WITHHELD

    @property
    def k(self) -> int:
        """Return the threshold the decisions used."""
        return self.decisions[0].k


def _own_group(part: Part, address: Address) -> Address | None:
    """Map a group's own breakdown question to what shows it: the group's size.

    Within the group "q = a", q's n and option a are the group's size, and q's other
    options are 0 (None: always shown).
    """
    group = part[1]
    if group is None or address[0] != group[0] or address[1:2] not in ((), ("option",)):
        return address
    if address[1:] in ((), ("option", group[1])):
        return RESPONSES
    return None


def statuses_for(
    decisions: list[LinkedDecision], scope_ids: list[int], group: tuple[str, str] | None
) -> CellStatuses:
    """Return the statuses of an output covering ``scope_ids`` (maybe one group)."""
    chosen: list[LinkedDecision] = []
    parts: list[Part] = []
    wanted = set(scope_ids)
    for decision in decisions:
        ids = set(decision.table.workshop_ids) & wanted
        if not ids:
            continue
        if ids == set(decision.table.workshop_ids) and len(ids) > 1:
            chosen.append(decision)
            parts.append((None, group))
        else:
            for workshop in sorted(ids):
                chosen.append(decision)
                parts.append((workshop, group))
    return CellStatuses(tuple(chosen), tuple(parts))
