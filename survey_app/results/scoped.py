"""Summaries of workshops or a series as the pages and the API ask for them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Response, Workshop, WorkshopState
from survey_app.results.published import summarize_scope
from survey_app.results.selection import Selection
from survey_app.results.settings import ResultSettings

#: What changes with the responses: how many, the newest id (submissions), the sum of
#: revisions (edits through edit links).
RESPONSE_VERSION = (func.count(Response.id), func.max(Response.id), func.sum(Response.revision))


def summarize_selection(selection: Selection, settings: ResultSettings) -> dict[str, Any]:
    """Summarize the selected workshops together (maybe one breakdown group), suppressed.

    With the selection's newest questionnaire version; workshops of another
    questionnaire are left out and named (``"other_questionnaire"``: their ids); no
    workshops give no results.
    """
    instrument = selection.instrument
    if instrument is None:
        return {"n_responses": 0, "questions": []}
    summary = summarize_scope(instrument, selection.scope, settings)
    others = selection.other_questionnaire
    return {**summary, "other_questionnaire": others} if others else summary


def data_version(workshop_ids: list[int]) -> str:
    """Return a tag that changes whenever responses of these workshops change.

    One aggregate over the index (workshop_id, revision): the count and newest id of
    responses (new submissions) and the sum of revisions (edits through edit links).
    """
    row = db.session.execute(
        select(*RESPONSE_VERSION).where(Response.workshop_id.in_(workshop_ids))
    ).one()
    return _digest([sorted(workshop_ids), *row])


def closed_data_version(series_id: int | None, workshop_ids: list[int]) -> str:
    """Return a tag that changes whenever published results may (one statement).

    Published results cover closed workshops: the tag follows the responses of the
    closed workshops of the series (``workshop_ids``' closed ones, without a series)
    and which workshops those are (their number and the sum of their ids: a workshop
    closing or opening again changes both).
    """
    scope = (
        Workshop.series_id == series_id if series_id is not None else Workshop.id.in_(workshop_ids)
    )
    closed = select(Workshop.id).where(scope, Workshop.state == WorkshopState.closed)
    which = closed.with_only_columns(func.count(Workshop.id), func.sum(Workshop.id)).subquery()
    row = db.session.execute(
        select(
            select(which.c[0]).scalar_subquery(),
            select(which.c[1]).scalar_subquery(),
            *RESPONSE_VERSION,
        ).where(Response.workshop_id.in_(closed))
    ).one()
    return _digest(row)


def _digest(values: Iterable[object]) -> str:
    """Return a short tag of ``values`` (20 hex digits of their SHA-256)."""
    raw = ":".join(str(value) for value in values)
    return hashlib.sha256(raw.encode()).hexdigest()[:20]
