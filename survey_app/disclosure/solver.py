"""Linear and integer programs over linked cells, solved by HiGHS (``scipy.optimize.milp``).

Two questions are asked of a set of cells with a status each:

- ``extreme``: how large (or small) can a linear form of the cells be, given
  everything a reader knows (the relations and what each status tells)?
- ``cheapest_alternative``: which shown cells must be hidden, at least cost, so
  that the reader's knowledge admits a point where a requirement holds (e.g. a
  small cell could be k-1)? This is the single-cell protection subproblem of
  the LP-based cell suppression heuristics (Kelly, Golden and Assad 1992;
  Fischetti and Salazar-González 1999), solved for one requirement at a time.

A hidden cell labelled "protects a small group" is 0 or at least k: where its
true value is 0 the disjunction is written with a binary variable; where it is
at least k, the programs use ``>= k`` (the branch that holds the truth), which
can only make an alternative harder to find, never easier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from survey_app.disclosure.cells import LinkedCells, Status

#: Large enough for any count of one series (a bound for "0 or at least k" binaries).
BIG = 10_000_000.0
#: Deviations below this are numerical noise.
EPSILON = 1e-6


@dataclass(frozen=True)
class Requirement:
    """A linear form of cells that must be able to reach a bound.

    ``sense`` is ``"max"`` (some feasible point has form >= bound) or ``"min"``
    (some feasible point has form <= bound).
    """

    terms: tuple[tuple[int, float], ...]
    sense: str
    bound: float
    #: The cell this protects (for reports).
    cell: int

    def met_by(self, value: float | None) -> bool:
        """Say whether an extreme value of the form meets the bound."""
        if value is None:
            return False
        if self.sense == "max":
            return value >= self.bound - EPSILON
        return value <= self.bound + EPSILON


@dataclass
class Program:
    """One program over a component of cells (indices into ``LinkedCells``)."""

    cells: LinkedCells
    members: list[int]
    rows: list[tuple[list[int], list[float]]]

    def position(self) -> dict[int, int]:
        """Return cell index -> column."""
        return {cell: column for column, cell in enumerate(self.members)}


def reader_bounds(
    cells: LinkedCells, status: Sequence[Status], k: int, index: int
) -> tuple[float, float, bool]:
    """Return ``(low, high, disjunctive)`` of what a reader knows of one cell.

    ``disjunctive`` marks a hidden zero labelled "protects": 0, or k and more.
    """
    value = cells.values[index]
    match status[index]:
        case Status.SHOWN:
            return value, value, False
        case Status.SMALL:
            return 1, k - 1, False
        case Status.PROTECTS:
            if value >= k:
                return k, np.inf, False
            return 0, BIG, True
        case _:
            return 0, np.inf, False


def extreme(
    program: Program,
    status: Sequence[Status],
    k: int,
    terms: Sequence[tuple[int, float]],
    sense: str,
    integer: bool = True,
) -> float | None:
    """Return the largest (``sense="max"``) or smallest value of ``terms`` a reader can't rule out.

    None when the reader's knowledge is contradictory (no feasible point), which
    would mean a bug in what was published.
    """
    columns = program.position()
    n = len(program.members)
    low = np.zeros(n)
    high = np.zeros(n)
    binaries: list[int] = []
    for column, cell in enumerate(program.members):
        low[column], high[column], disjunctive = reader_bounds(program.cells, status, k, cell)
        if disjunctive:
            binaries.append(column)
    objective = np.zeros(n + len(binaries))
    for cell, coefficient in terms:
        objective[columns[cell]] += coefficient
    if sense == "max":
        objective = -objective
    constraints = _rows(program, columns, n + len(binaries))
    extra = _disjunctions(binaries, n, k)
    all_low = np.concatenate([low, np.zeros(len(binaries))])
    all_high = np.concatenate([high, np.ones(len(binaries))])
    integrality = np.concatenate([np.full(n, 1 if integer else 0), np.ones(len(binaries))]).astype(
        int
    )
    result = milp(
        objective,
        constraints=[c for c in (constraints, extra) if c is not None],
        bounds=Bounds(all_low, all_high),
        integrality=integrality,
    )
    if result.status != 0 or result.fun is None:
        return None if result.status == 2 else _unbounded(sense, result.status)
    value = float(result.fun)
    return -value if sense == "max" else value


def _unbounded(sense: str, status: int) -> float | None:
    """A form that can grow without limit meets any "max" requirement.

    Status 3 is unbounded; 4 is "unbounded or infeasible" (presolve does not say which):
    the true counts are always a feasible point, so it is unbounded.
    """
    if status in (3, 4):
        return np.inf if sense == "max" else -np.inf
    return None


def _rows(program: Program, columns: dict[int, int], width: int) -> LinearConstraint | None:
    """Return the equations of a program as one sparse constraint (None without rows)."""
    if not program.rows:
        return None
    data, row_index, column_index = [], [], []
    for row, (members, coefficients) in enumerate(program.rows):
        for cell, coefficient in zip(members, coefficients, strict=True):
            data.append(coefficient)
            row_index.append(row)
            column_index.append(columns[cell])
    matrix = coo_array((data, (row_index, column_index)), shape=(len(program.rows), width))
    zeros = np.zeros(len(program.rows))
    return LinearConstraint(matrix.tocsr(), zeros, zeros)


def _disjunctions(binaries: list[int], n: int, k: int) -> LinearConstraint | None:
    """``x <= BIG * b`` and ``x >= k * b`` for each disjunctive column (0, or k and more)."""
    if not binaries:
        return None
    width = n + len(binaries)
    data, rows, cols = [], [], []
    lows, highs = [], []
    for number, column in enumerate(binaries):
        binary = n + number
        # x - BIG * b <= 0
        rows += [2 * number, 2 * number]
        cols += [column, binary]
        data += [1.0, -BIG]
        lows.append(-np.inf)
        highs.append(0.0)
        # x - k * b >= 0
        rows += [2 * number + 1, 2 * number + 1]
        cols += [column, binary]
        data += [1.0, -float(k)]
        lows.append(0.0)
        highs.append(np.inf)
    matrix = coo_array((data, (rows, cols)), shape=(2 * len(binaries), width))
    return LinearConstraint(matrix.tocsr(), np.array(lows), np.array(highs))


def cheapest_alternative(
    program: Program,
    status: Sequence[Status],
    k: int,
    requirement: Requirement,
    zeros: frozenset[int] = frozenset(),
    integer: bool = False,
    movable_cells: frozenset[int] | None = None,
) -> set[int] | None:
    """Return shown cells whose hiding lets a reader-feasible point meet ``requirement``.

    Shown, non-public cells of k or more may move (to values of k or more: they
    would be labelled "protects"); shown zeros may move only if listed in
    ``zeros`` (to k or more); only ``movable_cells`` if given. Moves cost the cell's
    weight per unit; the set of moved cells is returned (empty if the requirement is
    met already), None if no hiding of movable cells can meet it.
    """
    cells = program.cells
    columns = program.position()
    n = len(program.members)
    movable = [
        c
        for c in program.members
        if status[c] == Status.SHOWN
        and not cells.public[c]
        and cells.values[c] >= k
        and (movable_cells is None or c in movable_cells)
    ]
    zero_movers = [c for c in program.members if c in zeros and status[c] == Status.SHOWN]
    disjunctive = [c for c in program.members if reader_bounds(cells, status, k, c)[2]]
    m, z, d = len(movable), len(zero_movers), len(disjunctive)
    width = n + 2 * m + d + z
    low = np.zeros(width)
    high = np.full(width, np.inf)
    for column, cell in enumerate(program.members):
        low[column], high[column], _ = reader_bounds(cells, status, k, cell)
    cost = np.zeros(width)
    data: list[float] = []
    rows: list[int] = []
    cols: list[int] = []
    lows: list[float] = []
    highs: list[float] = []

    def equation(entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        row = len(lows)
        for column, coefficient in entries:
            rows.append(row)
            cols.append(column)
            data.append(coefficient)
        lows.append(lo)
        highs.append(hi)

    for number, cell in enumerate(movable):
        x, up, down = columns[cell], n + number, n + m + number
        value = cells.values[cell]
        low[x], high[x] = k, np.inf
        high[down] = value - k
        cost[up] = cost[down] = cells.weight[cell]
        equation([(x, 1.0), (up, -1.0), (down, 1.0)], value, value)
    for number, cell in enumerate(disjunctive + zero_movers):
        x, binary = columns[cell], n + 2 * m + number
        low[x], high[x] = 0.0, BIG
        high[binary] = 1.0
        equation([(x, 1.0), (binary, -BIG)], -np.inf, 0.0)
        equation([(x, 1.0), (binary, -float(k))], 0.0, np.inf)
        if number >= d:
            cost[binary] = cells.weight[cell] * k
    for members, coefficients in program.rows:
        equation([(columns[c], f) for c, f in zip(members, coefficients, strict=True)], 0, 0)
    form = [(columns[c], f) for c, f in requirement.terms]
    if requirement.sense == "max":
        equation(form, requirement.bound, np.inf)
    else:
        equation(form, -np.inf, requirement.bound)
    matrix = coo_array((data, (rows, cols)), shape=(len(lows), width)).tocsr()
    integrality = np.zeros(width, dtype=int)
    integrality[n + 2 * m :] = 1
    if integer:
        integrality[:n] = 1
    result = milp(
        cost,
        constraints=[LinearConstraint(matrix, np.array(lows), np.array(highs))],
        bounds=Bounds(low, high),
        integrality=integrality,
    )
    if result.status != 0 or result.x is None:
        return None
    x = result.x
    moved = {
        cell for number, cell in enumerate(movable) if x[n + number] + x[n + m + number] > EPSILON
    }
    moved |= {cell for number, cell in enumerate(zero_movers) if x[n + 2 * m + d + number] > 0.5}
    return moved
