"""The release history of a series: each published version's statuses, fixed for the next.

Published results cover a series' closed workshops, so they change when a workshop
closes. A reader who kept the earlier version (the series of A, B and C) and reads
the later one (A, B, C and D) can subtract the two: the difference is D's counts,
whatever D's own results hide. Protecting each version alone does not stop that.

So every published decision is recorded (``record``) with what it showed, and the
next decision of the series takes each earlier version in as what a reader
already knows (``apply``), in the manner of protecting a table that is released
again with new rows (the "linked tables over time" case of Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, section 4.4):

- a count an earlier version showed is known for good (``LinkedCells.told_before``:
  public, never hidden again); a label it gave ("fewer than k", "protects") is kept;
- an earlier version's series total over workshops S is a further cell of the
  current linked set, the sum of those workshops' current cells, shown where it
  was shown. Hiding then decides with "series now minus series before" in view.

Only shown counts are stored, never a hidden one: the values of the earlier totals
are the sums of today's counts, which are checked against what was shown. An
earlier version whose shown counts no longer match today's data (a closed workshop
reopened and changed, responses deleted) is used only where it still matches; what
its changed counts told is not modelled (README, "Known limits").
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey_app.database import holds_write_lock, writing_session
from survey_app.definition.model import Instrument
from survey_app.disclosure import LinkedCells, Status
from survey_app.disclosure.protect import initial_status
from survey_app.models import Answer, AnswerTheme, Release, Response, Workshop
from survey_app.results.linked import LinkedTable, Part

#: One stored cell: ``(workshop | None, group | None, address, status, count | None)``.
Stored = tuple[int | None, tuple[str, str | None] | None, tuple[Any, ...], Status, int | None]


def history(session: Session, series_id: int | None) -> frozenset[int]:
    """Return the ids of the series' recorded versions (part of a decision's cache key)."""
    if series_id is None:
        return frozenset()
    return frozenset(session.scalars(select(Release.id).where(Release.series_id == series_id)))


def series_of(session: Session, workshop_ids: Sequence[int]) -> int | None:
    """Return the series of a linked set's workshops (None: a workshop without one)."""
    if not workshop_ids:
        return None
    return session.scalar(select(Workshop.series_id).where(Workshop.id == workshop_ids[0]))


