"""The audit of a linked set's protection, as ``survey-app audit`` prints it.

For the series (or workshops) asked for, the protection every published output
uses is decided again from the data, and for each hidden count the range of
values a reader of every output together cannot rule out is computed by
integer programming (``disclosure.feasible_ranges``); every protection
requirement (each count of 1 to k-1, shown, hidden or implied; each answer every
member of a group gave) is checked (``disclosure.unmet_requirements``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from survey_app.disclosure import FeasibleRange, Status, feasible_ranges, unmet_requirements
from survey_app.results.protection import LinkedDecision, decision_for, linked_sets
from survey_app.results.selection import Selection
from survey_app.results.settings import ResultSettings


@dataclass
class LinkedAudit:
    """One linked set's decision, the ranges of its hidden cells, and what is unmet."""

    decision: LinkedDecision
    ranges: list[FeasibleRange] = field(default_factory=list)
    unmet: list[Any] = field(default_factory=list)

    @property
    def exposed(self) -> list[FeasibleRange]:
        """Return the hidden small counts whose range does not reach 1..k-1."""
        return [r for r in self.ranges if r.exposed]

    @property
    def protected(self) -> bool:
        """Say whether nothing small can be narrowed down and no unanimity is certain."""
        return not self.exposed and not self.unmet

    def counts(self) -> dict[Status, int]:
        """Return how many cells have each status."""
        result = dict.fromkeys(Status, 0)
        for status in self.decision.status:
            result[status] += 1
        return result


def audit_selection(
    session: Session, selection: Selection, settings: ResultSettings, integer: bool = False
) -> list[LinkedAudit]:
    """Decide and audit the protection of each linked set the selection belongs to.

    ``integer``: ranges in whole numbers (integer programming), else linear programming.
    """
    instrument = selection.instrument
    if instrument is None:
        return []
    audits = []
    for ids, k in linked_sets(session, selection.scope, settings):
        decision = decision_for(instrument, ids, session, settings, k, fresh=True)
        cells, status = decision.table.cells, decision.status
        audits.append(
            LinkedAudit(
                decision,
                feasible_ranges(cells, status, k, integer=integer),
                unmet_requirements(cells, status, k, integer=integer),
            )
        )
    return audits


def describe_cell(key: Any) -> str:
    """Return a readable name of a cell key: ``(part, address)``, or an earlier version's
    series total ``("release", release id, group, address)``."""
    if key[0] == "release":
        _, release, group, address = key
        where = f"series as published before (version {release})"
    else:
        (workshop, group), address = key
        where = "series" if workshop is None else f"workshop {workshop}"
    if group is not None:
        question, option = group
        where += f", {question} = {option if option is not None else '(none)'}"
    what = " ".join(str(part) for part in address)
    return f"{where}: {what}"
