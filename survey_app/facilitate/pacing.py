"""Facilitator-paced mode: moving the room from question to question.

``POST /workshops/<id>/pace`` (field ``move``: next, previous, waiting, results or a
question key; CSRF token as the field ``csrf_token`` or the header ``X-CSRFToken``)
moves the room and redirects to the workshop page, or answers JSON when the request
accepts ``application/json`` (the presenter view's script). ``GET
/workshops/<id>/pace.json`` tells where the room is.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, workshop_with_access
from survey_app.extensions import db
from survey_app.facilitate.views import blueprint
from survey_app.instruments.store import instrument_of
from survey_app.models import AccessLevel, Workshop, WorkshopState
from survey_app.workshops.pacing import InvalidMove, move_pace, pace_index, pace_keys, position_of


@blueprint.post("/workshops/<int:workshop_id>/pace")
@allow(Audience.staff)
def pace(workshop_id: int) -> HttpResponse:
    """Move a paced workshop's room (409 if it is not paced or closed, 400 for an unknown
    move; errors as JSON for callers that asked for JSON, see ``errors.error_page``)."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    if not workshop.paced:
        abort(409, description=_("This workshop is not facilitator-paced."))
    if workshop.state is WorkshopState.closed:
        abort(409, description=_("The workshop is closed: reopen it to move its room."))
    keys = pace_keys(instrument_of(workshop.instrument_version))
    try:
        move_pace(workshop, keys, request.form.get("move", ""))
    except InvalidMove:
        abort(400, description=_("There is no such question in this questionnaire."))
    state = pace_state(workshop, keys)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(state)
    return redirect(url_for(".workshop_page", workshop_id=workshop_id, _anchor="pace"))


@blueprint.get("/workshops/<int:workshop_id>/pace.json")
@allow(Audience.account)
def pace_json(workshop_id: int) -> dict[str, Any]:
    """Tell where the room of a workshop is (anyone who may read the workshop)."""
    workshop = workshop_with_access(workshop_id, AccessLevel.read)
    return pace_state(workshop, pace_keys(instrument_of(workshop.instrument_version)))


def pace_state(workshop: Workshop, keys: list[str]) -> dict[str, Any]:
    """Return the position as phones see it, with the index among ``keys`` and the keys."""
    return {
        **position_of(workshop).as_json(),
        "paced": workshop.paced,
        "index": pace_index(workshop, keys),
        "count": len(keys),
        "keys": keys,
    }