@dataclass(frozen=True)
class Version:
    """One version of a series' published results: its closed workshops, k and data.

    ``series_id`` None (results not published, or workshops without a series): no
    history; ``apply`` and ``record`` do nothing.
    """

    series_id: int | None
    workshop_ids: tuple[int, ...]
    k: int
    #: ``data_versions`` of the workshops.
    data: dict[str, list[str]]
    #: Names the version: workshops, k, questionnaire and data.
    digest: str

    @classmethod
    def of(
        cls,
        session: Session,
        series_id: int | None,
        workshop_ids: Sequence[int],
        k: int,
        instrument: Instrument,
    ) -> Version:
        """Return the version of these workshops' data now (one grouped query each)."""
        ids = tuple(sorted(workshop_ids))
        if series_id is None:
            return cls(None, ids, k, {}, "")
        data = data_versions(session, ids)
        raw = repr((ids, k, instrument.key, instrument.version, sorted(data.items())))
        return cls(series_id, ids, k, data, hashlib.sha256(raw.encode()).hexdigest())

    def _earlier(self) -> tuple[ColumnElement[bool], ...]:
        """The releases of the series other than this very version."""
        return (Release.series_id == self.series_id, Release.digest != self.digest)

    def apply(self, session: Session, table: LinkedTable) -> int:
        """Take every earlier version of the series into the linked table (in place).

        What a version told of a workshop is taken in while the workshop's data is as
        it was then (``data_versions``); a shown series total, while today's cells of
        its workshops add up to it; a hidden one, while every workshop it adds up is
        unchanged. Returns how many earlier versions there were.
        """
        if self.series_id is None:
            return 0
        releases = session.scalars(select(Release).where(*self._earlier()).order_by(Release.id))
        count = 0
        current = set(table.workshop_ids)
        for release in releases:
            count += 1
            earlier = set(release.workshop_ids)
            same = {int(w) for w, data in release.versions.items() if self.data.get(w) == data}
            whole = earlier <= same
            labels = release.min_group_size == self.k
            for workshop, group, address, told, shown in _unpack(release.cells):
                labelled = told if labels else None
                # A shown total holds while today's sum of its workshops' cells is what
                # was shown (checked cell by cell), whatever else of theirs changed
                # (coded themes, a reopening); a label only while none changed.
                holds = whole or shown is not None
                if workshop in same or (workshop is None and holds and earlier == current):
                    part = (workshop, group)
                    _known_cell(table, part, address, told, labelled, shown, release.min_group_size)
                elif workshop is None and holds and earlier < current and len(earlier) > 1:
                    ids = tuple(sorted(earlier))
                    _earlier_total(table, release.id, ids, group, address, labelled, shown)
        return count

    def record(self, session: Session, table: LinkedTable, status: Sequence[Status]) -> int | None:
        """Store what this version's decision tells (once per series and version).

        Page reads write it in a transaction of their own, so a read stays a read;
        where the session holds SQLite's write lock (commands, tests), in the session's
        own transaction (a savepoint), kept when the caller commits. Two servers
        recording the same version at once keep one. Returns the release's id.
        """
        if self.series_id is None:
            return None
        rows = []
        for (workshop, group), addresses in table.parts.items():
            for address, index in addresses.items():
                told = status[index]
                if told == Status.UNPUBLISHED:
                    continue
                count = table.cells.values[index] if told == Status.SHOWN else None
                rows.append([workshop, group, list(address), told.value, count])
        release = Release(
            series_id=self.series_id,
            digest=self.digest,
            workshop_ids=list(self.workshop_ids),
            versions=self.data,
            min_group_size=self.k,
            cells=zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 6),
        )
        if holds_write_lock(session):
            found = self._recorded(session)
            if found is None:
                with session.begin_nested():
                    session.add(release)
                return release.id
            return found
        with writing_session(session) as own:
            found = self._recorded(own)
            if found is not None:
                return found
            own.add(release)
            try:
                own.commit()
            except IntegrityError:
                own.rollback()  # another server recorded it first
                return self._recorded(own)
            return release.id

    def recorded(self, session: Session, table: LinkedTable) -> list[Status] | None:
        """Return the statuses this very version was published with (None: not yet).

        Every cell of ``table`` (built from the same data) gets its recorded status;
        a cell not recorded was not published; the earlier versions' totals
        (``apply``) keep what they were known as.
        """
        if self.series_id is None:
            return None
        packed = session.scalar(
            select(Release.cells).where(
                Release.series_id == self.series_id, Release.digest == self.digest
            )
        )
        if packed is None:
            return None
        status = initial_status(table.cells, self.k)
        for addresses in table.parts.values():
            for index in addresses.values():
                status[index] = Status.UNPUBLISHED
        for workshop, group, address, told, _ in _unpack(packed):
            cell = table.index((workshop, group), address)
            if cell is not None:
                status[cell] = told
        return status

    def is_recorded(self, session: Session) -> bool:
        """Say whether this version's decision is recorded (by any server): reading it is quick."""
        return self.series_id is None or self._recorded(session) is not None

    def _recorded(self, session: Session) -> int | None:
        """Return the id of this version's release (None: not recorded)."""
        found = select(Release.id).where(
            Release.series_id == self.series_id, Release.digest == self.digest
        )
        return session.scalar(found)


