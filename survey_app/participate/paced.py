"""Phones in a facilitator-paced workshop: answering one question, following the room.

``POST /j/<CODE>/answer`` stores one question's answer in the phone's one response
and redirects (303) to ``/j/<CODE>``, which shows the question the room is on.
``GET /j/<CODE>/now`` is what phones ask every 2 s: ``{"step", "state", "question"}``
with an ETag, ``304`` while nothing moved, from a short in-process cache (at most one
indexed query per process and ``PACE_CACHE_SECONDS``). Neither stores nor logs more
about the phone than the other participant routes do.
"""

from __future__ import annotations

from flask import current_app, g, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow
from survey_app.database import reads_first, write_transaction
from survey_app.extensions import csrf, db
from survey_app.participate.forms import csrf_token_is_valid
from survey_app.participate.paced_page import phone_submission_id, render_paced_page
from survey_app.participate.views import blueprint, workshop_and_instrument
from survey_app.responses.answers import cleared
from survey_app.responses.bursts import seconds_to_next_minute, store_limit
from survey_app.responses.operations import Outcome
from survey_app.responses.paced import read_answer, store_answer
from survey_app.workshops.operations import normalize_join_code
from survey_app.workshops.pacing import pace_index, pace_keys, positions

#: Seconds a process answers ``/now`` from its cache unless ``PACE_CACHE_SECONDS`` says.
DEFAULT_CACHE_SECONDS = 1.0


@blueprint.post("/j/<code>/answer")
@allow(Audience.everyone)
@csrf.exempt
@reads_first
def answer(code: str) -> str | HttpResponse | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Store the answer to one question, or show it again with its remark."""
    workshop, instrument = workshop_and_instrument(code, request.form.get("lang"))
    if not workshop.accepts_responses:
        return render_template("participate/unavailable.html", workshop=workshop), 403
    key = request.form.get("question", "")
    keys = pace_keys(instrument)
    if not workshop.paced or key not in keys:
        # Unpaced, the whole questionnaire (with its required questions) is the only way in;
        # the phone's page says where it is now (its edit link, if it began while paced).
        return _current_question(workshop.join_code)
    if keys.index(key) > pace_index(workshop, keys):
        return _current_question(workshop.join_code)  # the room is not there yet
    secret = current_app.config["SECRET_KEY"]
    submission_id = phone_submission_id(workshop, request.form.get("submission_id"))
    if not csrf_token_is_valid(request.form.get("csrf_token")):
        page = render_paced_page(
            workshop, instrument, submission_id, secret, request.form, expired=True
        )
        return page, 400
    consented = request.form.get("consent") == "yes"
    kept = cleared(request.form)  # a "clear" button: the answer stored without that field
    form = kept if kept is not None else request.form
    read = read_answer(workshop, instrument, submission_id, consented, key, form)
    if read.errors:
        page = render_paced_page(workshop, instrument, submission_id, secret, form, read.errors)
        return page, 422
    outcome = read.outcome
    if read.storable:
        with write_transaction(db.session):
            outcome = store_answer(
                read, workshop, instrument, submission_id, g.language, consented, key, form,
                per_minute_limit=store_limit(workshop, current_app.config),
            )  # fmt: skip
    if outcome is Outcome.limited:
        page = render_paced_page(workshop, instrument, submission_id, secret, form, busy=True)
        return page, 429, {"Retry-After": str(seconds_to_next_minute())}
    if outcome is Outcome.conflict:
        return render_template("participate/conflict.html", workshop=workshop), 409
    return _current_question(workshop.join_code)


@blueprint.get("/j/<code>/now")
@allow(Audience.everyone)
def now(code: str) -> HttpResponse:
    """Tell phones where the room is: the step, the state and the question (tiny JSON)."""
    max_age = float(current_app.config.get("PACE_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
    position = positions.get(normalize_join_code(code), max_age)
    if position is None:
        response = jsonify(error="unknown code")
        response.status_code = 404
        return response
    if position.etag in request.if_none_match:
        response = HttpResponse(status=304)
    else:
        response = jsonify(position.as_json())
    response.set_etag(position.etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _current_question(code: str) -> HttpResponse:
    """Redirect (303) to the page of the room's current question."""
    return redirect(url_for(".questionnaire", code=code, lang=g.language), code=303)
