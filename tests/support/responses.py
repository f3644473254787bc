"""Store responses through the submission operation (no HTTP): for tests about what follows."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask
from werkzeug.datastructures import MultiDict

from survey_app.definition.model import Instrument
from survey_app.extensions import db
from survey_app.instruments.store import instrument_by_id
from survey_app.models import Workshop
from survey_app.responses.answers import answers_hash, read_answers
from survey_app.responses.operations import Outcome, new_submission_id, submit_response

#: Form fields that are not answers: ("lang", L) sets the response's language.
NOT_ANSWERS = frozenset({"lang", "consent"})


def store_responses(
    app: Flask,
    workshop: Workshop,
    responses: Iterable[Iterable[tuple[str, str]]],
    instrument: Instrument | None = None,
    language: str = "de",
) -> None:
    """Store each response (form pairs, as a phone posts them) in ``workshop``; commit.

    Each must be valid and new; ``instrument`` defaults to the workshop's own version.
    """
    with app.app_context():
        if instrument is None:
            instrument = instrument_by_id(workshop.instrument_version_id)
        for pairs in responses:
            pairs = list(pairs)
            answers = MultiDict([pair for pair in pairs if pair[0] not in NOT_ANSWERS])
            read = read_answers(instrument, answers)
            assert read.valid, read.errors
            outcome = submit_response(
                workshop,
                new_submission_id(),
                dict(pairs).get("lang", language),
                True,
                read.rows,
                answers_hash(read.rows),
            )
            assert outcome is Outcome.stored
        db.session.commit()


def close_workshops(app: Flask, *workshops: Workshop) -> None:
    """Close ``workshops`` (published results cover closed workshops only); commit."""
    _move(app, "closed", workshops)


def reopen_workshops(app: Flask, *workshops: Workshop) -> None:
    """Open ``workshops`` again, to take more responses; commit."""
    _move(app, "open", workshops)


def _move(app: Flask, state: str, workshops: Iterable[Workshop]) -> None:
    from survey_app.workshops.operations import close_workshop, open_workshop

    move = close_workshop if state == "closed" else open_workshop
    with app.app_context():
        for workshop in workshops:
            move(db.session.get(Workshop, workshop.id))
        db.session.commit()
