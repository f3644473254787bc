"""What a briefing covers: the closed workshops of a selection, of one questionnaire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from survey_app.definition.model import Instrument
from survey_app.instruments.store import instrument_of
from survey_app.models import InstrumentVersion, Series, Workshop, WorkshopState
from survey_app.results.selection import Selection


class BriefingError(ValueError):
    """A briefing cannot be made as asked (no workshops, unknown breakdown, ...)."""


class NothingClosed(BriefingError):
    """No workshop of the briefing is closed yet: nothing of it is published."""


@dataclass(frozen=True)
class BriefingScope:
    """The workshops a briefing covers (by date), the instrument version they use.

    ``series`` is set for a briefing of a whole series, not for chosen workshops.
    """

    workshops: tuple[Workshop, ...]
    series: Series | None
    version: InstrumentVersion
    #: Workshops of the selection not closed yet, left out (the briefing names them).
    left_out: tuple[Workshop, ...] = ()

    @property
    def ids(self) -> list[int]:
        """Return the workshop ids, sorted."""
        return sorted(w.id for w in self.workshops)

    @property
    def series_id(self) -> int | None:
        """Return the id of the series a series briefing covers (None: chosen workshops)."""
        return self.series.id if self.series is not None else None

    @property
    def instrument(self) -> Instrument:
        """Return the parsed instrument the summaries use."""
        return instrument_of(self.version)


def briefing_scope(selection: Selection) -> BriefingScope:
    """Return what a briefing of the selected workshops covers (``BriefingError``: none).

    A briefing is published: it covers the closed workshops of the selection only
    (``results.published_scope``), and needs at least one; of the newest version's
    questionnaire only (as ``Selection.scope``).
    """
    version = selection.version  # the newest, as the dashboard and the API summarize
    series = selection.series
    what = f"series '{series.slug}'" if series is not None else "these workshops"
    if version is None:
        raise BriefingError(f"{what} has no workshops")
    # workshops of another questionnaire answered other questions: never counted here
    same = selection.of_questionnaire
    closed = [w for w in same if w.state is WorkshopState.closed]
    if not closed:
        raise NothingClosed(
            f"{what}: no workshop is closed yet; a briefing covers closed workshops only"
            " (close the workshop first)"
        )

    def by_date(w: Workshop) -> tuple[bool, date, int]:
        return (w.date is None, w.date or datetime.min.date(), w.id)

    ordered = sorted(closed, key=by_date)
    left_out = sorted((w for w in same if w not in closed), key=by_date)
    return BriefingScope(tuple(ordered), series, version, tuple(left_out))