def data_versions(session: Session, workshop_ids: Sequence[int]) -> dict[str, list[str]]:
    """Return each workshop's data version: what its counts were made from.

    ``{str(id): [responses, newest id, revisions, largest submission id, codings,
    newest coding, coded answers, themes]}`` (as text, for JSON). Deleting responses
    changes the count; as many collected again (SQLite may reuse the ids) come with
    new random submission ids. Reopening and closing a workshop without new answers
    changes nothing: what was published of it still holds.
    """
    ids = list(workshop_ids)
    versions = {str(w): ["0", "0", "0", "", "0", "0", "0", "0"] for w in ids}
    answered = select(
        Response.workshop_id,
        func.count(Response.id),
        func.max(Response.id),
        func.sum(Response.revision),
        func.max(Response.submission_id),
    ).where(Response.workshop_id.in_(ids))
    for workshop, *found in session.execute(answered.group_by(Response.workshop_id)):
        versions[str(workshop)][0:4] = [str(v or 0) for v in found[:3]] + [str(found[3] or "")]
    coded = (
        select(
            Response.workshop_id,
            func.count(AnswerTheme.id),
            func.max(AnswerTheme.id),
            func.sum(AnswerTheme.answer_id),
            func.sum(AnswerTheme.theme_id),
        )
        .join(Answer, Answer.id == AnswerTheme.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.workshop_id.in_(ids))
    )
    for workshop, *found in session.execute(coded.group_by(Response.workshop_id)):
        versions[str(workshop)][4:8] = [str(v or 0) for v in found]
    return versions


def _unpack(packed: bytes) -> Iterator[Stored]:
    """Yield the stored cells of a release."""
    for workshop, group, address, told, count in json.loads(zlib.decompress(packed)):
        yield (
            workshop,
            None if group is None else (group[0], group[1]),
            tuple(address),
            Status(told),
            count,
        )


def _known_cell(
    table: LinkedTable,
    part: Part,
    address: tuple[Any, ...],
    told: Status,
    labelled: Status | None,
    count: int | None,
    k_then: int,
) -> None:
    """Record what an earlier version told of a cell of this table, if it still holds.

    A label given under another k (``labelled`` None) is kept as the range it told:
    "fewer than k" 1..k-1, "protects" k and more (a hidden zero: nothing more than
    today's label tells).
    """
    index = table.index(part, address)
    if index is None:
        return
    cells = table.cells
    if told == Status.SHOWN:
        if count == cells.values[index]:
            cells.told_before(index, Status.SHOWN)
    elif labelled is not None and cells.published[index]:
        cells.told_before(index, labelled)
    elif told == Status.SMALL:
        cells.told_range(index, 1, k_then - 1)
    elif told == Status.PROTECTS and cells.values[index] >= k_then:
        cells.told_range(index, k_then, float("inf"))


def _earlier_total(
    table: LinkedTable,
    release_id: int,
    workshops: tuple[int, ...],
    group: tuple[str, str | None] | None,
    address: tuple[Any, ...],
    labelled: Status | None,
    count: int | None,
) -> None:
    """Add an earlier version's total over ``workshops`` as the sum of their cells now."""
    members = [table.index((workshop, group), address) for workshop in workshops]
    if any(member is None for member in members):
        return
    cells = table.cells
    found = [member for member in members if member is not None]
    value = sum(cells.values[member] for member in found)
    if count is not None and count != value:
        return  # the data changed since: this total no longer describes it
    first = found[0]
    index = _add_total(cells, ("release", release_id, group, address), value, first)
    cells.sum_of(index, found)
    # A label given under another k says something this k's labels cannot: the total
    # counts as shown (a reader is taken to know more than they do, never less).
    cells.told_before(index, Status.SHOWN if labelled is None or count is not None else labelled)


def _add_total(cells: LinkedCells, key: tuple[Any, ...], value: int, like: int) -> int:
    """Add a cell not printed now but known from before, in the block of ``like``."""
    return cells.add(
        key,
        value,
        published=True,
        weight=cells.weight[like],
        block=cells.block[like],
        protected=cells.protected[like],
    )
