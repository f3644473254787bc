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
from survey_app.questions import AnswerRow, FieldError
from survey_app.responses.answers import answers_hash, form_values, read_answers
from survey_app.responses.operations import (
    Outcome,
    replace_response,
    stored_rows,
    submit_response,
)


@dataclass
class PacedAnswer:
    """One question's answer read into the phone's answers so far (nothing stored yet)."""

    #: ``conflict`` when the submission id belongs to another workshop, else None.
    outcome: Outcome | None = None
    #: Remarks on the answered question (its key) and on ``consent``.
    errors: dict[str, FieldError | None] = field(default_factory=dict)
    #: The question does not apply to this phone (``show_if`` on its earlier answers).
    hidden: bool = False
    #: The phone's response (None before its first answer) and its ``answers_hash`` as read.
    response: Response | None = None
    read_hash: str | None = None
    #: Every row of the response with this answer in place, and their digest.
    rows: list[AnswerRow] = field(default_factory=list)
    digest: str = ""

    @property
    def storable(self) -> bool:
        """Say whether there is something to store (no conflict, remark or hidden question)."""
        return self.outcome is None and not self.errors and not self.hidden


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
    """Return ``values`` with the fields of question ``key`` replaced by the posted ones
    (and the form's ``lang``, in which typed numbers are read)."""
    kept = [
        (name, value)
        for name, value in values.items(multi=True)
        if not field_belongs_to(name, key) and name != "lang"
    ]
    given = [
        (name, value)
        for name, value in posted.items(multi=True)
        if field_belongs_to(name, key) or name == "lang"
    ]
    return MultiDict(kept + given)


def read_answer(
    workshop: Workshop,
    instrument: Instrument,
    submission_id: str,
    consented: bool,
    key: str,
    posted: MultiDict[str, str],
    lock: bool = False,
) -> PacedAnswer:
    """Read the answer to question ``key`` into the phone's answers so far; store nothing.

    Before the write lock: the lock is then held only for the writes (``store_answer``).
    ``lock`` reads the response ``FOR UPDATE`` (PostgreSQL; inside ``write_transaction``).
    """
    statement = select(Response).filter_by(submission_id=submission_id)
    response = db.session.scalar(statement.with_for_update() if lock else statement)
    if response is not None and response.workshop_id != workshop.id:
        return PacedAnswer(Outcome.conflict)
    answers = read_answers(instrument, answers_so_far(instrument, response, key, posted))
    if key in answers.hidden:
        return PacedAnswer(hidden=True)
    errors: dict[str, FieldError | None] = {}
    if key in answers.errors:
        errors[key] = answers.errors[key]
    if response is None and instrument.consent and not consented:
        errors["consent"] = None  # the template shows its own consent message
    if errors:
        return PacedAnswer(errors=errors)
    # Questions not reached yet (required ones among them) have no rows: nothing to store.
    return PacedAnswer(
        response=response,
        read_hash=response.answers_hash if response is not None else None,
        rows=answers.rows,
        digest=answers_hash(answers.rows),
    )


def store_answer(
    read: PacedAnswer,
    workshop: Workshop,
    instrument: Instrument,
    submission_id: str,
    language: str,
    consented: bool,
    key: str,
    posted: MultiDict[str, str],
    per_minute_limit: int | None = None,
) -> Outcome:
    """Store an answer ``read_answer`` read: the first creates the response, later ones replace
    their question's rows in it. Call it in ``write_transaction``.

    If another answer of this phone was stored since it was read, it is read again
    under the lock (``FOR UPDATE`` on PostgreSQL; SQLite's write lock is held), so two
    answers of one phone at once both end up in its response. ``per_minute_limit``:
    as ``submit_response`` (``Outcome.limited``).
    """
    for _ in range(3):
        if read.response is None:
            outcome = submit_response(
                workshop, submission_id, language, consented, read.rows, read.digest,
                per_minute_limit=per_minute_limit,
            )  # fmt: skip
            if outcome in (Outcome.stored, Outcome.limited):
                return outcome
        else:
            current = db.session.scalar(
                select(Response.answers_hash).filter_by(id=read.response.id).with_for_update()
            )
            if current == read.read_hash:
                return replace_response(read.response, language, read.rows, read.digest)
        read = read_answer(workshop, instrument, submission_id, True, key, posted, lock=True)
        if not read.storable:
            return read.outcome or Outcome.repeated
    raise RuntimeError(f"the response {submission_id} changes all the time")
