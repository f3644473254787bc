"""One linear program over a block of linked cells: its columns, relations and costs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scipy.sparse import coo_array, csr_array

from survey_app.disclosure.cells import LinkedCells, Status


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
        covered = sum(1 for c in self.below.get(cell, ()) if status[c] != Status.UNPUBLISHED)
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
