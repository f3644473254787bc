"""Settle a one-cell requirement on the relations around the cell (row generation).

Asking a whole block's linear program for a cell's extreme takes hundreds of simplex
steps (0.2-0.3 s on a block of 9,000 cells); most requirements are decided by the
few relations around the cell. ``local_reach`` solves a small program on those:

- the rows of a subset R of the relations, whole, over their cells S (every other
  relation is dropped, every cell outside S is left out): a *relaxation* of what a
  reader knows. If the cell cannot reach its target there, it cannot reach it in the
  whole program either: *not met*, exactly.
- otherwise the point of the relaxation closest to the truth (least total change,
  an l1 distance) with the cell at its target; every cell outside S keeps its true
  value. Where that point breaks no dropped relation, it is a point of the whole
  program: *met*, exactly, with the point as witness. Where it breaks some, they are
  added to R and the program solved again (row generation), up to ``MAX_CELLS``;
  beyond that the caller asks the whole program.

It serves a model asked once or a few times: what the public totals alone leave
open (``reader.PublicKnowledge``), asked only where no hiding met a requirement. A
block's own reader model asks its whole program instead: each optimum pushes many
cells to their extremes at once, and those points settle later requirements with no
program at all, which the nearest points found here do not (on a block of 9,000
cells, using this there too took as long as before).

The relations are homogeneous (``A x = 0``, ``truth`` a solution), so a point's
residual is the matrix times its change from the truth, only on the changed cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_array, csr_array, hstack, identity, vstack

from survey_app.disclosure.solver import EPSILON, Requirement

#: Beyond this many cells in the local program, the whole program is asked instead.
MAX_CELLS = 3000
#: The extra cost, per relation not yet in the local program, of changing a cell.
OUTSIDE_COST = 10.0
#: A change of a cell smaller than this is none.
TOLERANCE = 1e-7


@dataclass
class Reach:
    """What the local program decided: ``met`` (True/False) or None (ask the whole program)."""

    met: bool | None
    #: The witness (every column's value) when met, else None.
    point: np.ndarray | None = None
    #: Whether the witness is in whole numbers.
    integral: bool = False


def local_reach(
    rows: csr_array,
    columns: csc_array,
    lower: np.ndarray,
    upper: np.ndarray,
    truth: np.ndarray,
    column: int,
    requirement: Requirement,
    rounds: int = 8,
) -> Reach:
    """Say whether ``column`` can reach the bound of a one-cell ``requirement`` (its cell's).

    ``rows``/``columns``: the relations (relations x cells) as CSR and CSC; ``lower``,
    ``upper``: each cell's bounds (``inf`` allowed); ``truth``: a point within the
    bounds that meets every relation. Exact for linear programming; the witness is
    checked against every relation and bound before it is trusted.
    """
    in_rows = set(columns.indices[columns.indptr[column] : columns.indptr[column + 1]].tolist())
    cells = {column} | _cells_of(rows, in_rows)
    for _ in range(rounds):
        if len(cells) > MAX_CELLS:
            return Reach(None)
        point = _closest(
            rows,
            columns,
            lower,
            upper,
            truth,
            sorted(in_rows),
            sorted(cells),
            column,
            requirement.sense,
            requirement.bound,
        )
        if point is None:
            return Reach(False)  # not even the relaxation reaches it
        if not len(point):
            return Reach(None)  # the solver failed: ask the whole program
        changed = np.flatnonzero(np.abs(point - truth) > TOLERANCE)
        broken = _broken_rows(columns, point - truth, changed) - in_rows
        if not broken:
            break
        in_rows |= broken
        cells |= _cells_of(rows, broken)
    else:
        return Reach(None)  # still breaking relations after ``rounds`` rounds
    if not feasible(rows, lower, upper, point, TOLERANCE):
        return Reach(None)
    rounded = np.round(point)
    integral = feasible(rows, lower, upper, rounded, TOLERANCE) and requirement.met_by(
        rounded[column]
    )
    return Reach(True, rounded if integral else point, integral)


def _closest(
    rows: csr_array,
    columns: csc_array,
    lower: np.ndarray,
    upper: np.ndarray,
    truth: np.ndarray,
    in_rows: list[int],
    cells: list[int],
    column: int,
    sense: str,
    target: float,
) -> np.ndarray | None:
    """Return the point of the relaxation nearest the truth with ``column`` at ``target``.

    Variables: the cells' values x and their distances e >= |x - truth| (two
    inequalities each); minimise the sum of e. None if infeasible; an empty array
    if the solver failed otherwise.
    """
    n = len(cells)
    equalities = rows[in_rows][:, cells]
    low = lower[cells].copy()
    high = upper[cells].copy()
    here = cells.index(column)
    if sense == "max":
        low[here] = max(low[here], target)
    else:
        high[here] = min(high[here], target)
    if np.any(low > high + TOLERANCE):
        return None  # the target lies outside the cell's own bounds
    # a change of a cell with relations not yet in the program is likely to break one
    outside = np.diff(columns.indptr)[cells] - np.asarray((abs(equalities) > 0).sum(axis=0)).ravel()
    cost = 1.0 + OUTSIDE_COST * outside
    eye = identity(n, format="csr")
    # x - e <= truth and -x - e <= -truth
    inequalities = vstack([hstack([eye, -eye]), hstack([-eye, -eye])], format="csr")
    base = truth[cells]
    result = linprog(
        np.concatenate([np.zeros(n), cost]),
        A_ub=inequalities,
        b_ub=np.concatenate([base, -base]),
        A_eq=hstack([equalities, csr_array((len(in_rows), n))], format="csr"),
        b_eq=np.zeros(len(in_rows)),
        bounds=list(zip(low, [None if np.isinf(h) else h for h in high], strict=True))
        + [(0, None)] * n,
        method="highs",
    )
    if result.status == 2:  # infeasible
        return None
    if result.status != 0:
        return np.zeros(0)
    point = truth.astype(float).copy()
    point[cells] = result.x[:n]
    return point


def _cells_of(rows: csr_array, chosen: set[int]) -> set[int]:
    """Return the cells of the chosen relations."""
    cells: set[int] = set()
    for row in chosen:
        cells.update(rows.indices[rows.indptr[row] : rows.indptr[row + 1]].tolist())
    return cells


def _broken_rows(columns: csc_array, change: np.ndarray, changed: np.ndarray) -> set[int]:
    """Return the relations a change of ``changed`` cells breaks (residual not 0)."""
    residual: dict[int, float] = {}
    for cell in changed:
        start, end = columns.indptr[cell], columns.indptr[cell + 1]
        for row, factor in zip(columns.indices[start:end], columns.data[start:end], strict=True):
            residual[int(row)] = residual.get(int(row), 0.0) + factor * change[cell]
    return {row for row, value in residual.items() if abs(value) > TOLERANCE}


def feasible(
    rows: csr_array,
    lower: np.ndarray,
    upper: np.ndarray,
    point: np.ndarray,
    bound_tolerance: float = EPSILON,
) -> bool:
    """Say whether a point meets every relation (within ``EPSILON``) and bound."""
    if np.any(point < lower - bound_tolerance) or np.any(point > upper + bound_tolerance):
        return False
    return not rows.shape[0] or bool(np.all(np.abs(rows @ point) <= EPSILON))
