"""What a reader can still work out: the feasible range of every hidden count.

For each cell a reader does not see, the smallest and largest values consistent
with everything published (the shown counts, the sums between them, and what
each label says) are found by integer programming, as tau-ARGUS's audit does for
one table: linear programming on a warm HiGHS model first, integer programming
where the linear optimum is not integral or a hidden zero's "0, or k and more"
needs a binary. A small cell is protected when its range reaches from 1 to k-1;
an unanimous answer when someone may have answered otherwise.

Each block (one question across every part) is audited with the backbone that
links blocks (group sizes); a backbone cell's range is the narrowest its blocks
allow.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from survey_app.disclosure.cells import LinkedCells, Status, sensitive
from survey_app.disclosure.escalate import labelled
from survey_app.disclosure.program import Blocks, Program
from survey_app.disclosure.protect import public_cap, requirements
from survey_app.disclosure.reader import ReaderModel
from survey_app.disclosure.solver import EPSILON, Requirement, extreme, zero_branch


@dataclass(frozen=True)
class FeasibleRange:
    """A cell a reader does not see: its true value and the range they can't rule out."""

    key: Hashable
    value: int
    status: Status
    low: float | None
    high: float | None
    #: The count is 1 to k-1 and its range does not reach both 1 and k-1 (or the
    #: public total above it, if smaller: a workshop of 3 has no count of 4).
    exposed: bool


class Auditor:
    """Exact extremes of linear forms over each block's program (warm models, then MILP)."""

    def __init__(
        self, cells: LinkedCells, status: Sequence[Status], k: int, integer: bool = True
    ) -> None:
        self.cells = cells
        self.integer = integer
        self.status = status
        self.k = k
        self.blocks = Blocks(cells)
        self.models: dict[Hashable, ReaderModel] = {}

    def extreme(
        self,
        block: Hashable,
        terms: tuple[tuple[int, float], ...],
        sense: str,
        either: frozenset[int] = frozenset(),
    ) -> float | None:
        """Return the exact largest or smallest value of ``terms`` in ``block``'s program."""
        program = self.blocks.program(block)
        if block not in self.models:
            self.models[block] = ReaderModel(program, self.status, self.k)
        model = self.models[block]
        value = model.extreme(terms, sense)
        exact = model.last_integral or not self.integer
        if value is not None and not model.disjunctive and not either and exact:
            return value
        return extreme(program, self.status, self.k, terms, sense, self.integer, either)

    def labelled(self, block: Hashable) -> frozenset[int]:
        """Return the cells labelled "protects" in a block's program (0, or k and more)."""
        return labelled(self.blocks.program(block), self.status)

    def reaches(
        self, block: Hashable, requirement: Requirement, either: frozenset[int] = frozenset()
    ) -> bool:
        """Say whether a reader can't rule out a point meeting ``requirement``.

        First with each "protects" label on the branch holding its count (fast); where
        that says no, with every such label read as "0, or k and more" (exact).
        """
        value = self.extreme(block, requirement.terms, requirement.sense, either)
        if requirement.met_by(value):
            return True
        value = self.extreme(
            block, requirement.terms, requirement.sense, either | self.labelled(block)
        )
        return requirement.met_by(value)

    def range(self, index: int, exact: bool = False) -> tuple[float | None, float | None]:
        """Return a cell's feasible range (narrowest over the blocks for a backbone cell).

        A "protects" label is read on the branch holding its count, so the range can
        be narrower than a reader's (never wider); ``exact``: read as "0, or k and
        more", a reader's range.
        """
        block = self.blocks.block_of(index)
        candidates = [block] if block is not None else self.blocks.order
        terms = ((index, 1.0),)

        def either(b: Hashable) -> frozenset[int]:
            return self.labelled(b) if exact else frozenset()

        lows = [self.extreme(b, terms, "min", either(b)) for b in candidates]
        highs = [self.extreme(b, terms, "max", either(b)) for b in candidates]
        if any(v is None for v in lows + highs):
            return None, None
        return max(v for v in lows if v is not None), min(v for v in highs if v is not None)

    def program(self, block: Hashable) -> Program:
        """Return the program of a block."""
        return self.blocks.program(block)


def feasible_ranges(
    cells: LinkedCells,
    status: Sequence[Status],
    k: int,
    which: tuple[Status, ...] = (Status.SMALL, Status.PROTECTS, Status.WITHHELD),
    integer: bool = True,
) -> list[FeasibleRange]:
    """Return the feasible range of each cell with one of the statuses ``which``.

    By default the hidden cells (small, protecting); add ``Status.UNPUBLISHED`` for
    the cells below hidden totals and those only implied by the sums. ``integer``:
    in whole numbers (exact for a reader with an integer solver), else the linear
    programming ranges (wider or equal), as tau-ARGUS's audit gives them.
    """
    auditor = Auditor(cells, status, k, integer)
    ranges = []
    for index in range(len(cells)):
        if status[index] not in which:
            continue
        small = sensitive(cells, index, k)
        top = min(k - 1, public_cap(cells, index))

        low, high = auditor.range(index)
        if small and _narrow(low, high, top):  # read every "protects" as "0, or k and more"
            low, high = auditor.range(index, exact=True)
        exposed = small and _narrow(low, high, top)
        ranges.append(
            FeasibleRange(cells.keys[index], cells.values[index], status[index], low, high, exposed)
        )
    return ranges


def _narrow(low: float | None, high: float | None, top: float) -> bool:
    """Say whether a small count's range misses 1 or ``top`` (k-1, or a public total)."""
    return low is None or high is None or low > 1 + EPSILON or high < top - EPSILON


def unmet_requirements(
    cells: LinkedCells, status: Sequence[Status], k: int, integer: bool = True
) -> list[Requirement]:
    """Return every protection requirement a reader's knowledge does not meet.

    Empty when the pattern protects: no count of 1 to k-1 (shown, hidden, below a
    hidden total or implied) narrower than 1..k-1, no unanimous answer certain.
    """
    auditor = Auditor(cells, status, k, integer)
    unmet = []
    for block in auditor.blocks.order:
        for requirement, _ in requirements(cells, k, auditor.program(block).members):
            if not auditor.reaches(block, requirement, zero_branch(requirement)):
                unmet.append(requirement)
    return unmet
