"""Unusual bursts of responses: a per-workshop limit, a flag, and setting responses aside.

A room cannot answer faster than its people: a minute with more responses than the
workshop expects people (``Workshop.expected_participants`` times ``BURST_FACTOR``),
or, without an expected size, more than ``BURST_PER_MINUTE``, is flagged; so is a
minute with many identical responses (``BURST_IDENTICAL``, or half the expected room
if more), the mark of a script sending one form again and again. The flag only
informs: the facilitator looks and may set the burst's responses aside
(``set_aside_burst``): they stay stored, untouched, but no result, count, export or
briefing counts them (``models.set_aside.counted_answers``), until restored.

Response times are kept to the minute, so bursts are told by the minute too.

The hard limit (``store_limit``) only stops what no room produces: by default at
least ``RESPONSES_PER_MINUTE`` new responses per workshop per minute (600: a room of
400 on one NAT sending everything in the same minute still fits), or three times the
expected room if that is more.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from survey_app.audit import record
from survey_app.database import driver_cursor
from survey_app.extensions import db
from survey_app.models import Response, SetAside, SetAsideResponse, Workshop, counted_responses
from survey_app.models._time import utcnow
from survey_app.models.briefing import forget_briefings

#: Defaults of the settings of the same names.
RESPONSES_PER_MINUTE = 600
LIMIT_FACTOR = 3.0
BURST_FACTOR = 1.0
BURST_PER_MINUTE = 150
BURST_IDENTICAL = 20
#: A burst's minutes are never below this many responses (a tiny room's few at once).
BURST_FLOOR = 10


@dataclass(frozen=True)
class BurstRules:
    """When a minute is unusual for one workshop."""

    #: More responses than this in one minute.
    per_minute: int
    #: At least this many identical responses in one minute.
    identical: int


@dataclass(frozen=True)
class Burst:
    """Minutes in a row with unusually many responses, or many identical ones."""

    from_minute: datetime
    to_minute: datetime
    #: How many counted responses the burst holds (all of its minutes, or the identical ones).
    responses: int
    #: The identical responses' answers (their ``answers_hash``); None: every response.
    answers_hash: str | None = None

    @property
    def identical(self) -> bool:
        """Say whether the burst is one set of identical answers."""
        return self.answers_hash is not None


def store_limit(workshop: Workshop, config: Mapping[str, Any]) -> int:
    """Return how many new responses the workshop takes per minute."""
    floor = int(config.get("RESPONSES_PER_MINUTE", RESPONSES_PER_MINUTE))
    expected = workshop.expected_participants or 0
    return max(floor, math.ceil(float(config.get("LIMIT_FACTOR", LIMIT_FACTOR)) * expected))


def arrivals_this_minute(workshop_id: int, minute: datetime) -> int:
    """Return how many responses the workshop got in ``minute`` (set aside or not).

    Through the driver (a participant's post is the hot path), on the index
    (workshop_id, submitted_at), in the session's transaction.
    """
    driver = driver_cursor(db.session)
    try:
        mark = driver.mark
        driver.cursor.execute(
            f"SELECT count(*) FROM response WHERE workshop_id = {mark} AND submitted_at = {mark}",
            (workshop_id, driver.value(minute)),
        )
        return int(driver.cursor.fetchone()[0])
    finally:
        driver.cursor.close()


def burst_rules(workshop: Workshop, config: Mapping[str, Any]) -> BurstRules:
    """Return when a minute is unusual for ``workshop``."""
    expected = workshop.expected_participants
    identical = int(config.get("BURST_IDENTICAL", BURST_IDENTICAL))
    if expected:
        per_minute = math.ceil(float(config.get("BURST_FACTOR", BURST_FACTOR)) * expected)
        identical = max(identical, math.ceil(expected / 2))
    else:
        per_minute = int(config.get("BURST_PER_MINUTE", BURST_PER_MINUTE))
    return BurstRules(max(BURST_FLOOR, per_minute), identical)


def _runs(minutes: list[tuple[datetime, int]]) -> list[list[tuple[datetime, int]]]:
    """Split sorted ``(minute, count)`` pairs into runs of minutes in a row."""
    runs: list[list[tuple[datetime, int]]] = []
    for minute, count in minutes:
        if runs and minute - runs[-1][-1][0] <= timedelta(minutes=1):
            runs[-1].append((minute, count))
        else:
            runs.append([(minute, count)])
    return runs


def find_bursts(
    minutes: list[tuple[datetime, int]],
    identical: list[tuple[datetime, str, int]],
    rules: BurstRules,
) -> list[Burst]:
    """Return the bursts among per-minute counts and groups of identical responses.

    ``minutes``: ``(minute, responses)``; ``identical``: ``(minute, answers_hash,
    responses)``. Unusual minutes in a row make one burst. Identical responses make a
    burst of their own, also within a burst of the minute (the facilitator may set aside
    only those): the minutes in a row in which the same answers arrive, if one of them
    holds at least ``rules.identical`` (a script's tail in the next minute belongs to it).
    """
    unusual = sorted((m, c) for m, c in minutes if c > rules.per_minute)
    bursts = [Burst(run[0][0], run[-1][0], sum(c for _, c in run)) for run in _runs(unusual)]
    same: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for minute, digest, count in identical:
        same[digest].append((minute, count))
    for digest, found in same.items():
        for run in _runs(sorted(found)):
            if max(c for _, c in run) >= rules.identical:
                bursts.append(Burst(run[0][0], run[-1][0], sum(c for _, c in run), digest))
    return sorted(bursts, key=lambda burst: (burst.from_minute, burst.answers_hash or ""))


def workshop_bursts(workshop: Workshop, config: Mapping[str, Any]) -> list[Burst]:
    """Return the unusual bursts among the workshop's counted responses (three queries)."""
    rules = burst_rules(workshop, config)
    counted = (Response.workshop_id == workshop.id, counted_responses([workshop.id]))
    minutes = db.session.execute(
        select(Response.submitted_at, func.count())
        .where(*counted)
        .group_by(Response.submitted_at)
        .having(func.count() > rules.per_minute)
    ).all()
    flagged = db.session.scalars(
        select(Response.answers_hash)
        .where(*counted)
        .group_by(Response.submitted_at, Response.answers_hash)
        .having(func.count() >= rules.identical)
    ).all()
    identical = []
    if flagged:
        identical = db.session.execute(
            select(Response.submitted_at, Response.answers_hash, func.count())
            .where(*counted, Response.answers_hash.in_(set(flagged)))
            .group_by(Response.submitted_at, Response.answers_hash)
        ).all()
    return find_bursts(
        [(m, int(c)) for m, c in minutes], [(m, h, int(c)) for m, h, c in identical], rules
    )


def set_aside_burst(
    workshop: Workshop, from_minute: datetime, to_minute: datetime, answers_hash: str | None
) -> SetAside | None:
    """Set aside the counted responses of these minutes (with these answers, if given).

    None if there are none. The responses stay stored; their revision goes up, so
    that every cached summary and screen sees the change, and the workshop's
    briefings are deleted (they are built again without them).
    """
    conditions = [
        Response.workshop_id == workshop.id,
        Response.submitted_at.between(from_minute, to_minute),
        counted_responses([workshop.id]),
    ]
    if answers_hash is not None:
        conditions.append(Response.answers_hash == answers_hash)
    ids = list(db.session.scalars(select(Response.id).where(*conditions)))
    if not ids:
        return None
    batch = SetAside(
        workshop_id=workshop.id,
        from_minute=from_minute,
        to_minute=to_minute,
        answers_hash=answers_hash,
        responses=len(ids),
    )
    db.session.add(batch)
    db.session.flush()
    db.session.execute(
        insert(SetAsideResponse),
        [{"response_id": i, "set_aside_id": batch.id, "workshop_id": workshop.id} for i in ids],
    )
    _changed(workshop, ids)
    record("responses.set_aside", f"workshop:{workshop.id}", responses=len(ids), batch=batch.id)
    return batch


def restore_set_aside(workshop: Workshop, batch: SetAside) -> int:
    """Count a set-aside batch's responses again; return how many."""
    ids = list(
        db.session.scalars(
            select(SetAsideResponse.response_id).where(SetAsideResponse.set_aside_id == batch.id)
        )
    )
    db.session.execute(delete(SetAsideResponse).where(SetAsideResponse.set_aside_id == batch.id))
    db.session.delete(batch)
    db.session.flush()
    _changed(workshop, ids)
    record("responses.restored", f"workshop:{workshop.id}", responses=len(ids), batch=batch.id)
    return len(ids)


def set_asides(workshop_id: int) -> list[SetAside]:
    """Return the workshop's set-aside batches, newest first."""
    return list(
        db.session.scalars(
            select(SetAside).where(SetAside.workshop_id == workshop_id).order_by(SetAside.id.desc())
        )
    )


def seconds_to_next_minute() -> int:
    """Return the seconds until the next minute begins (a limited post's Retry-After)."""
    now = utcnow()
    return max(1, 60 - now.second)


def _changed(workshop: Workshop, ids: list[int]) -> None:
    """Make caches, screens and briefings see that these responses count differently."""
    for start in range(0, len(ids), 500):
        db.session.execute(
            update(Response)
            .where(Response.id.in_(ids[start : start + 500]))
            .values(revision=Response.revision + 1)
            .execution_options(synchronize_session=False)
        )
    forget_briefings(db.session, workshop.id, workshop.series_id)
