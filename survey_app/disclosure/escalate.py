"""Meeting a requirement that no hiding of the cells beside it can meet.

``protect`` first asks ``solver.cheapest_alternative`` for the cheapest further cells
to hide as "protects"; where there are none, ``escalate`` goes further, in two steps
tried in turn: "fewer than k" labels that narrow each other down become "not shown"
(``WITHHELD``, which tells nothing of the count), then totals above the cell are
hidden (what lies below them is left out unlabelled). In both steps a reader is
taken to allow every "protects" label to be 0, as the label says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from survey_app.disclosure.cells import LinkedCells, Status
from survey_app.disclosure.program import Program
from survey_app.disclosure.solver import (
    Requirement,
    cheapest_alternative,
    told,
    zero_branch,
)


class Learner(Protocol):
    """What keeps a reader's knowledge up to date as statuses change (``Knowledge``)."""

    def changed(self, cells: list[int]) -> None:
        """Take new statuses of ``cells`` into account."""
        ...


def escalate(
    program: Program,
    status: list[Status],
    k: int,
    requirement: Requirement,
    knowledge: Learner,
    integer: bool,
    exact: bool = True,
) -> set[int] | None:
    """Hide the totals above a requirement's cell, nearest first, until it can be met.

    Where no hiding of the cells beside it meets a requirement (e.g. 7 of 8 chose an
    option, so 1 did not, and every count a reader could shift is pinned by public
    totals), first the "fewer than k" labels beside it are replaced by "not shown"
    (``withholdable``: they narrow each other down, e.g. twelve small bins of 14
    answers each hold at most 3); then totals above it are hidden, cheapest first
    (``Program.cost``: a total costs what it leaves out), among the question's n in
    that part, the totals that sum it (the workshop's, the series') and the part's
    respondents (a group's size), until it can be met; of those, the dearest that
    are not needed are shown again. What lies below a
    hidden total is left out unlabelled, so a reader may give it any value the
    relations allow, and the cells around it (other workshops, the series, the
    backbone too) may move. ``exact``: every "protects" label may be 0 to a reader (a
    binary each); else it is read on the branch holding its count (faster, stricter).
    Returns the further cells to hide, as ``cheapest_alternative``, with the totals'
    statuses changed; None if even hiding every such total leaves it unmet (nothing
    is hidden then).
    """
    cells = program.cells
    trial = list(status)
    everything = frozenset(program.members)
    # The zeros of the requirement's block may be labelled too (a hidden total's zero
    # options elsewhere would give it away): a binary each, on this rare path only.
    block = cells.block[requirement.cell]
    zeros = zero_branch(requirement) | {
        c for c in program.members if cells.block[c] == block and cells.values[c] == 0
    }

    def either(trial: list[Status]) -> frozenset[int]:
        """The cells a reader must allow to be 0: zeros, and (``exact``) every "protects"."""
        return zeros | labelled(program, trial) if exact else zeros

    def feasible(trial: list[Status]) -> set[int] | None:
        """The cells to hide for the requirement with ``trial``'s statuses (None: none do)."""
        return cheapest_alternative(
            program, trial, k, requirement, either(trial), integer, everything
        )

    def settle(trial: list[Status]) -> set[int] | None:
        moved = feasible(trial)
        if moved is not None:
            changed = [i for i, (a, b) in enumerate(zip(status, trial, strict=True)) if a != b]
            status[:] = trial
            knowledge.changed(changed)
        return moved

    beside = withholdable(program, status, requirement)
    if beside:
        for cell in beside:
            trial[cell] = Status.WITHHELD
        moved = settle(trial)
        if moved is not None:
            return moved
        trial = list(status)
    hidden: list[int] = []
    candidates = [
        t
        for t in totals_above(program, requirement.cell)
        if status[t] == Status.SHOWN and cells.values[t] >= k  # zero: nothing below it
    ]

    def cost(total: int) -> float:
        return program.cost(total, status)

    for total in sorted(candidates, key=cost):  # cheapest first (stable)
        hidden.append(total)
        trial = list(status)
        hide(cells, trial, hidden)
        if feasible(trial) is None:
            continue
        for needless in sorted(hidden, key=cost, reverse=True)[: len(hidden) - 1]:
            fewer = [t for t in hidden if t != needless]  # keep only the totals needed
            lighter = list(status)
            hide(cells, lighter, fewer)
            if feasible(lighter) is not None:
                hidden = fewer
        trial = list(status)
        hide(cells, trial, hidden)
        return settle(trial)
    return None


