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
from scipy.sparse import coo_array, csr_array, hstack

from survey_app.disclosure.cells import LinkedCells, Status
from survey_app.disclosure.program import Program

#: Large enough for any count of one series (a bound for "0 or at least k" binaries).
BIG = 10_000_000.0
#: Deviations below this are numerical noise.
EPSILON = 1e-6


def zero_branch(requirement: Requirement) -> frozenset[int]:
    """Return the cells a requirement needs to allow to be 0: an unanimous answer's own."""
    return frozenset({requirement.cell}) if len(requirement.terms) > 1 else frozenset()


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


def told(cells: LinkedCells, status: Sequence[Status], index: int) -> Status:
    """Return the label a reader holds for a cell: today's, or an earlier version's.

    Where today's status tells nothing ("not shown", left out below a hidden total)
    but an earlier version of the same data and k labelled the cell "fewer than k" or
    "protects", the reader still knows that label (``LinkedCells.earlier``).
    """
    now = status[index]
    if now in (Status.WITHHELD, Status.UNPUBLISHED):
        before = cells.earlier.get(index)
        if before in (Status.SMALL, Status.PROTECTS):
            return before
    return now


def reader_bounds(
    cells: LinkedCells, status: Sequence[Status], k: int, index: int
) -> tuple[float, float, bool]:
    """Return ``(low, high, disjunctive)`` of what a reader knows of one cell.

    ``disjunctive`` marks a hidden zero labelled "protects": 0, or k and more. A
    hidden count's range is narrowed by what an earlier version told of it under
    another k (``LinkedCells.bounds``).
    """
    value = cells.values[index]
    match told(cells, status, index):
        case Status.SHOWN:
            return value, value, False
        case Status.SMALL:
            low, high = 1.0, float(k - 1)
        case Status.PROTECTS:
            if value < k:
                return 0, BIG, True
            low, high = float(k), np.inf
        case _:
            low, high = 0.0, np.inf
    earlier = cells.bounds.get(index)
    if earlier is not None:
        low, high = max(low, earlier[0]), min(high, earlier[1])
    return low, high, False


def extreme(
    program: Program,
    status: Sequence[Status],
    k: int,
    terms: Sequence[tuple[int, float]],
    sense: str,
    integer: bool = True,
    either: frozenset[int] = frozenset(),
) -> float | None:
    """Return the largest (``sense="max"``) or smallest value of ``terms`` a reader can't rule out.

    A hidden cell of k or more is taken as at least k (the branch holding the truth:
    a subset of what a reader must allow, so a bound reached is reached for them),
    except those in ``either``, which may also be 0. None when the reader's
    knowledge is contradictory (no feasible point), which
    would mean a bug in what was published.
    """
    columns = program.position()
    n = len(program.members)
    low = np.zeros(n)
    high = np.zeros(n)
    binaries: list[int] = []
    for column, cell in enumerate(program.members):
        low[column], high[column], disjunctive = reader_bounds(program.cells, status, k, cell)
        if disjunctive or (cell in either and told(program.cells, status, cell) == Status.PROTECTS):
            low[column], high[column] = 0, BIG
            binaries.append(column)
    objective = np.zeros(n + len(binaries))
    for cell, coefficient in terms:
        objective[columns[cell]] += coefficient
    if sense == "max":
        objective = -objective
    constraints = _rows(program, n + len(binaries))
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


