"""Primary and secondary suppression of a linked set of count cells.

Primary suppression: a published count of 1 to k-1 is hidden and labelled "fewer
than k"; an answer that every member of a group gave (100 % of a partition) is
hidden and labelled "not shown (protects a small group)".

Secondary suppression decides, for each requirement in turn, the cheapest set of
further cells to hide (``solver.cheapest_alternative``), so that a reader who
combines every published number and label of the linked set cannot rule out:

- for each count of 1 to k-1 (published or only implied, e.g. how many did not
  choose an option): any value from 1 to k-1 (its feasible range, from integer
  programming, reaches both 1 and k-1);
- for each unanimous answer: that someone in the group answered otherwise.

Hiding a cell only widens what a reader must consider, so a requirement met stays
met; each is checked once with linear programming while the pattern grows, and
once more at the end with integer programming (``audit``'s method). Cells below a
hidden total (a hidden group's answers, a hidden question's options) are not shown
at all (``UNPUBLISHED``): one label stands for the block.

The programs are solved per block (e.g. one question across every part of a series)
together with the backbone that links blocks (e.g. group sizes), which keeps each
one small: a block's hiding never touches the backbone or another block.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field

from survey_app.disclosure.cells import LinkedCells, Status, primary_status, sensitive
from survey_app.disclosure.escalate import cover, escalate, hide, labelled
from survey_app.disclosure.program import Blocks, Program
from survey_app.disclosure.reader import PublicKnowledge, ReaderModel
from survey_app.disclosure.solver import (
    Requirement,
    cheapest_alternative,
    extreme,
    zero_branch,
)


@dataclass
class Decision:
    """The status of every cell, and the requirements no hiding could meet."""

    status: list[Status]
    #: Requirements that stay unmet whatever is hidden (e.g. fixed by public totals).
    unmet: list[Requirement] = field(default_factory=list)

    def count(self, status: Status) -> int:
        """Return how many cells have ``status``."""
        return sum(1 for s in self.status if s == status)


#: Up to this many cells, requirements are settled in whole numbers (integer programming).
EXACT_CELLS = 4000


def protect(cells: LinkedCells, k: int, exact: bool | None = None) -> Decision:
    """Decide which cells to show, label as small, hide to protect, or leave out.

    ``k`` is the smallest group shown (k < 2: nothing is hidden). The backbone
    (block None) is decided first; then each block with the backbone, hiding only
    the block's own cells, until the block's requirements and the backbone's are
    met. Deterministic: the same cells give the same decision.

    Requirements are settled by linear programming; where its optimum is fractional
    and ``exact`` is set (default: for up to ``EXACT_CELLS`` cells), integer
    programming checks them once more at the end. Without it the protection holds
    for the linear relaxation (as tau-ARGUS's); a reader solving in whole numbers
    may narrow some ranges further (``audit`` with ``integer`` tells).
    """
    if exact is None:
        exact = len(cells) <= EXACT_CELLS
    if k < 2:  # no group is too small: protection is off
        return Decision([Status.SHOWN if p else Status.UNPUBLISHED for p in cells.published])
    status = initial_status(cells, k)
    cover(cells, status)
    blocks = Blocks(cells)
    decision = Decision(status)
    verified: set[tuple[object, ...]] = set()
    passes = (False, True) if exact else (False,)
    left: list[tuple[Hashable, list[Requirement]]] = []
    for integer in passes:
        last = integer == passes[-1]
        #: Requirements of the backbone's cells that nothing in the backbone met, with
        #: the backbone's statuses then: a block only adds what a reader knows of them.
        failed: dict[tuple[object, ...], tuple[Status, ...]] = {}
        for block in blocks.order:
            pending: list[Requirement] = []
            program = blocks.program(block)
            movable = frozenset(blocks.members[block])
            knowledge = Knowledge(program, status, k, linear=not exact)
            public = PublicKnowledge(program, k)
            for requirement, zeros in requirements(cells, k, program.members):
                name = (requirement.terms, requirement.sense)
                if name in verified or (name in failed and failed[name] == blocks.backbone(status)):
                    continue
                met, settled = knowledge.meets(requirement, integer)
                if met:
                    if settled:
                        verified.add(name)
                    continue
                moved = cheapest(knowledge, requirement, zeros & movable, integer, movable)
                if moved is None and (zeros or public.could_meet(requirement, whole=False)):
                    moved = escalation(knowledge, requirement, integer)
                if moved is None and not zeros and not public.could_meet(requirement):
                    decision.unmet.append(requirement)  # public totals alone settle it
                    verified.add(name)
                    continue
                if moved is None:  # may yet be met by what later requirements hide
                    pending.append(requirement)
                    if block is None:
                        failed[name] = blocks.backbone(status)
                    continue
                if not moved:  # met after all (the integer program's tolerance)
                    verified.add(name)
                    continue
                knowledge.changed(hide(cells, status, moved))
                if last and not knowledge.meets(requirement, integer)[0]:
                    # what the cheapest pattern's program took as enough is not, for the
                    # reader: checked again at the end, withheld there if still not met
                    pending.append(requirement)
            if last and block is None:  # settled before any block is decided with it
                settle(program, status, k, exact, pending, decision)
                # what withholding the whole backbone cannot meet, no block's hiding will
                verified.update((r.terms, r.sense) for r in decision.unmet)
                failed.clear()  # the rest is met now, in the backbone: the blocks check it
            elif last:  # may yet be met by what later blocks hide
                left.append((block, pending))
    for block, pending in left:
        settle(blocks.program(block), status, k, exact, pending, decision)
    return decision


def settle(
    program: Program,
    status: list[Status],
    k: int,
    exact: bool,
    pending: list[Requirement],
    decision: Decision,
) -> None:
    """Meet what is still pending in a program by withholding all of it, the last resort.

    A requirement met meanwhile (by what later requirements hid) is left as it is;
    one that even withholding cannot meet is recorded as unmet (public totals alone
    settle it).
    """
    for requirement in pending:
        knowledge = Knowledge(program, status, k)
        if knowledge.meets(requirement, exact)[0] or knowledge.meets_exactly(requirement):
            continue
        withhold_all(program, status)  # the last resort: nothing is told
        if not Knowledge(program, status, k).meets_exactly(requirement):
            decision.unmet.append(requirement)


def withhold_all(program: Program, status: list[Status]) -> None:
    """Label every published, non-public cell of a program "not shown"; leave out what is below.

    The last resort where no cheaper pattern meets a requirement (e.g. three small
    workshops whose breakdown groups of 1 to 4 pin each other down): the question and
    the breakdown are then not shown in any part of the linked set. Hiding only
    widens what a reader must allow, so every requirement met before stays met.
    """
    cells = program.cells
    for cell in program.members:
        if cells.published[cell] and not cells.public[cell] and status[cell] != Status.UNPUBLISHED:
            status[cell] = Status.WITHHELD
    cover(cells, status)


def cheapest(
    knowledge: Knowledge,
    requirement: Requirement,
    zeros: frozenset[int],
    integer: bool,
    movable: frozenset[int],
) -> set[int] | None:
    """Return the cheapest cells beside it to hide for a requirement (``cheapest_alternative``).

    None if hiding such cells cannot meet it; changes no status.
    """
    program, status, k = knowledge.program, knowledge.status, knowledge.k
    moved = cheapest_alternative(program, status, k, requirement, zeros, integer, movable)
    if moved is None and zeros and not integer:  # the 0 branches need integers
        moved = cheapest_alternative(program, status, k, requirement, zeros, True, movable)
    return moved


def escalation(knowledge: Knowledge, requirement: Requirement, integer: bool) -> set[int] | None:
    """Meet a requirement that hiding cells beside it cannot: withhold labels, hide totals.

    Returns the cells to hide (empty: met after all), or None if nothing meets it;
    the statuses of totals ``escalate`` hides are already changed.
    """
    program, status, k = knowledge.program, knowledge.status, knowledge.k
    # "protects" read on the branch holding the count: fast
    moved = escalate(program, status, k, requirement, knowledge, integer, exact=False)
    if moved is None and knowledge.meets_exactly(requirement):
        return set()  # met: a reader must allow each "protects" label to be 0
    if moved is None:  # each "protects" as "0, or k and more": a binary each
        moved = escalate(program, status, k, requirement, knowledge, integer, exact=True)
    return moved


class Knowledge:
    """What a reader knows of one program, asked requirement after requirement.

    Linear programming on a warm HiGHS model where that is exact (an integral
    optimum, no hidden zeros); integer programming otherwise.
    """

    def __init__(
        self, program: Program, status: list[Status], k: int, linear: bool = False
    ) -> None:
        self.program = program
        #: Requirements are settled in linear programming alone (``protect``'s ``exact`` off).
        self.linear = linear
        self.status = status
        self.k = k
        self.model = ReaderModel(program, status, k)

    def meets(self, requirement: Requirement, integer: bool) -> tuple[bool, bool]:
        """Return (met, exact): whether the requirement holds and the answer is final.

        The warm linear program (on the branch of each hidden zero that holds the
        truth) settles most requirements; where it says no, or (``integer``) where its
        optimum is fractional, the integer program with the disjunctions decides.
        """
        terms, sense = requirement.terms, requirement.sense
        if requirement.met_by(self.model.known_extreme(terms, sense)):
            return True, True
        if self.linear and requirement.met_by(self.model.seen_extreme(terms, sense)):
            return True, False  # met in linear programming, all that is asked
        value = self.model.extreme(requirement.terms, requirement.sense)
        met = requirement.met_by(value)
        if met and self.model.last_integral:
            return True, True
        if not integer and met:
            return True, False
        if not met and not self.model.disjunctive and not zero_branch(requirement):
            return False, True  # the truth branch is all a reader knows: no integer check
        value = extreme(
            self.program,
            self.status,
            self.k,
            requirement.terms,
            requirement.sense,
            either=zero_branch(requirement),
        )
        return requirement.met_by(value), True

    def meets_exactly(self, requirement: Requirement) -> bool:
        """Say whether the requirement holds with every "protects" read as "0, or k and more".

        Integer programming with a binary per label: only where the faster tests said no.
        """
        either = zero_branch(requirement) | labelled(self.program, self.status)
        terms, sense = requirement.terms, requirement.sense
        value = extreme(self.program, self.status, self.k, terms, sense, either=either)
        return requirement.met_by(value)

    def changed(self, cells: list[int]) -> None:
        """Take new statuses of ``cells`` into account."""
        for cell in cells:
            self.model.update(cell, self.status)


def initial_status(cells: LinkedCells, k: int) -> list[Status]:
    """Return the primary pattern: small counts, unanimous answers, unpublished cells.

    A cell an earlier version hid (``LinkedCells.earlier``) starts hidden as it was.
    """
    status = []
    for index in range(len(cells)):
        if not cells.published[index]:
            status.append(Status.UNPUBLISHED)
        else:
            primary = primary_status(cells, index, k)
            status.append(primary or cells.earlier.get(index, Status.SHOWN))
    for total, member, _ in cells.unanimity:
        value = cells.values[member]
        if value == cells.values[total] > 0 and status[member] == Status.SHOWN:
            status[member] = Status.PROTECTS
    return status


def requirements(
    cells: LinkedCells, k: int, among: Iterable[int] | None = None
) -> Iterator[tuple[Requirement, frozenset[int]]]:
    """Yield each protection requirement with the shown zeros it may hide.

    Small counts first (in cell order), then unanimous answers; ``among``: only
    those whose cells are all in it.
    """
    inside = set(range(len(cells))) if among is None else set(among)
    for index in sorted(inside):
        if not sensitive(cells, index, k):
            continue
        value = cells.values[index]
        top = min(k - 1, public_cap(cells, index))
        if value < top:
            yield Requirement(((index, 1.0),), "max", top, index), frozenset()
        if value > 1:
            yield Requirement(((index, 1.0),), "min", 1, index), frozenset()
    for total, member, members in cells.unanimity:
        if total not in inside or member not in inside:
            continue
        if cells.values[member] == cells.values[total] > 0:
            zeros = frozenset(
                m
                for m in members
                if cells.values[m] == 0 and cells.published[m] and not cells.public[m]
            )  # a zero everyone knows (shown before) stays shown
            zeros |= {member}  # the unanimous answer, hidden, may be 0 to a reader
            terms = ((total, 1.0), (member, -1.0))
            yield Requirement(terms, "max", 1, member), zeros


def public_cap(cells: LinkedCells, index: int) -> float:
    """Return the smallest public total above a cell (inf if none), or the bound told before.

    Whatever is hidden, a count cannot exceed a total everyone may know (e.g. the
    responses of a workshop of 3): its range need only reach 1..min(k-1, that total).
    Above a cell are its parents (``LinkedCells.parent``) and theirs, and what holds
    the same count as one of them (``LinkedCells.same``: a group's size is its
    breakdown option's count, below the workshop's respondents). Nor what an earlier
    version told under a smaller k ("fewer than 5" when k is 6 now: 1..4).
    """
    cap = cells.bounds.get(index, (0.0, float("inf")))[1]  # told before under another k
    partners = cells.partners()
    seen = {index}
    queue = [index]
    while queue:
        cell = queue.pop()
        for above in [cells.parent.get(cell), *partners.get(cell, ())]:
            if above is None or above in seen:
                continue
            seen.add(above)
            queue.append(above)
            if cells.public[above]:
                cap = min(cap, cells.values[above])
    return cap
