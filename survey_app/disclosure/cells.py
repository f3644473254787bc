"""The linked set of count cells a reader can get, and what each cell's label tells.

A ``LinkedCells`` holds every count the outputs of one linked set publish (or that
follow from them), the linear relations a reader knows between them (a total is the
sum of its parts), and the cells whose disclosure rules need protecting. It is
pure data: ``protect`` decides what to hide, ``audit`` computes what a reader can
still work out.

What a reader knows about a cell, by its status:

- ``SHOWN``: its value.
- ``SMALL``: labelled "fewer than k": a value from 1 to k-1.
- ``PROTECTS``: labelled "not shown (protects a small group)": so not 1 to k-1,
  that is 0 or at least k.
- ``WITHHELD``: labelled "not shown", which says nothing of its value: any value
  from 0 up (used where "fewer than k" labels beside each other would narrow each
  other down, e.g. eleven small bins of a histogram of 14 answers).
- ``UNPUBLISHED``: never printed (e.g. how many did *not* choose an option, or the
  respondents in no breakdown group): any value from 0 up, within the relations.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

#: A cell's name, e.g. ``(part, ("q1", "option", "a"))``; any hashable value.
Key = Hashable


class Status(StrEnum):
    """What a reader is told about a cell."""

    SHOWN = "shown"
    SMALL = "small"
    PROTECTS = "protects"
    WITHHELD = "withheld"
    UNPUBLISHED = "unpublished"


@dataclass
class LinkedCells:
    """Count cells, the sums a reader knows, and the groups whose answers need protecting.

    ``rows`` are linear equations ``sum(coefficient * cell) == 0``. ``unanimity``
    lists ``(total, member, members)``: the members of a partition of ``total``,
    one of which (``member``) may hold every respondent of the total; a reader
    must then not be able to tell that everyone gave that answer.
    """

    keys: list[Key] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    #: Printed somewhere (else only implied by the relations).
    published: list[bool] = field(default_factory=list)
    #: Always shown, never sensitive (e.g. how many took part in a workshop).
    public: list[bool] = field(default_factory=list)
    #: A count of 1 to k-1 needs protecting (not so for e.g. how many skipped a question:
    #: that says nothing about anyone's answer).
    protected: list[bool] = field(default_factory=list)
    #: The cost of hiding the cell (information lost); higher for totals.
    weight: list[float] = field(default_factory=list)
    #: Which block the cell belongs to: cells of different blocks meet only through
    #: cells of block None (the backbone, e.g. group sizes), so each block is decided
    #: with the backbone alone. None everywhere: one program for all.
    block: list[Hashable] = field(default_factory=list)
    index: dict[Key, int] = field(default_factory=dict)
    rows: list[tuple[list[int], list[float]]] = field(default_factory=list)
    unanimity: list[tuple[int, int, list[int]]] = field(default_factory=list)
    #: child -> parent: a hidden parent (a group's size, a question's n) hides what
    #: lies below it without labels (the reader sees one "not shown" for the block).
    parent: dict[int, int] = field(default_factory=dict)
    #: What an earlier published version labelled a cell that it did not show
    #: (``told_before``): the next version starts from that label.
    earlier: dict[int, Status] = field(default_factory=dict)
    #: What an earlier version's label under another k told of a hidden count:
    #: ``(low, high)`` ("fewer than 5" before k became 6: 1 to 4), see ``told_range``.
    bounds: dict[int, tuple[float, float]] = field(default_factory=dict)
    _children: tuple[int, dict[int, list[int]]] | None = field(
        default=None, repr=False, compare=False
    )
    _partners: tuple[int, dict[int, list[int]]] | None = field(
        default=None, repr=False, compare=False
    )

    def add(
        self,
        key: Key,
        value: int,
        *,
        published: bool = True,
        public: bool = False,
        weight: float = 1.0,
        block: Hashable = None,
        protected: bool = True,
    ) -> int:
        """Add a cell (or return the existing one of that key); return its index.

        Raises ValueError if the key exists with another value: one cell, one count.
        """
        if key in self.index:
            existing = self.index[key]
            if self.values[existing] != value:
                raise ValueError(
                    f"cell {key!r} has two values: {self.values[existing]} and {value}"
                )
            self.published[existing] = self.published[existing] or published
            self.public[existing] = self.public[existing] or public
            return existing
        self.index[key] = len(self.keys)
        self.keys.append(key)
        self.values.append(int(value))
        self.published.append(published)
        self.public.append(public)
        self.protected.append(protected)
        self.weight.append(weight)
        self.block.append(block)
        return self.index[key]

    def below(self, child: int, parent: int) -> None:
        """Record that ``child`` is shown under ``parent`` (hidden with it)."""
        if child != parent:
            self.parent.setdefault(child, parent)

    def sum_of(self, total: int, members: Iterable[int]) -> None:
        """Record that ``total`` is the sum of ``members`` (cell indices).

        The row lists the total first, with coefficient -1 (``same`` rows start with +1).
        """
        members = list(members)
        if not members:
            return
        self.rows.append(([total, *members], [-1.0] + [1.0] * len(members)))

    def weighted_sum(self, total: int, members: list[int], weights: list[float]) -> None:
        """Record that ``total`` is ``sum(weight * member)`` (e.g. Borda points of places)."""
        if members:
            self.rows.append(([total, *members], [-1.0, *weights]))

    def same(self, first: int, second: int) -> None:
        """Record that two cells hold the same count (e.g. a group's size, twice)."""
        if first != second:
            self.rows.append(([first, second], [1.0, -1.0]))

    def partition(self, total: int, members: list[int]) -> None:
        """Record a total split into answers, each respondent in exactly one of them.

        Besides the sum, each published member may be a unanimous answer of a group,
        and the members are shown under the total.
        """
        self.sum_of(total, members)
        for member in members:
            self.below(member, total)
        if len(members) >= 2:
            for member in members:
                if self.published[member]:
                    self.unanimity.append((total, member, members))

    def told_before(self, index: int, status: Status) -> None:
        """Record what an earlier version told a reader of a cell with the same count.

        A count shown before is known for good: it is public (shown, never hidden
        again, as any count everyone may know). A label ("fewer than k", "protects",
        "not shown") is kept: the cell starts hidden the same way, so a reader of
        both versions learns nothing the two labels tell together.
        """
        if status == Status.SHOWN:
            self.public[index] = True
            self.published[index] = True
        elif status == Status.WITHHELD and self.earlier.get(index) in (
            Status.SMALL,
            Status.PROTECTS,
        ):
            return  # a later "not shown" takes nothing away from what a label told
        elif status != Status.UNPUBLISHED:
            self.earlier[index] = status

    def told_range(self, index: int, low: float, high: float) -> None:
        """Record that a reader knows a cell's count lies in ``low..high`` (both included).

        From an earlier version's label given under another k: the reader keeps what
        it told, whatever today's k labels. Narrows any range recorded before.
        """
        before = self.bounds.get(index, (0.0, float("inf")))
        self.bounds[index] = (max(before[0], low), min(before[1], high))

    def children(self) -> dict[int, list[int]]:
        """Return total -> the cells shown under it (``parent`` turned round), kept up to date."""
        if self._children is None or self._children[0] != len(self.parent):
            below: dict[int, list[int]] = {}
            for child, parent in self.parent.items():
                below.setdefault(parent, []).append(child)
            self._children = (len(self.parent), below)
        return self._children[1]

    def partners(self) -> dict[int, list[int]]:
        """Return cell -> the cells a ``same`` row says hold its count, kept up to date."""
        if self._partners is None or self._partners[0] != len(self.rows):
            self._partners = (len(self.rows), partners_of(self.rows))
        return self._partners[1]

    def __len__(self) -> int:
        return len(self.keys)


def is_same(coefficients: Sequence[float]) -> bool:
    """Say whether a row is ``LinkedCells.same`` (two cells, one count; it starts with +1).

    Every other row starts with its total, at -1.
    """
    return coefficients[0] > 0


def partners_of(rows: Iterable[tuple[list[int], list[float]]]) -> dict[int, list[int]]:
    """Return cell -> the cells that ``same`` rows among ``rows`` say hold its count."""
    found: dict[int, list[int]] = {}
    for members, coefficients in rows:
        if is_same(coefficients):
            first, second = members
            found.setdefault(first, []).append(second)
            found.setdefault(second, []).append(first)
    return found


def primary_status(cells: LinkedCells, index: int, k: int) -> Status | None:
    """Return SMALL for a published, non-public count of 1 to k-1, else None."""
    value = cells.values[index]
    if cells.public[index] or not 0 < value < k:
        return None
    return Status.SMALL if cells.published[index] else None


def sensitive(cells: LinkedCells, index: int, k: int) -> bool:
    """Say whether a cell's count is 1 to k-1 and needs protecting (published or not)."""
    return cells.protected[index] and not cells.public[index] and 0 < cells.values[index] < k
