"""A reader's knowledge of one program as a persistent HiGHS model (fast repeated bounds).

Asking for the largest and smallest value of thousands of cells over the same
relations is what suppression and its audit do; HiGHS keeps the model and its
basis between questions, so each one after the first is a few simplex steps
(``highspy``, the HiGHS project's own Python interface). Integer questions and
hidden zeros (whose "0, or k and more" needs a binary) go to
``solver.extreme`` instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import highspy
import numpy as np
from scipy.sparse import csc_array

from survey_app.disclosure.cells import LinkedCells, Status
from survey_app.disclosure.local import feasible, local_reach
from survey_app.disclosure.program import Program
from survey_app.disclosure.solver import EPSILON, Requirement, reader_bounds, told

#: Integral points kept per model.
MAX_POINTS = 400
_BANNER = threading.Lock()
_quiet = False


def new_highs() -> highspy.Highs:
    """Return a silent HiGHS instance (the first one of a process prints a banner to fd 1)."""
    global _quiet
    with _BANNER:
        if _quiet:
            highs = highspy.Highs()
        else:
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as null:
                    os.dup2(null.fileno(), 1)
                    highs = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _quiet = True
    highs.setOptionValue("output_flag", False)
    return highs


def truth_branch(
    cells: LinkedCells, status: Sequence[Status], k: int, index: int
) -> tuple[float, float]:
    """Return a cell's bounds, taking of "0, or k and more" the branch that holds its value.

    A subset of what a reader knows: a requirement met here is met for the reader.
    """
    low, high, disjunctive = reader_bounds(cells, status, k, index)
    return (0.0, 0.0) if disjunctive else (low, high)


class ReaderModel:
    """Linear relaxation of what a reader knows about a program, kept warm.

    ``extreme`` answers in linear programming over ``truth_branch`` bounds: a bound
    reached here is reached for the reader, and exactly so in integers too when the
    optimum rounds to a feasible integral point (``last_integral``), which for tables
    of counts it nearly always does.
    """

    def __init__(self, program: Program, status: Sequence[Status], k: int) -> None:
        self.program = program
        self.k = k
        self.columns = program.position()
        self.highs = new_highs()
        # Presolve would undo the warm start; after a change of objective the old basis
        # is still primal feasible, so the primal simplex goes on from it.
        self.highs.setOptionValue("presolve", "off")
        self.highs.setOptionValue("simplex_strategy", 4)
        n = len(program.members)
        lower = np.zeros(n)
        upper = np.zeros(n)
        self.status = status
        for column, cell in enumerate(program.members):
            lower[column], upper[column] = truth_branch(program.cells, status, k, cell)
        inf = highspy.kHighsInf
        upper[np.isinf(upper)] = inf
        self.highs.addVars(n, lower, upper)
        self.matrix = program.matrix()
        if program.rows:
            rows = len(program.rows)
            zeros = np.zeros(rows)
            self.highs.addRows(
                rows,
                zeros,
                zeros,
                self.matrix.nnz,
                self.matrix.indptr.astype(np.int32),
                self.matrix.indices.astype(np.int32),
                self.matrix.data.astype(float),
            )
        self.lower, self.upper = lower, upper
        self.cost_columns: list[int] = []
        self.last_integral = False
        #: Integral points a reader can't rule out, found so far (one per row). They stay
        #: feasible as more is hidden, so a requirement one of them meets needs no program.
        self.points = np.zeros((0, n))
        #: Per column, the smallest and largest value of every integral point found (no
        #: cap: a single cell's requirement needs only these), and of every point of the
        #: linear relaxation found (``seen_extreme``).
        self.integral_range = (np.full(n, np.inf), np.full(n, -np.inf))
        self.linear_range = (np.full(n, np.inf), np.full(n, -np.inf))
        self._columns: csc_array | None = None
        self._truth: np.ndarray | None = None

    @property
    def disjunctive(self) -> bool:
        """Say whether a hidden zero makes the truth branch narrower than a reader's view."""
        cells = self.program.cells
        return any(
            told(cells, self.status, c) == Status.PROTECTS and cells.values[c] < self.k
            for c in self.program.members
        )

    def update(self, cell: int, status: Sequence[Status]) -> None:
        """Take a cell's new status into account."""
        column = self.columns.get(cell)
        if column is None:
            return
        low, high = truth_branch(self.program.cells, status, self.k, cell)
        self.lower[column], self.upper[column] = low, high
        self.highs.changeColBounds(column, low, highspy.kHighsInf if np.isinf(high) else high)

    def extreme(self, terms: Sequence[tuple[int, float]], sense: str) -> float | None:
        """Return the largest or smallest value of ``terms`` (linear programming).

        None when infeasible; ±inf when unbounded.
        """
        highs = self.highs
        if self.cost_columns:
            zeros = np.zeros(len(self.cost_columns))
            highs.changeColsCost(
                len(self.cost_columns), np.array(self.cost_columns, dtype=np.int32), zeros
            )
        columns = np.array([self.columns[c] for c, _ in terms], dtype=np.int32)
        highs.changeColsCost(len(columns), columns, np.array([f for _, f in terms]))
        self.cost_columns = list(columns)
        highs.changeObjectiveSense(
            highspy.ObjSense.kMaximize if sense == "max" else highspy.ObjSense.kMinimize
        )
        highs.run()
        state = highs.getModelStatus()
        self.last_integral = False
        if state in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return np.inf if sense == "max" else -np.inf
        if state != highspy.HighsModelStatus.kOptimal:
            return None
        value = float(highs.getInfo().objective_function_value)
        point = np.asarray(highs.getSolution().col_value)
        _widen(self.linear_range, point)
        self.last_integral = self._integral_point(point, terms, value)
        return value

    def _integral_point(
        self, solution: np.ndarray, terms: Sequence[tuple[int, float]], value: float
    ) -> bool:
        """Say whether the optimum, rounded to whole counts, is still feasible and optimal.

        Then the integer program has the same answer and need not be solved.
        """
        point = np.round(solution)
        if not feasible(self.matrix, self.lower, self.upper, point):
            return False
        rounded = sum(f * point[self.columns[c]] for c, f in terms)
        if abs(rounded - value) >= EPSILON:
            return False
        _widen(self.integral_range, point)
        if len(self.points) < MAX_POINTS:
            self.points = np.vstack([self.points, point])
        return True

    def local(self, requirement: Requirement) -> bool | None:
        """Say whether a one-cell requirement is met, from the relations around its cell.

        ``local.local_reach``: exact where it answers (a witness point is kept like
        any other); None where only the whole program can tell, or for a form of
        several cells.
        """
        if len(requirement.terms) != 1 or requirement.terms[0][1] != 1.0:
            return None
        if self._columns is None:
            self._columns = self.matrix.tocsc()
            cells = self.program.cells
            self._truth = np.array([cells.values[c] for c in self.program.members], float)
        assert self._truth is not None
        column = self.columns[requirement.terms[0][0]]
        reach = local_reach(
            self.matrix,
            self._columns,
            self.lower,
            self.upper,
            self._truth,
            column,
            requirement,
        )
        if reach.point is not None:
            _widen(self.linear_range, reach.point)
            if reach.integral:
                _widen(self.integral_range, reach.point)
        return reach.met

    def known_extreme(self, terms: Sequence[tuple[int, float]], sense: str) -> float | None:
        """Return the best value of ``terms`` over the integral points found so far."""
        if len(terms) == 1:
            return self._seen(self.integral_range, terms, sense)
        if not len(self.points):
            return None
        values = sum(f * self.points[:, self.columns[c]] for c, f in terms)
        return float(np.max(values) if sense == "max" else np.min(values))

    def seen_extreme(self, terms: Sequence[tuple[int, float]], sense: str) -> float | None:
        """Return the best value of one cell over the linear programs' points found so far.

        Each is a point of the linear relaxation of what a reader knows, so a
        requirement it meets is met in linear programming. None for a form of several
        cells or before any point.
        """
        return self._seen(self.linear_range, terms, sense) if len(terms) == 1 else None

    def _seen(
        self, seen: tuple[np.ndarray, np.ndarray], terms: Sequence[tuple[int, float]], sense: str
    ) -> float | None:
        """Return the best value of a one-cell form over the range ``seen`` (None: no point)."""
        ((cell, factor),) = terms
        low, high = seen[0][self.columns[cell]], seen[1][self.columns[cell]]
        if low > high:
            return None
        return float(
            max(factor * low, factor * high) if sense == "max" else min(factor * low, factor * high)
        )


