"""Storing responses: exactly once per ``submission_id``, decided by the database."""

from __future__ import annotations

import enum
import hashlib
import hmac
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from survey_app.extensions import db
from survey_app.models import Answer, Response, Workshop
from survey_app.models._time import utcnow_minute
from survey_app.questions import AnswerRow


class Outcome(enum.Enum):
    """What became of a submission."""

    stored = "stored"  #: first arrival, stored now
    repeated = "repeated"  #: a retry with the same answers; nothing stored
    conflict = "conflict"  #: the same submission id with other answers; refused
    updated = "updated"  #: changed through the participant's edit link


def new_submission_id() -> str:
    """Return a fresh submission id for a form."""
    return str(uuid.uuid4())


def is_submission_id(value: str) -> bool:
    """Say whether ``value`` is a canonical UUID string."""
    try:
        return str(uuid.UUID(value)) == value.lower() and len(value) == 36
    except (ValueError, AttributeError):
        return False


def edit_token(secret_key: str, submission_id: str) -> str:
    """Return the secret of a response's edit link (derived, so nothing is stored)."""
    digest = hmac.new(secret_key.encode(), b"edit:" + submission_id.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def valid_edit_token(secret_key: str, submission_id: str, token: str) -> bool:
    """Check an edit link's token in constant time."""
    return hmac.compare_digest(edit_token(secret_key, submission_id), token)


def submit_response(
    workshop: Workshop,
    submission_id: str,
    language: str,
    consented: bool,
    rows: list[AnswerRow],
    digest: str,
    submitted_at: datetime | None = None,
) -> Outcome:
    """Store a response unless its ``submission_id`` exists; never check-then-insert.

    ``submitted_at`` (cut to the minute) is only given by the demo data generator.
    """
    values = {
        "workshop_id": workshop.id,
        "submission_id": submission_id,
        "language": language,
        "consented": consented,
        "answers_hash": digest,
        "submitted_at": (submitted_at or utcnow_minute()).replace(second=0, microsecond=0),
    }
    response_id = db.session.execute(_insert_ignoring_duplicates(), values).scalar()
    if response_id is None:
        existing = db.session.scalar(
            select(Response.answers_hash).filter_by(submission_id=submission_id)
        )
        return Outcome.repeated if existing == digest else Outcome.conflict
    _insert_rows(response_id, workshop.id, rows)
    return Outcome.stored


def replace_response(
    response: Response, language: str, rows: list[AnswerRow], digest: str
) -> Outcome:
    """Replace a response's answers (edit link); same answers change nothing."""
    if response.answers_hash == digest:
        return Outcome.repeated
    db.session.execute(delete(Answer).where(Answer.response_id == response.id))
    response.language = language
    response.answers_hash = digest
    response.updated_at = utcnow_minute()
    # In SQL: two edits at once must both count (the summary cache watches the sum).
    response.revision = Response.revision + 1
    db.session.flush()
    _insert_rows(response.id, response.workshop_id, rows)
    return Outcome.updated


def response_by_submission(submission_id: str) -> Response | None:
    """Return the response stored under ``submission_id``."""
    return db.session.scalar(select(Response).filter_by(submission_id=submission_id))


def stored_rows(response: Response) -> list[AnswerRow]:
    """Return a response's answers as rows, in storage order."""
    answers = db.session.scalars(
        select(Answer).filter_by(response_id=response.id).order_by(Answer.id)
    )
    return [
        AnswerRow(a.question_key, a.item_key, a.option_key, a.value_num, a.value_text)
        for a in answers
    ]


def _insert_ignoring_duplicates():  # type: ignore[no-untyped-def]
    """Return ``INSERT ... ON CONFLICT (submission_id) DO NOTHING RETURNING id`` (built once)."""
    dialect = db.session.get_bind().dialect.name
    statement = _INSERTS.get(dialect)
    if statement is None:
        module = postgresql if dialect == "postgresql" else sqlite
        table = Response.__table__
        statement = _INSERTS[dialect] = (
            module.insert(table)
            .on_conflict_do_nothing(index_elements=["submission_id"])
            .returning(table.c.id)
        )
    return statement


#: The response insert of each dialect (statements are immutable; built once per process).
_INSERTS: dict[str, Any] = {}


def _insert_rows(response_id: int, workshop_id: int, rows: list[AnswerRow]) -> None:
    if rows:
        # Core insert on the table (executemany), not the ORM bulk path: no identity map work.
        db.session.execute(
            Answer.__table__.insert(),
            [
                {
                    "response_id": response_id,
                    "workshop_id": workshop_id,
                    "question_key": row.question_key,
                    "item_key": row.item_key,
                    "option_key": row.option_key,
                    "value_num": row.value_num,
                    "value_text": row.value_text,
                }
                for row in rows
            ],
        )
