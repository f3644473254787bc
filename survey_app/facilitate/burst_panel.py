"""The workshop page's panel of unusual bursts and set-aside responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from survey_app.exports.table import time_zone_of
from survey_app.models import SetAside, Workshop
from survey_app.responses.bursts import Burst, set_asides, workshop_bursts

#: How the minutes of a burst travel in its form (UTC, as stored).
MINUTE_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass(frozen=True)
class ShownBurst:
    """A burst as the workshop page shows it: local times and the form's values."""

    burst: Burst
    #: "10:14" or "10:14-10:16" in the workshop's time zone, with the day.
    when: str
    from_value: str
    to_value: str


@dataclass(frozen=True)
class ShownSetAside:
    """A set-aside batch as the workshop page shows it."""

    batch: SetAside
    when: str
    set_at: str


def burst_panel(workshop: Workshop) -> dict[str, object]:
    """Return the workshop page's context for bursts and set-aside responses."""
    zone = time_zone_of(workshop)

    def local(moment: datetime, pattern: str) -> str:
        return moment.replace(tzinfo=UTC).astimezone(zone).strftime(pattern)

    def span(first: datetime, last: datetime) -> str:
        start = local(first, "%Y-%m-%d %H:%M")
        return start if first == last else f"{start}–{local(last, '%H:%M')}"

    bursts = [
        ShownBurst(
            burst,
            span(burst.from_minute, burst.to_minute),
            burst.from_minute.strftime(MINUTE_FORMAT),
            burst.to_minute.strftime(MINUTE_FORMAT),
        )
        for burst in workshop_bursts(workshop, current_app.config)
    ]
    batches = [
        ShownSetAside(
            batch, span(batch.from_minute, batch.to_minute), local(batch.set_at, "%Y-%m-%d %H:%M")
        )
        for batch in set_asides(workshop.id)
    ]
    return {"bursts": bursts, "set_asides": batches}