def labelled(program: Program, status: Sequence[Status]) -> frozenset[int]:
    """Return the cells of a program labelled "protects" (0, or k and more)."""
    return frozenset(
        c for c in program.members if told(program.cells, status, c) == Status.PROTECTS
    )


def withholdable(program: Program, status: list[Status], requirement: Requirement) -> list[int]:
    """Return the "fewer than k" cells whose labels narrow a requirement's cells down.

    Those of the requirement's cells, and those summed with them (the other bins of
    a histogram, the workshops' counts of a series count): relabelled "not shown"
    (``WITHHELD``), they tell a reader nothing, and the total above them stays shown.
    Totals (cells with cells below them) are left to ``totals_above``.
    """
    cells = program.cells
    own = {cell for cell, _ in requirement.terms}
    totals = set(cells.parent.values())
    found = set()
    for members, _ in program.rows:
        if own.intersection(members):
            found.update(members)
    found |= own
    return sorted(c for c in found if status[c] == Status.SMALL and c not in totals)


def totals_above(program: Program, cell: int) -> list[int]:
    """Return the non-public totals a cell lies under, nearest first, then their siblings.

    Each parent (``LinkedCells.parent``: an option's n, an n's respondents) is
    followed by the totals that add it up with others (breadth first through the
    sums: a group's n, then its workshop's and the series' n); then the cells summed
    with them (``_siblings``) and the partners of options below them.
    """
    cells = program.cells
    sums = program.sums()
    found: list[int] = []
    parent = cells.parent.get(cell)
    while parent is not None and parent not in found and not cells.public[parent]:
        queue = [parent]
        while queue:
            total = queue.pop(0)
            if total in found or cells.public[total]:
                continue
            found.append(total)
            queue += sums.get(total, [])
        parent = cells.parent.get(parent)
    return found + _siblings(program, found) + _partners_below(program, found)


def _siblings(program: Program, totals: list[int]) -> list[int]:
    """Return the other cells summed with one of ``totals`` into a larger total.

    Hiding a workshop's n leaves it told by the series' n minus the other workshops':
    hiding another, small workshop's n instead of the series' keeps the series whole.
    """
    cells = program.cells
    found: list[int] = []
    wanted = set(totals)
    for summed in program.summed():
        if wanted.intersection(summed):
            for member in summed:
                if member not in wanted and member not in found and not cells.public[member]:
                    found.append(member)
    return found


def _partners_below(program: Program, totals: list[int]) -> list[int]:
    """Return the other cells holding a count that lies below one of ``totals``.

    A breakdown option's count is its group's size (``same``): hiding the question
    above the option leaves the count told by the group's size, so the size (and
    with it the group) is a candidate too.
    """
    cells = program.cells
    partners, children = program.partners(), program.children()
    found: list[int] = []
    for total in totals:
        for child in children.get(total, []):
            for partner in partners.get(child, []):
                if partner not in totals and partner not in found and not cells.public[partner]:
                    found.append(partner)
    return found


def hide(cells: LinkedCells, status: list[Status], moved: Iterable[int]) -> list[int]:
    """Label ``moved`` cells "protects", cover what lies below; return every changed cell."""
    changed = []
    for cell in moved:
        if not cells.public[cell] and status[cell] != Status.PROTECTS:  # public: never hidden
            status[cell] = Status.PROTECTS
            changed.append(cell)
    return changed + cover(cells, status, changed)


def cover(
    cells: LinkedCells, status: list[Status], hidden: Iterable[int] | None = None
) -> list[int]:
    """Leave out what lies below a hidden or left-out total; return the cells left out.

    ``hidden``: only below these cells (those just hidden); None: below every cell
    that is not shown. A public cell is never left out, and what lies below it is
    covered only if it is not shown itself.
    """
    children = cells.children()
    if hidden is None:
        hidden = (p for p in children if status[p] != Status.SHOWN)
    stack = [p for p in hidden if status[p] != Status.SHOWN]
    changed = []
    while stack:
        for child in children.get(stack.pop(), ()):
            if status[child] != Status.UNPUBLISHED and not cells.public[child]:
                status[child] = Status.UNPUBLISHED
                changed.append(child)
                stack.append(child)
    return changed
