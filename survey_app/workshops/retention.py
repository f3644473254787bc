"""The data lifecycle of workshops: deleting responses, retention periods, purging.

Each operation writes its audit entry; the caller commits.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from survey_app.audit import record
from survey_app.extensions import db
from survey_app.models import Answer, Response, Series, Workshop, WorkshopState
from survey_app.models._time import utcnow
from survey_app.models.briefing import forget_briefings
from survey_app.models.summary_cache import forget_parts


def delete_responses(workshop: Workshop) -> int:
    """Delete every response of a workshop (the workshop stays); return how many."""
    count = _delete_rows(workshop)
    record("delete_responses", f"workshop {workshop.id}", title=workshop.title, responses=count)
    return count


def purge_responses(workshop: Workshop) -> int:
    """Delete the responses of a workshop past its retention period; return how many."""
    count = _delete_rows(workshop)
    days = workshop.series.retention_days if workshop.series else None
    record("purge", f"workshop {workshop.id}", title=workshop.title, responses=count, days=days)
    return count


def set_retention(series: Series, days: int | None) -> None:
    """Purge a series' responses ``days`` after each workshop closed (None: never)."""
    series.retention_days = days
    record("set_retention", f"series {series.slug}", days=series.retention_days)


def workshops_past_retention() -> list[Workshop]:
    """Return closed workshops whose series' retention period has run out and that hold data."""
    now = utcnow()
    candidates = db.session.scalars(
        select(Workshop)
        .join(Series, Series.id == Workshop.series_id)
        .where(Series.retention_days.is_not(None), Workshop.state == WorkshopState.closed)
        .where(Workshop.closed_at.is_not(None))
    )
    due = []
    for workshop in candidates:
        days = workshop.series.retention_days if workshop.series else None
        has_data = db.session.scalar(
            select(Response.id).where(Response.workshop_id == workshop.id).limit(1)
        )
        if days is not None and workshop.closed_at + timedelta(days=days) <= now and has_data:
            due.append(workshop)
    return due


def _delete_rows(workshop: Workshop) -> int:
    """Delete the answers, responses and briefings of a workshop; return how many responses."""
    count = db.session.scalar(select(func.count()).where(Response.workshop_id == workshop.id)) or 0
    db.session.execute(delete(Answer).where(Answer.workshop_id == workshop.id))
    db.session.execute(delete(Response).where(Response.workshop_id == workshop.id))
    forget_parts(db.session, workshop.id)  # SQLite may reuse the deleted ids
    forget_briefings(db.session, workshop.id, workshop.series_id)
    return int(count)