def _widen(seen: tuple[np.ndarray, np.ndarray], point: np.ndarray) -> None:
    """Widen the per-column range ``seen`` (lowest, highest) to take in ``point``."""
    np.minimum(seen[0], point, out=seen[0])
    np.maximum(seen[1], point, out=seen[1])


class PublicKnowledge:
    """What a reader would know if nothing but the public totals were shown (built lazily).

    A requirement this cannot meet, no hiding can: e.g. the n of a required question
    in a workshop of 3 is the workshop's public 3.
    """

    def __init__(self, program: Program, k: int) -> None:
        self.program = program
        self.k = k
        self.model: ReaderModel | None = None
        self._local: dict[Requirement, bool | None] = {}

    def could_meet(self, requirement: Requirement, whole: bool = True) -> bool:
        """Say whether hiding every cell that is not public would meet the requirement.

        ``whole`` off: only what the relations around the cell tell (``local``), fast;
        True where they cannot tell.
        """
        if self.model is None:
            cells = self.program.cells
            status = [Status.SHOWN if public else Status.UNPUBLISHED for public in cells.public]
            self.model = ReaderModel(self.program, status, self.k)
        if requirement.met_by(self.model.known_extreme(requirement.terms, requirement.sense)):
            return True
        if requirement not in self._local:  # the public model never changes: ask once
            self._local[requirement] = self.model.local(requirement)
        met = self._local[requirement]
        if met is not None or not whole:
            return met is not False
        value = self.model.extreme(requirement.terms, requirement.sense)
        return value is None or requirement.met_by(value)
