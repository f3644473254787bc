"""What a reader can still work out: the feasible range of every hidden count.

For each cell a reader does not see (hidden, or below a hidden total, or never
printed), the smallest and largest values consistent with everything published
(the shown counts, the sums between them, and what each label says) are found by
integer programming. This is the audit of tau-ARGUS and of Fischetti and
Salazar-González's model: a small cell is protected when its range reaches from 1
to k-1; an unanimous answer when someone may have answered otherwise.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from survey_app.disclosure.cells import LinkedCells, Status, sensitive
from survey_app.disclosure.protect import Blocks, requirements
from survey_app.disclosure.solver import Requirement, extreme


@dataclass(frozen=True)
class FeasibleRange:
    """A cell a reader does not see: its true value and the range they can't rule out."""

    key: Hashable
    value: int
    status: Status
    low: float | None
    high: float | None
    #: The count is 1 to k-1 and its range does not reach both 1 and k-1.
    exposed: bool


def feasible_ranges(
    cells: LinkedCells, status: Sequence[Status], k: int, only_sensitive: bool = False
) -> list[FeasibleRange]:
    """Return the range of each unseen cell (``only_sensitive``: counts of 1 to k-1 only)."""
    blocks = Blocks(cells)
    ranges = []
    for index in range(len(cells)):
        if status[index] == Status.SHOWN:
            continue
        small = sensitive(cells, index, k)
        if only_sensitive and not small:
            continue
        terms = ((index, 1.0),)
        low, high = _range(blocks, index, status, k, terms)
        exposed = small and (low is None or high is None or low > 1 or high < k - 1)
        ranges.append(
            FeasibleRange(cells.keys[index], cells.values[index], status[index], low, high, exposed)
        )
    return ranges


def unmet_requirements(cells: LinkedCells, status: Sequence[Status], k: int) -> list[Requirement]:
    """Return every protection requirement a reader's knowledge does not meet.

    Empty when the pattern protects: no small count narrower than 1..k-1, no
    unanimous answer certain.
    """
    blocks = Blocks(cells)
    unmet = []
    for block in blocks.order:
        program = blocks.program(block)
        for requirement, _ in requirements(cells, k, program.members):
            value = extreme(program, status, k, requirement.terms, requirement.sense)
            if not requirement.met_by(value):
                unmet.append(requirement)
    return unmet


def _range(
    blocks: Blocks,
    index: int,
    status: Sequence[Status],
    k: int,
    terms: tuple[tuple[int, float], ...],
) -> tuple[float | None, float | None]:
    """Return the feasible range of a cell: in its block, or for a backbone cell the
    narrowest over every block (each block with the backbone)."""
    block = blocks.block_of(index)
    lows, highs = [], []
    for candidate in [block] if block is not None else blocks.order:
        program = blocks.program(candidate)
        lows.append(extreme(program, status, k, terms, "min"))
        highs.append(extreme(program, status, k, terms, "max"))
    if any(v is None for v in lows + highs):
        return None, None
    return max(v for v in lows if v is not None), min(v for v in highs if v is not None)
