"""Checking a part of the questionnaire before moving on.

``POST /j/<CODE>/check`` takes the form as it stands (the page's fields) and the keys of
the questions of the part being left (``check``, repeated), reads the answers exactly as
sending would (``read_answers``) and answers ``{"errors": {KEY: message}}`` in the form's
language: the questions of that part that would be refused (``consent`` too, when the
part asks for it). It stores nothing and needs
no token; the page moves on if it cannot be asked (no connection). A workshop that
no longer takes answers answers ``409`` (``{"closed": true}``): the page reloads and
says so, instead of letting the phone fill in parts that cannot be sent.

(A "clear" button is read by ``responses.answers.cleared``.)
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext, ngettext
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow
from survey_app.extensions import csrf
from survey_app.participate.views import blueprint, workshop_and_instrument
from survey_app.questions import FieldError
from survey_app.responses.answers import read_answers


@blueprint.post("/j/<code>/check")
@allow(Audience.everyone)
@csrf.exempt
def check_part(code: str) -> HttpResponse:
    """Say which questions of a part would be refused, with their messages (JSON)."""
    workshop, instrument = workshop_and_instrument(code, request.form.get("lang"))
    if not workshop.accepts_responses:  # closed meanwhile: the page reloads to say so
        return _unkept({"errors": {}, "closed": True}, 409)
    asked = set(request.form.getlist("check"))
    answers = read_answers(instrument, request.form)
    errors = {key: error_text(error) for key, error in answers.errors.items() if key in asked}
    if "consent" in asked and instrument.consent and request.form.get("consent") != "yes":
        errors["consent"] = gettext("Please agree so that we may use your answers.")
    return _unkept({"errors": errors}, 200)


def _unkept(body: dict[str, object], status: int) -> HttpResponse:
    """Answer ``body`` as JSON that no cache keeps (it depends on the posted answers)."""
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def error_text(error: FieldError) -> str:
    """Return the participant's message of ``error`` in the page's language."""
    if error.plural:
        return ngettext(error.message, error.plural, error.count, **error.params)
    return gettext(error.message, **error.params)
