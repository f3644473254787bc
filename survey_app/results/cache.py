"""Per-workshop partial counts kept in the database and added up for any scope.

Every count a summary needs is additive over workshops (a response belongs to one
workshop): rows per option, item or value, distinct respondents, responses, answers
per free-text term, responses per minute. So the counts of each workshop are kept
in the table ``summary_part``, tagged with the workshop's data version (responses,
newest id, sum of revisions), and a scope's summary is the sum of its workshops'
parts, summarized and suppressed afterwards: medians and quartiles come from the
summed frequency table of exact values, and suppression sees only the sum.

A part is counted again when its workshop's version changed: new responses only
(same revisions, newest id grown, the count grown by exactly the new ones) are
counted on their own and added; anything else (an edit, a deletion) recounts the
workshop. Deleting responses also deletes the parts (``forget_parts``), since SQLite
may give a new response the id of a deleted one. Theme counts are not cached: a
coding change must show at once, and they are one small query.

The table is shared by all app servers; nothing lives in process memory.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from survey_app.database import holds_write_lock, short_write_transaction
from survey_app.models import Response, SummaryPart
from survey_app.models._time import utcnow
from survey_app.results.partial import Partial, count_parts
from survey_app.results.tables import Wanted

#: Bump when ``Partial``'s JSON changes: old parts are then never read.
FORMAT = 1
#: How long storing parts may wait for a lock before giving up (the parts are only a cache).
LOCK_WAIT_MS = 1000
#: (responses, newest id, sum of revisions) of a workshop.
Version = tuple[int, int, int]


def wanted_key(wanted: Wanted, text_keys: list[str]) -> str:
    """Return a short hash of what a part counts: questions by family, languages, format."""
    raw = json.dumps(
        [FORMAT, sorted((f, sorted(k)) for f, k in wanted.families.items()),
         sorted(wanted.count_distinct), list(wanted.languages), sorted(text_keys)]
    )  # fmt: skip
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def group_key(group: tuple[str, str] | None) -> str:
    """Return ``question:option`` of a breakdown group, ``""`` for none."""
    return f"{group[0]}:{group[1]}" if group else ""


def versions(session: Session, workshop_ids: list[int]) -> dict[int, Version]:
    """Return the data version of each workshop that has responses (one indexed query)."""
    statement = (
        select(
            Response.workshop_id,
            func.count(Response.id),
            func.max(Response.id),
            func.coalesce(func.sum(Response.revision), 0),
        )
        .where(Response.workshop_id.in_(workshop_ids))
        .group_by(Response.workshop_id)
    )
    return {w: (int(c), int(m), int(s)) for w, c, m, s in session.execute(statement)}


def workshop_parts(
    session: Session,
    workshop_ids: list[int],
    group: tuple[str, str] | None,
    wanted: Wanted,
    text_keys: list[str],
) -> dict[int, Partial]:
    """Return each workshop's counts, from ``summary_part`` where still current.

    Parts that had to be counted are stored afterwards (``store_parts``), but only
    if the workshop's version did not change while counting: on PostgreSQL each
    query sees the newest committed rows, so a part counted during a submission
    could hold more than its version says.
    """
    key, gkey = wanted_key(wanted, text_keys), group_key(group)
    current = versions(session, workshop_ids)
    stored = {
        row.workshop_id: row
        for row in session.scalars(
            select(SummaryPart).where(
                SummaryPart.workshop_id.in_(workshop_ids),
                SummaryPart.group_key == gkey,
                SummaryPart.wanted_key == key,
            )
        )
    }
    parts: dict[int, Partial] = {}
    recount, counted = [], []
    for workshop_id in workshop_ids:
        version = current.get(workshop_id)
        row = stored.get(workshop_id)
        if version is None:
            parts[workshop_id] = Partial()
        elif row is not None and (row.responses, row.last_id, row.revisions) == version:
            parts[workshop_id] = Partial.from_json(row.payload)
        else:
            counted.append(workshop_id)
            part = _updated(session, row, version, workshop_id, group, wanted, text_keys)
            if part is None:
                recount.append(workshop_id)
            else:
                parts[workshop_id] = part
    if recount:
        parts.update(count_parts(session, recount, group, wanted, text_keys))
    if counted:
        after = versions(session, counted)
        unchanged = [w for w in counted if after.get(w) == current[w]]
        if unchanged:
            store_parts(session, gkey, key, [(w, current[w], parts[w]) for w in unchanged])
    return parts


def _updated(
    session: Session,
    row: SummaryPart | None,
    version: Version,
    workshop_id: int,
    group: tuple[str, str] | None,
    wanted: Wanted,
    text_keys: list[str],
) -> Partial | None:
    """Return a stored part plus the new responses, if only new responses came since."""
    if row is None or row.revisions != version[2] or row.last_id >= version[1]:
        return None
    new = session.scalar(
        select(func.count(Response.id)).where(
            Response.workshop_id == workshop_id,
            Response.id > row.last_id,
            Response.id <= version[1],
        )
    )
    if new != version[0] - row.responses:
        return None  # something was deleted as well: count again
    part = Partial.from_json(row.payload)
    span = (row.last_id, version[1])
    part.add(count_parts(session, [workshop_id], group, wanted, text_keys, span)[workshop_id])
    return part


def store_parts(
    session: Session, gkey: str, key: str, counted: list[tuple[int, Version, Partial]]
) -> None:
    """Replace the stored parts of these workshops, in a short transaction of its own.

    Its own connection, so that a page that only reads keeps a read transaction
    (on SQLite: never upgraded to a write) and a failure here costs only the cache.
    Two servers storing the same part at once: the unique constraint keeps one.
    """
    ids = [workshop_id for workshop_id, _, _ in counted]
    statements = [
        delete(SummaryPart).where(
            SummaryPart.workshop_id.in_(ids),
            SummaryPart.group_key == gkey,
            SummaryPart.wanted_key == key,
        ),
        insert(SummaryPart).values(
            [
                {
                    "workshop_id": workshop_id, "group_key": gkey, "wanted_key": key,
                    "responses": version[0], "last_id": version[1], "revisions": version[2],
                    "payload": part.to_json(), "computed_at": utcnow(),
                }
                for workshop_id, version, part in counted
            ]
        ),
    ]  # fmt: skip
    if holds_write_lock(session):
        # This thread's transaction takes the write lock: a second connection would
        # wait for it. Write in the same transaction (nobody else can conflict).
        for statement in statements:
            session.execute(statement)
        return
    try:
        # Never wait long for a lock: the caller (or a thread it waits for) may hold it.
        with short_write_transaction(session, LOCK_WAIT_MS) as connection:
            for statement in statements:
                connection.execute(statement)
    except (IntegrityError, OperationalError):
        pass  # another server stored the same parts meanwhile, or the lock was busy
