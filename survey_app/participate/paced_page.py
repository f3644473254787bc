"""The page of a facilitator-paced workshop: the question the room is on, and nothing else.

A phone keeps one ``submission_id`` for the workshop: in the page's form (the client
keeps it on retries, as in a whole questionnaire) and in the session cookie, so
that a reload or the "show the current question" link finds the same response.
"""

from __future__ import annotations

from flask import g, render_template, session, url_for
from werkzeug.datastructures import MultiDict

from survey_app.definition.model import Instrument
from survey_app.models import Workshop
from survey_app.questions import FieldError, question_type
from survey_app.responses.answers import form_values, is_visible, read_answers
from survey_app.responses.forms import ParticipationForm
from survey_app.responses.operations import (
    edit_token,
    is_submission_id,
    new_submission_id,
    response_by_submission,
    stored_rows,
)
from survey_app.responses.paced import with_posted
from survey_app.workshops.pacing import position_of


def session_key(workshop: Workshop) -> str:
    """Return the session entry that holds a phone's submission id for ``workshop``."""
    return f"paced:{workshop.join_code}"


def phone_submission_id(workshop: Workshop, posted: str | None = None) -> str:
    """Return the phone's submission id: the session's, else the posted one, else a new one.

    The session's id wins over a posted one, and a posted id that already has a response
    is not taken up by a session without it: knowing another phone's id (from a shared
    screen or a replayed request) does not let anyone change that phone's answers.
    """
    remembered = session.get(session_key(workshop))
    if remembered and is_submission_id(remembered):
        chosen = remembered
    elif posted and is_submission_id(posted) and response_by_submission(posted) is None:
        chosen = posted
    else:
        chosen = new_submission_id()
    if session.get(session_key(workshop)) != chosen:
        session[session_key(workshop)] = chosen
    return chosen


def paced_edit_url(workshop: Workshop, secret_key: str) -> str | None:
    """Return the edit link of the response this phone began while the workshop was paced.

    None when the phone has none (no session entry: no query). A phone whose workshop
    stopped being paced edits that response instead of starting a second one.
    """
    submission_id = session.get(session_key(workshop))
    if not submission_id or not is_submission_id(submission_id):
        return None
    response = response_by_submission(submission_id)
    if response is None or response.workshop_id != workshop.id:
        return None
    return _edit_url(workshop, submission_id, secret_key)


def render_paced_page(
    workshop: Workshop,
    instrument: Instrument,
    submission_id: str,
    secret_key: str,
    posted: MultiDict[str, str] | None = None,
    errors: dict[str, FieldError | None] | None = None,
    expired: bool = False,
    busy: bool = False,
) -> str:
    """Render the room's current question with the phone's answers so far.

    ``posted`` and ``errors`` show a refused answer again as it was typed; ``busy``
    says that the workshop's limit of new responses this minute was reached.
    """
    position = position_of(workshop)
    response = response_by_submission(submission_id)
    if response is not None and response.workshop_id != workshop.id:
        response = None
    rows = stored_rows(response) if response is not None else []
    values = form_values(instrument, rows)
    question = (
        next((q for q in instrument.questions() if q.key == position.question), None)
        if position.question
        else None
    )
    applies = question is not None and is_visible(question, read_answers(instrument, values).values)
    if posted is not None and question is not None:
        values = with_posted(values, question.key, posted)
    form = ParticipationForm(data={"submission_id": submission_id, "lang": g.language})
    edit_link = _edit_url(workshop, submission_id, secret_key) if response is not None else None
    return render_template(
        "participate/paced.html",
        workshop=workshop,
        instrument=instrument,
        position=position,
        question=question if applies else None,
        skipped=question is not None and not applies,
        answerable=question is not None and question_type(question.type).answerable,
        answered=question is not None and any(r.question_key == question.key for r in rows),
        ask_consent=bool(instrument.consent) and response is None,
        form=form,
        values=values,
        errors=errors or {},
        expired=expired,
        busy=busy,
        edit_link=edit_link,
    )


def _edit_url(workshop: Workshop, submission_id: str, secret_key: str) -> str:
    return url_for(
        ".edit",
        code=workshop.join_code,
        submission_id=submission_id,
        token=edit_token(secret_key, submission_id),
        lang=g.language,
    )
