"""One linear program over a block of linked cells: its columns, relations and costs."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
from scipy.sparse import coo_array, csr_array

from survey_app.disclosure.cells import LinkedCells, Status, is_same, partners_of


def published_below(cells: LinkedCells) -> dict[int, list[int]]:
    """Return ``{total: published cells below it}``, through every level of parents."""
    below: dict[int, list[int]] = {}
    for child in range(len(cells)):
        if not cells.published[child]:
            continue
        seen = {child}
        parent = cells.parent.get(child)
        while parent is not None and parent not in seen:
            below.setdefault(parent, []).append(child)
            seen.add(parent)
            parent = cells.parent.get(parent)
    return below


@dataclass
class Program:
    """One program over a component of cells (indices into ``LinkedCells``)."""

    cells: LinkedCells
    members: list[int]
    rows: list[tuple[list[int], list[float]]]
    #: total -> the published cells below it (``published_below``), shared by programs.
    below: dict[int, list[int]] | None = None
    _position: dict[int, int] | None = None
    _matrix: csr_array | None = None
    _sums: dict[int, list[int]] | None = None
    _summed: list[list[int]] | None = None
    _partners: dict[int, list[int]] | None = None
    _triplets: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    _pickers: dict[int, Callable[[Sequence[Status]], tuple[Status, ...]]] = field(
        default_factory=dict
    )

    def position(self) -> dict[int, int]:
        """Return cell index -> column (computed once)."""
        if self._position is None:
            self._position = {cell: column for column, cell in enumerate(self.members)}
        return self._position

    def cost(self, cell: int, status: Sequence[Status]) -> float:
        """Return the cost per unit of moving a cell: its weight, times what it covers.

        Hiding a total leaves out every published cell below it that is still shown
        or labelled (a question's n: its options; a group's size: the whole group), so
        its weight counts once for itself and once for each of them: hiding a
        question is never cheaper than hiding a few of its options, and hiding a
        group whose answers are left out already costs little more than its size.
        """
        if self.below is None:
            self.below = published_below(self.cells)
        below = self.below.get(cell, ())
        if len(below) < 2:
            covered = sum(1 for c in below if status[c] != Status.UNPUBLISHED)
        else:  # a C loop: totals of a series' group have thousands of cells below
            if cell not in self._pickers:
                self._pickers[cell] = itemgetter(*below)
            covered = len(below) - self._pickers[cell](status).count(Status.UNPUBLISHED)
        return self.cells.weight[cell] * (1 + covered)

    def matrix(self) -> csr_array:
        """Return the relations as a sparse matrix, rows x members (computed once)."""
        if self._matrix is None:
            columns = self.position()
            data, rows, cols = [], [], []
            for row, (members, coefficients) in enumerate(self.rows):
                rows += [row] * len(members)
                cols += [columns[c] for c in members]
                data += list(coefficients)
            shape = (len(self.rows), len(self.members))
            self._matrix = coo_array((data, (rows, cols)), shape=shape).tocsr()
        return self._matrix

    def triplets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the relations' (rows, columns, coefficients) as COO arrays, once."""
        if self._triplets is None:
            coo = self.matrix().tocoo()
            self._triplets = (coo.row, coo.col, coo.data)
        return self._triplets

    def sums(self) -> dict[int, list[int]]:
        """Return member -> the totals it is summed into, over the rows that are sums.

        A sum row starts with its total at -1 and adds its parts at +1; a ``same`` row
        (two cells, one count, starting at +1) is no sum. Computed once.
        """
        if self._sums is None:
            self._sums = {}
            for members, coefficients in self.rows:
                if is_same(coefficients):
                    continue
                parents = [m for m, c in zip(members, coefficients, strict=True) if c < 0]
                for member, coefficient in zip(members, coefficients, strict=True):
                    if coefficient > 0:
                        self._sums.setdefault(member, []).extend(parents)
        return self._sums

    def summed(self) -> list[list[int]]:
        """Return the parts of each sum row (the cells at +1), in row order. Computed once."""
        if self._summed is None:
            self._summed = [
                [m for m, c in zip(members, coefficients, strict=True) if c > 0]
                for members, coefficients in self.rows
                if not is_same(coefficients)
            ]
        return self._summed

    def partners(self) -> dict[int, list[int]]:
        """Return cell -> the cells a ``same`` row says hold its count. Computed once."""
        if self._partners is None:
            self._partners = partners_of(self.rows)
        return self._partners

    def children(self) -> dict[int, list[int]]:
        """Return total -> the cells whose parent it is (``LinkedCells.children``)."""
        return self.cells.children()


class Blocks:
    """The backbone (block None) and each block with the backbone, as programs.

    Raises ValueError if a relation joins two blocks other than through the backbone.
    """

    def __init__(self, cells: LinkedCells) -> None:
        self.cells = cells
        self.members: dict[Hashable, list[int]] = {None: []}
        for index, block in enumerate(cells.block):
            self.members.setdefault(block, []).append(index)
        self.rows: dict[Hashable, list[tuple[list[int], list[float]]]] = {
            block: [] for block in self.members
        }
        for row in cells.rows:
            found = {cells.block[cell] for cell in row[0]} - {None}
            if len(found) > 1:
                raise ValueError(f"a relation joins blocks {sorted(map(repr, found))}")
            self.rows[next(iter(found)) if found else None].append(row)
        self.order: list[Hashable] = list(self.members)
        self._programs: dict[Hashable, Program] = {}
        self._below: dict[int, list[int]] | None = None

    def program(self, block: Hashable) -> Program:
        """Return the program of ``block`` with the backbone (the backbone alone for None)."""
        if block not in self._programs:
            members = list(self.members[None])
            rows = list(self.rows[None])
            if block is not None:
                members += self.members[block]
                rows += self.rows[block]
            if self._below is None:
                self._below = published_below(self.cells)
            self._programs[block] = Program(self.cells, members, rows, self._below)
        return self._programs[block]

    def backbone(self, status: Sequence[Status]) -> tuple[Status, ...]:
        """Return the statuses of the backbone's cells (what every block is decided with)."""
        return tuple(status[c] for c in self.members[None])

    def block_of(self, cell: int) -> Hashable:
        """Return the block of a cell."""
        return self.cells.block[cell]