def _rows(program: Program, width: int) -> LinearConstraint | None:
    """Return the equations of a program as one sparse constraint (None without rows)."""
    if not program.rows:
        return None
    matrix = program.matrix()
    padding = csr_array((matrix.shape[0], width - matrix.shape[1]))
    zeros = np.zeros(matrix.shape[0])
    return LinearConstraint(hstack([matrix, padding], format="csr"), zeros, zeros)


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
    ``zeros`` (to k or more; a hidden cell listed there may also be 0, as a reader
    must allow); only ``movable_cells`` if given. Moves cost the cell's
    weight per unit; the set of moved cells is returned (empty if the requirement is
    met already), None if no hiding of movable cells can meet it.

    Variables: the cells x, moves up u and down l of each movable cell, and a binary
    per hidden or movable zero ("0, or k and more").
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
    low = np.zeros(n)
    high = np.zeros(n)
    disjunctive = []
    for column, cell in enumerate(program.members):
        low[column], high[column], either = reader_bounds(cells, status, k, cell)
        if either or (cell in zeros and told(cells, status, cell) == Status.PROTECTS):
            disjunctive.append(cell)
    binaries = disjunctive + zero_movers
    m, z = len(movable), len(binaries)
    move_columns = np.array([columns[c] for c in movable], dtype=int)
    values = np.array([cells.values[c] for c in movable], dtype=float)
    low[move_columns], high[move_columns] = k, np.inf
    binary_columns = np.array([columns[c] for c in binaries], dtype=int)
    low[binary_columns], high[binary_columns] = 0.0, BIG

    form_columns = np.array([columns[c] for c, _ in requirement.terms], dtype=int)
    form_data = np.array([f for _, f in requirement.terms], dtype=float)
    relations = program.triplets()
    r = len(program.rows)
    move_rows = r + np.arange(m)
    upper_rows = r + m + np.arange(z)
    lower_rows = r + m + z + np.arange(z)
    binary_ids = n + 2 * m + np.arange(z)
    row_ids = np.concatenate(
        [relations[0], move_rows, move_rows, move_rows, upper_rows, upper_rows, lower_rows]
        + [lower_rows, np.full(len(form_columns), r + m + 2 * z)]
    )
    column_ids = np.concatenate(
        [relations[1], move_columns, n + np.arange(m), n + m + np.arange(m), binary_columns]
        + [binary_ids, binary_columns, binary_ids, form_columns]
    )
    data = np.concatenate(
        [relations[2], np.ones(m), -np.ones(m), np.ones(m), np.ones(z), np.full(z, -BIG)]
        + [np.ones(z), np.full(z, -float(k)), form_data]
    )
    width = n + 2 * m + z
    matrix = coo_array((data, (row_ids, column_ids)), shape=(r + m + 2 * z + 1, width)).tocsr()
    bound_row = (
        ([requirement.bound], [np.inf])
        if requirement.sense == "max"
        else ([-np.inf], [requirement.bound])
    )
    rows_low = np.concatenate([np.zeros(r), values, np.full(z, -np.inf), np.zeros(z), bound_row[0]])
    rows_high = np.concatenate([np.zeros(r), values, np.zeros(z), np.full(z, np.inf), bound_row[1]])
    bounds_low = np.concatenate([low, np.zeros(m), np.zeros(m), np.zeros(z)])
    bounds_high = np.concatenate([high, np.full(m, np.inf), values - k, np.ones(z)])
    cost = np.zeros(width)
    weights = np.array([program.cost(c, status) for c in movable])
    cost[n : n + m] = weights
    cost[n + m : n + 2 * m] = weights
    movers = np.array([program.cost(c, status) * k for c in zero_movers])
    cost[n + 2 * m + len(disjunctive) :] = movers
    integrality = np.zeros(width, dtype=int)
    integrality[n + 2 * m :] = 1
    if integer:
        integrality[:n] = 1
    result = milp(
        cost,
        constraints=[LinearConstraint(matrix, rows_low, rows_high)],
        bounds=Bounds(bounds_low, bounds_high),
        integrality=integrality,
    )
    if result.status != 0 or result.x is None:
        return None
    x = result.x
    moved = {c for i, c in enumerate(movable) if x[n + i] + x[n + m + i] > EPSILON}
    start = n + 2 * m + len(disjunctive)
    moved |= {c for i, c in enumerate(zero_movers) if x[start + i] > 0.5}
    return moved
