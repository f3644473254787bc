"""``/api/v1``: bearer token or logged-in session; small cells always suppressed."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, jsonify
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import (
    Audience,
    allow,
    readable_series_ids,
    series_level,
    series_with_access,
    workshop_with_access,
)
from survey_app.extensions import csrf, db
from survey_app.jobs import FAILED
from survey_app.models import AccessLevel, Workshop
from survey_app.questions import QUESTION_TYPES
from survey_app.results import ResultSettings
from survey_app.results.deciding import RETRY_AFTER, pending_decision
from survey_app.results.scoped import summarize_selection
from survey_app.results.selection import Selection, select_workshops
from survey_app.workshops.queries import response_counts

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(blueprint)  # read-only, and programs authenticate with bearer tokens
OPENAPI = Path(__file__).with_name("openapi.json")


@lru_cache(maxsize=1)
def _stored_document() -> str:
    return OPENAPI.read_text(encoding="utf-8")


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI description of this API, naming every registered question type.

    ``api/openapi.json`` lists the built-in types; a type added to the registry joins
    them here, so that adding a type needs no edit of the document.
    """
    document: dict[str, Any] = json.loads(_stored_document())
    kinds = document["components"]["schemas"]["Question"]["properties"]["type"]["enum"]
    added = [name for name, kind in QUESTION_TYPES.items() if kind.answerable]
    kinds.extend(name for name in added if name not in kinds)
    return document


@blueprint.get("/openapi.json")
@allow(Audience.everyone)
def openapi() -> HttpResponse:
    """Serve the OpenAPI document."""
    return jsonify(openapi_document())


@blueprint.get("/workshops")
@allow(Audience.account)
def workshops() -> HttpResponse:
    """List the workshops the caller may read."""
    query = select(Workshop).order_by(Workshop.id)
    series_ids = readable_series_ids(current_user)
    if series_ids is not None:
        query = query.where(Workshop.series_id.in_(series_ids))
    rows = list(db.session.scalars(query))
    counts = response_counts([w.id for w in rows])
    managed = {
        series_id
        for series_id in {w.series_id for w in rows}
        if series_level(current_user, series_id) is AccessLevel.manage
    }
    return jsonify(
        {"workshops": [workshop_json(w, counts.get(w.id, 0), w.series_id in managed) for w in rows]}
    )


@blueprint.get("/workshops/<int:workshop_id>")
@allow(Audience.account)
def workshop(workshop_id: int) -> HttpResponse:
    """Describe one workshop."""
    found = workshop_with_access(workshop_id)
    manages = series_level(current_user, found.series_id) is AccessLevel.manage
    return jsonify(workshop_json(found, response_counts([found.id]).get(found.id, 0), manages))


@blueprint.get("/workshops/<int:workshop_id>/summary")
@allow(Audience.account)
def workshop_summary_view(workshop_id: int) -> HttpResponse:
    """Summarize one workshop's responses (small cells suppressed)."""
    workshop = workshop_with_access(workshop_id)
    return _summary(select_workshops(db.session, workshop_ids=[workshop.id]))


@blueprint.get("/series/<int:series_id>/summary")
@allow(Audience.account)
def series_summary_view(series_id: int) -> HttpResponse:
    """Summarize a whole series (small cells suppressed)."""
    series = series_with_access(series_id)
    return _summary(select_workshops(db.session, series=series.id))


def _summary(selection: Selection) -> HttpResponse:
    """Answer the summary, or 202 while its protection is decided (503 if that failed)."""
    settings = ResultSettings.for_selection(current_app.config, selection)
    state = pending_decision(selection, settings)
    if state is None:
        return jsonify(summarize_selection(selection, settings))
    if state.state == FAILED:
        current_app.logger.error("deciding the protection failed: %s", state.error)
        abort(503, description="The results could not be prepared; try again in a minute.")
    answer = jsonify({"status": "preparing", "retry_after": RETRY_AFTER})
    answer.status_code = 202
    answer.headers["Retry-After"] = str(RETRY_AFTER)
    return answer


def workshop_json(workshop: Workshop, n_responses: int, manages: bool) -> dict[str, Any]:
    """Return the description of a workshop for its reader.

    The join code only for those who run the workshop (``manages``): a reader who could
    add answers of their own and read published results could subtract them.
    """
    version = workshop.instrument_version
    series = workshop.series
    return {
        "id": workshop.id,
        "title": workshop.title,
        "municipality": workshop.municipality,
        "date": workshop.date.isoformat() if workshop.date else None,
        "state": workshop.state.value,
        "join_code": workshop.join_code if manages else None,
        "series": {"id": series.id, "slug": series.slug, "title": series.title} if series else None,
        "instrument": {"key": version.key, "version": version.version, "title": version.title},
        "n_responses": n_responses,
    }
