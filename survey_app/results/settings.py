"""What the results engine takes from the configuration, passed in by its callers.

Which k an audience gets is decided here, once, from the rules in
``workshops.thresholds``: pages, the API, briefings and commands ask for the
settings of their audience and never compute k themselves.

- ``published(config, *series)``: viewers, the API, briefings, the participants'
  results page (the series' k, never below the server's floor);
- ``for_selection(config, selection)``: the same for the workshops a result covers;
- ``for_room(config, workshop)``: the room's own screens of one workshop (its room k);
- ``for_screen(config, selection, workshop, in_room=...)``: a live screen of a
  workshop, the room's settings only when the room looks at that workshop alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from survey_app.config import DEFAULT_MIN_GROUP_SIZE
from survey_app.workshops.thresholds import (
    group_size_floor,
    published_group_size,
    room_group_size,
)

if TYPE_CHECKING:
    from survey_app.models import Series, Workshop


class CoveredWorkshops(Protocol):
    """The workshops a result covers: a ``Selection`` or a briefing's scope."""

    @property
    def workshops(self) -> tuple[Workshop, ...]:
        """Return the workshops."""
        ...

    @property
    def series(self) -> Series | None:
        """Return the series, when the whole series was asked for."""
        ...


@dataclass(frozen=True)
class ResultSettings:
    """How results are made: the smallest group shown (k) and whether cached parts are used.

    The engine reads no configuration: the pages, the API, the briefings and the
    commands build this for their audience (the class methods below) and pass it.
    """

    #: k: counts of 1 to k-1 are never shown.
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    #: Add up the per-workshop parts kept in ``summary_part`` (``SUMMARY_CACHE``) instead
    #: of counting every answer row again.
    cache: bool = True
    #: The room's own screens of one workshop (projector, live dashboard in the room):
    #: protection is decided for that workshop alone, with the workshop's room
    #: threshold as k. Published outputs (viewers, API, briefings, exports) never set it.
    room: bool = False
    #: The server's floor of k, when the settings are for published results: each
    #: series' own protection is then decided with its own k (never below the floor),
    #: whatever the k of a result covering several series.
    floor: int | None = None
    #: Cover closed workshops only (published results): an open workshop's results
    #: change with every response, and two readings a response apart would tell it.
    closed_only: bool = False

    @classmethod
    def published(cls, config: Mapping[str, Any], *series: Series | None) -> ResultSettings:
        """Return the settings of results published from these series.

        k is the strictest of the series' k, never below the server's floor
        (``MIN_GROUP_SIZE``); no series (or ``None``: workshops without one) gives the floor.
        """
        floor = group_size_floor(config)
        k = published_group_size(floor, *series)
        return cls(min_group_size=k, cache=_cache(config), floor=floor, closed_only=True)

    @classmethod
    def for_selection(
        cls, config: Mapping[str, Any], selection: CoveredWorkshops
    ) -> ResultSettings:
        """Return the published settings of the selected workshops (a series: its own k)."""
        if selection.series is not None:
            return cls.published(config, selection.series)
        return cls.published(config, *(w.series for w in selection.workshops))

    @classmethod
    def for_room(cls, config: Mapping[str, Any], workshop: Workshop) -> ResultSettings:
        """Return the settings of the room's own screens of ``workshop`` (its room k)."""
        k = room_group_size(group_size_floor(config), workshop)
        return cls(min_group_size=k, cache=_cache(config), room=True)

    @classmethod
    def for_screen(
        cls,
        config: Mapping[str, Any],
        selection: CoveredWorkshops,
        workshop: Workshop,
        *,
        in_room: bool,
    ) -> ResultSettings:
        """Return the settings of a live screen of ``workshop`` that shows ``selection``.

        The room's settings when ``in_room`` (the screen belongs to the workshop's own
        facilitators) and the selection is that workshop alone (maybe one breakdown
        group of it); published ones otherwise: for a viewer, or for the whole series
        (even a series of this one workshop).
        """
        alone = selection.series is None and [w.id for w in selection.workshops] == [workshop.id]
        if in_room and alone:
            return cls.for_room(config, workshop)
        return cls.for_selection(config, selection)


def _cache(config: Mapping[str, Any]) -> bool:
    """Return whether summaries add up cached parts (``SUMMARY_CACHE``, default on)."""
    return bool(config.get("SUMMARY_CACHE", True))
