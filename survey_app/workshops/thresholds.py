"""Small-group thresholds (k) per audience: published per series, lower in the room.

A count of 1 to k-1 is never shown. There are three numbers:

- the server's floor, ``MIN_GROUP_SIZE`` (``SURVEY_MIN_GROUP_SIZE``, default 5): no
  published result uses a smaller k, and a new series starts with it;
- a series' own k (``Series.min_group_size``), for everything published from it:
  viewers, the API, briefings, the participants' results page. A stored k below the
  floor (the floor was raised since) is read as the floor; a workshop without a
  series, and a set of workshops from several series, take the strictest k that applies;
- a workshop's room k (``Workshop.room_min_group_size``), for the room's own screens
  of that workshop alone (presenter view, the live dashboard of its facilitators):
  2 up to the published k, which it is when none is chosen.

These functions decide the numbers; ``results.ResultSettings`` turns them into the
settings of one audience, and the operations check what facilitators type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.config import DEFAULT_MIN_GROUP_SIZE
from survey_app.models import Series, Workshop

#: The smallest k of any screen: a group of one person is never shown, not even in the room.
ROOM_MINIMUM = 2
#: The largest k anyone may choose (a typing error, not a threshold, beyond this).
MAXIMUM = 1000


class ThresholdError(ValueError):
    """A threshold outside what is allowed; the message says which range is."""


def group_size_floor(config: Mapping[str, Any]) -> int:
    """Return the server's floor of k (``MIN_GROUP_SIZE``, default 5)."""
    return int(config.get("MIN_GROUP_SIZE", DEFAULT_MIN_GROUP_SIZE))


def published_group_size(floor: int, *series: Series | None) -> int:
    """Return the k published results of these series use: the strictest, never below ``floor``.

    ``None`` stands for workshops without a series: they take the floor.
    """
    return max([floor, *(s.min_group_size for s in series if s is not None)])


def room_group_size(floor: int, workshop: Workshop) -> int:
    """Return the k of the room's own screens of ``workshop``.

    Its room k if one is chosen, else the published k; never above the published k
    (the series' k may have been lowered since) and never below ``ROOM_MINIMUM``.
    """
    published = published_group_size(floor, workshop.series)
    chosen = workshop.room_min_group_size
    if chosen is None:
        return published
    return max(ROOM_MINIMUM, min(chosen, published))


def series_group_size_range(floor: int) -> tuple[int, int]:
    """Return the lowest and highest k a series may be given."""
    return floor, MAXIMUM


def room_group_size_range(floor: int, series: Series | None) -> tuple[int, int]:
    """Return the lowest and highest room k of a workshop in ``series``."""
    return ROOM_MINIMUM, published_group_size(floor, series)


def check_series_group_size(floor: int, k: int) -> None:
    """Raise ``ThresholdError`` unless ``k`` may be a series' k (the floor to ``MAXIMUM``)."""
    low, high = series_group_size_range(floor)
    if not low <= k <= high:
        raise ThresholdError(
            f"the smallest group shown must be from {low} (this server's minimum) "
            f"to {high}, not {k}"
        )


def check_room_group_size(floor: int, series: Series | None, k: int | None) -> None:
    """Raise ``ThresholdError`` unless ``k`` may be the room k of a workshop in ``series``.

    ``None`` (no room k of its own: the published one) is always allowed.
    """
    if k is None:
        return
    low, high = room_group_size_range(floor, series)
    if not low <= k <= high:
        raise ThresholdError(
            f"the smallest group shown in the room must be from {low} "
            f"to {high} (the published threshold), not {k}"
        )
