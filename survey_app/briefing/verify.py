"""Check a briefing PDF against the database: does it still print what the data say?

The PDF's metadata (``stamp``) name its scope, breakdown and k and hold its data
hash; the digest is computed again from the database as a build would now
(``digest.read_printed_data``, with the server's k) and compared.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from survey_app.briefing.context import BriefingError, BriefingScope, briefing_scope
from survey_app.briefing.digest import data_hash, read_printed_data
from survey_app.briefing.stamp import NotABriefing, Stamp, read_stamp
from survey_app.results import ResultSettings
from survey_app.results.selection import SelectionError, select_workshops


class Verdict(enum.Enum):
    """What a check of a briefing PDF found."""

    matches = "matches the data as of now"
    changed = "does not match: the data changed since it was built"
    foreign = "not a briefing of this server"


@dataclass(frozen=True)
class Verification:
    """The verdict on one PDF, why, and the hashes compared."""

    verdict: Verdict
    #: Why, in a few words ("" when the hashes match).
    reason: str = ""
    stamp: Stamp | None = None
    #: The data hash of the same briefing built now (None if it cannot be built).
    current_hash: str | None = None

    @property
    def message(self) -> str:
        """Return the verdict with its reason, as the command prints it."""
        return f"{self.verdict.value} ({self.reason})" if self.reason else self.verdict.value


def verify_briefing(
    session: Session, path: Path, config: Mapping[str, Any], secret: str | bytes
) -> Verification:
    """Check the briefing PDF at ``path`` against the data now (``OSError``: unreadable).

    The published settings of the PDF's workshops come from ``config`` (the app's
    configuration). Call it in a read transaction.
    """
    try:
        stamp = read_stamp(path, secret)
    except NotABriefing as exc:
        return Verification(Verdict.foreign, str(exc))
    try:
        scope = _scope(session, stamp)
        settings = ResultSettings.for_selection(config, scope)
        printed = read_printed_data(session, scope, settings, stamp.breakdown)
    except (SelectionError, BriefingError) as exc:
        return Verification(Verdict.changed, str(exc), stamp)
    now = data_hash(scope, printed, settings.min_group_size)
    if now == stamp.data_hash:
        return Verification(Verdict.matches, f"data hash {now}", stamp, now)
    return Verification(Verdict.changed, _what_changed(stamp, scope, settings, now), stamp, now)


def _scope(session: Session, stamp: Stamp) -> BriefingScope:
    """Return the scope the stamp names, as it is now (a series: its workshops now)."""
    if stamp.series is not None:
        return briefing_scope(select_workshops(session, series=stamp.series))
    return briefing_scope(select_workshops(session, workshop_ids=list(stamp.workshop_ids)))


def _what_changed(stamp: Stamp, scope: BriefingScope, settings: ResultSettings, now: str) -> str:
    """Say what differs, as far as the stamp tells, and the two hashes."""
    hashes = f"data hash {stamp.data_hash} in the PDF, {now} now"
    if tuple(scope.ids) != stamp.workshop_ids:
        listed = ", ".join(str(i) for i in scope.ids)
        return f"the series now has workshops {listed}; {hashes}"
    if settings.min_group_size != stamp.k:
        return f"k is {settings.min_group_size} now, {stamp.k} in the PDF; {hashes}"
    return hashes
