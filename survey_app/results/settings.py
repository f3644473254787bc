"""What the results engine takes from the configuration, passed in by its callers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ResultSettings:
    """How results are made: the smallest group shown (k) and whether cached parts are used.

    The engine reads no configuration: the pages, the API, the briefings and the
    commands build this once from the app's configuration (``from_config``) and pass it.
    """

    #: k: counts of 1 to k-1 are never shown (``MIN_GROUP_SIZE``).
    min_group_size: int = 5
    #: Add up the per-workshop parts kept in ``summary_part`` (``SUMMARY_CACHE``) instead
    #: of counting every answer row again.
    cache: bool = True
    #: The room's own screens of one workshop (projector, live dashboard in the room):
    #: protection is decided for that workshop alone, with the workshop's room
    #: threshold as k. Published outputs (viewers, API, briefings, exports) never set it.
    room: bool = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ResultSettings:
        """Return the settings an app's configuration asks for (defaults: k = 5, cache on)."""
        return cls(
            min_group_size=int(config.get("MIN_GROUP_SIZE", 5)),
            cache=bool(config.get("SUMMARY_CACHE", True)),
        )
