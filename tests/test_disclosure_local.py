"""Settling a requirement on the relations around its cell agrees with the whole program."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import csr_array

from survey_app.disclosure.local import local_reach
from survey_app.disclosure.solver import Requirement


def _asks(column: int, sense: str, target: float) -> Requirement:
    """Return the requirement that one column reach a target."""
    return Requirement(((column, 1.0),), sense, target, column)


def _table(counts: np.ndarray) -> tuple[csr_array, np.ndarray]:
    """Return the relations of a workshops x groups table with both margins, and its truth.

    Columns: the inner cells (row-major), then each row's total, then each column's
    total, then the grand total; each relation is total - sum(parts) = 0.
    """
    rows_n, cols_n = counts.shape
    inner = rows_n * cols_n
    row_total = [inner + r for r in range(rows_n)]
    col_total = [inner + rows_n + c for c in range(cols_n)]
    grand = inner + rows_n + cols_n
    relations: list[dict[int, float]] = []
    for r in range(rows_n):
        relations.append({row_total[r]: -1.0, **{r * cols_n + c: 1.0 for c in range(cols_n)}})
    for c in range(cols_n):
        relations.append({col_total[c]: -1.0, **{r * cols_n + c: 1.0 for r in range(rows_n)}})
    relations.append({grand: -1.0, **{t: 1.0 for t in row_total}})
    data, row_index, col_index = [], [], []
    for index, relation in enumerate(relations):
        for column, factor in relation.items():
            data.append(factor)
            row_index.append(index)
            col_index.append(column)
    matrix = csr_array((data, (row_index, col_index)), shape=(len(relations), grand + 1))
    truth = np.concatenate(
        [counts.ravel(), counts.sum(axis=1), counts.sum(axis=0), [counts.sum()]]
    ).astype(float)
    return matrix, truth


def _whole(matrix, lower, upper, column: int, sense: str) -> float:
    """Return the column's extreme over the whole program (linear programming)."""
    objective = np.zeros(matrix.shape[1])
    objective[column] = -1.0 if sense == "max" else 1.0
    bounds = list(zip(lower, [None if np.isinf(u) else u for u in upper], strict=True))
    result = linprog(
        objective, A_eq=matrix, b_eq=np.zeros(matrix.shape[0]), bounds=bounds, method="highs"
    )
    if result.status == 3:  # unbounded
        return np.inf if sense == "max" else -np.inf
    assert result.status == 0
    return -result.fun if sense == "max" else result.fun


@settings(max_examples=60, deadline=None)
@given(
    shape=st.tuples(st.integers(2, 6), st.integers(2, 5)),
    seed=st.integers(0, 10_000),
    hidden_share=st.floats(0.1, 0.9),
)
def test_local_answers_agree_with_the_whole_program(shape, seed, hidden_share):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 8, size=shape)
    matrix, truth = _table(counts)
    hidden = rng.random(len(truth)) < hidden_share
    lower = np.where(hidden, 0.0, truth)
    upper = np.where(hidden, np.inf, truth)
    small = hidden & (truth >= 1) & (truth <= 4)
    lower[small], upper[small] = 1.0, 4.0  # "fewer than 5"
    columns = matrix.tocsc()
    for column in np.flatnonzero(hidden):
        for sense, target in (("max", 4.0), ("min", 1.0)):
            reach = local_reach(
                matrix, columns, lower, upper, truth, column, _asks(column, sense, target)
            )
            if reach.met is None:
                continue
            best = _whole(matrix, lower, upper, column, sense)
            met = best >= target - 1e-6 if sense == "max" else best <= target + 1e-6
            assert reach.met == met, (counts.tolist(), column, sense)
            if reach.met:
                point = reach.point
                assert point is not None
                assert np.allclose(matrix @ point, 0)
                assert np.all(point >= lower - 1e-6) and np.all(point <= upper + 1e-6)


def test_a_cell_pinned_by_shown_cells_is_not_met_and_a_free_one_is():
    # 2 x 2 table, every margin shown: the inner cells move together along one cycle
    counts = np.array([[3, 2], [1, 6]])
    matrix, truth = _table(counts)
    columns = matrix.tocsc()
    lower, upper = truth.copy(), truth.copy()
    inner = [0, 1, 2, 3]
    lower[inner], upper[inner] = 0.0, np.inf
    reach = local_reach(matrix, columns, lower, upper, truth, 0, _asks(0, "max", 4.0))
    assert reach.met is True and reach.integral
    assert reach.point is not None and reach.point[0] >= 4
    # cell (1, 0) holds 1: at most 3 can move out of its row's other cell... but its
    # column total is 4 (3 + 1): it can never reach 5
    assert local_reach(matrix, columns, lower, upper, truth, 2, _asks(2, "max", 5.0)).met is False
    # shown: a cell's own bounds pin it
    upper[1] = lower[1] = truth[1]
    assert local_reach(matrix, columns, lower, upper, truth, 0, _asks(0, "max", 4.0)).met is False


@pytest.mark.parametrize("sense,target", [("max", 3.0), ("min", 0.0)])
def test_a_cell_in_no_relation_is_settled_by_its_bounds(sense, target):
    matrix = csr_array((0, 1))
    columns = matrix.tocsc()
    truth = np.array([2.0])
    met = local_reach(
        matrix, columns, np.array([1.0]), np.array([4.0]), truth, 0, _asks(0, sense, target)
    ).met
    assert met is (sense == "max")
