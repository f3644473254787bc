"""Answers of a facilitator-paced workshop: one question at a time, into one response.

A phone keeps one ``submission_id`` for the whole workshop. Its first answer creates
the response through ``submit_response`` (the unique constraint on ``submission_id``
decides, as for a whole questionnaire); every later answer replaces the rows of its
question in that response through ``replace_response`` (the path of the edit link),
so a phone never has a second response and a repeated answer changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from survey_app.definition.model import Instrument
from survey_app.extensions import db
from survey_app.models import Response, Workshop
from survey_app.questions import FieldError
from survey_app.responses.answers import answers_hash, form_values, read_answers
from survey_app.responses.operations import (
    Outcome,
    replace_response,
    stored_rows,
    submit_response,
)


@dataclass
class PacedAnswer:
    """What became of one question's answer."""

    #: None when nothing was stored (errors, or a question that does not apply).
    outcome: Outcome | None
    #: Remarks on the answered question (its key) and on ``consent``.
    errors: dict[str, FieldError | None] = field(default_factory=dict)
    #: The question does not apply to this phone (``show_if`` on its earlier answers).
    hidden: bool = False


def field_belongs_to(name: str, key: str) -> bool:
    """Say whether the form field ``name`` carries an answer to question ``key``."""
    return name == f"q.{key}" or name.startswith(f"q.{key}.")


def answers_so_far(
    instrument: Instrument, response: Response | None, key: str, posted: MultiDict[str, str]
) -> MultiDict[str, str]:
    """Return the phone's stored answers as form fields, those of ``key`` taken from ``posted``."""
    values = form_values(instrument, stored_rows(response)) if response is not None else MultiDict()
    return with_posted(values, key, posted)


def with_posted(
    values: MultiDict[str, str], key: str, posted: MultiDict[str, str]
) -> MultiDict[str, str]:
    """Return ``values`` with the fields of question ``key`` replaced by the posted ones."""
    kept = [
        (name, value) for name, value in values.items(multi=True) if not field_belongs_to(name, key)
    ]
    given = [
        (name, value) for name, value in posted.items(multi=True) if field_belongs_to(name, key)
    ]
    return MultiDict(kept + given)


def answer_question(
    workshop: Workshop,
    instrument: Instrument,
    submission_id: str,
    language: str,
    consented: bool,
    key: str,
    posted: MultiDict[str, str],
) -> PacedAnswer:
    """Store the answer to question ``key`` in the phone's one response (the first creates it).

    Call it in ``write_transaction``: the phone's response is read locked (``FOR
    UPDATE`` on PostgreSQL; SQLite's write lock is held already), so two answers of
    one phone at once both end up in it.
    """
    response = _locked_response(submission_id)
    if response is not None and response.workshop_id != workshop.id:
        return PacedAnswer(Outcome.conflict)
    answers = read_answers(instrument, answers_so_far(instrument, response, key, posted))
    if key in answers.hidden:
        return PacedAnswer(None, hidden=True)
    errors: dict[str, FieldError | None] = {}
    if key in answers.errors:
        errors[key] = answers.errors[key]
    if response is None and instrument.consent and not consented:
        errors["consent"] = None  # the template shows its own consent message
    if errors:
        return PacedAnswer(None, errors)
    # Questions not reached yet (required ones among them) have no rows: nothing to store.
    digest = answers_hash(answers.rows)
    if response is None:
        outcome = submit_response(
            workshop, submission_id, language, consented, answers.rows, digest
        )
        if outcome is Outcome.stored:
            return PacedAnswer(outcome)
        # Another request of this phone stored the response first: answer into it.
        return answer_question(workshop, instrument, submission_id, language, True, key, posted)
    return PacedAnswer(replace_response(response, language, answers.rows, digest))


def _locked_response(submission_id: str) -> Response | None:
    statement = select(Response).filter_by(submission_id=submission_id).with_for_update()
    return db.session.scalar(statement)
