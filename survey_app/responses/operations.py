"""Storing responses: exactly once per ``submission_id``, decided by the database."""

from __future__ import annotations

import enum
import hashlib
import hmac
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from survey_app.database import driver_cursor
from survey_app.extensions import db
from survey_app.models import Answer, Response, Workshop
from survey_app.models._time import utcnow_minute
from survey_app.models.briefing import forget_briefings
from survey_app.questions import AnswerRow
from survey_app.responses.bursts import arrivals_this_minute


class Outcome(enum.Enum):
    """What became of a submission."""

    stored = "stored"  #: first arrival, stored now
    repeated = "repeated"  #: a retry with the same answers; nothing stored
    conflict = "conflict"  #: the same submission id with other answers; refused
    updated = "updated"  #: changed through the participant's edit link
    limited = "limited"  #: the workshop took as many as it takes this minute; not stored


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
    """Check an edit link's token in constant time (any text: a non-ASCII one is wrong)."""
    return token.isascii() and hmac.compare_digest(edit_token(secret_key, submission_id), token)


def submit_response(
    workshop: Workshop,
    submission_id: str,
    language: str,
    consented: bool,
    rows: list[AnswerRow],
    digest: str,
    submitted_at: datetime | None = None,
    per_minute_limit: int | None = None,
) -> Outcome:
    """Store a response unless its ``submission_id`` exists; never check-then-insert.

    ``submitted_at`` (cut to the minute) is only given by the demo data generator.
    With ``per_minute_limit`` (``bursts.store_limit``; participants' posts), nothing
    is stored once the workshop got that many responses this minute (on SQLite the
    write lock makes the count exact; on PostgreSQL parallel posts may pass it by a few).
    """
    minute = (submitted_at or utcnow_minute()).replace(second=0, microsecond=0)
    if (
        per_minute_limit is not None
        and arrivals_this_minute(workshop.id, minute) >= per_minute_limit
    ):
        return Outcome.limited
    values = {
        "workshop_id": workshop.id,
        "submission_id": submission_id,
        "language": language,
        "consented": consented,
        "answers_hash": digest,
        "submitted_at": minute,
    }
    response_id = _insert_ignoring_duplicates(values)
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
    """Replace a response's answers (edit link); same answers change nothing.

    The old answers are deleted, so are the briefings that may have been built from them.
    """
    if response.answers_hash == digest:
        return Outcome.repeated
    db.session.execute(delete(Answer).where(Answer.response_id == response.id))
    series_id = db.session.scalar(select(Workshop.series_id).filter_by(id=response.workshop_id))
    forget_briefings(db.session, response.workshop_id, series_id)
    response.language = language
    response.answers_hash = digest
    response.updated_at = utcnow_minute()
    # In SQL: two edits at once must both count (the summary cache watches the sum).
    response.revision = Response.revision + 1
    db.session.flush()
    _insert_rows(response.id, response.workshop_id, rows)
    return Outcome.updated


def response_by_submission(submission_id: str) -> Response | None:
    """Return the response stored under ``submission_id`` (``None`` for any other text)."""
    if not is_submission_id(submission_id):
        return None  # PostgreSQL refuses a NUL byte in a query: no UUID, no response
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


#: Columns the two inserts of a submission write, in order.
RESPONSE_COLUMNS = (
    "workshop_id", "submission_id", "language", "consented", "answers_hash", "submitted_at",
)  # fmt: skip
ANSWER_COLUMNS = (
    "response_id", "workshop_id", "question_key", "item_key", "option_key", "value_num",
    "value_text",
)  # fmt: skip


def _insert_ignoring_duplicates(values: dict[str, Any]) -> int | None:
    """``INSERT ... ON CONFLICT (submission_id) DO NOTHING RETURNING id``; None if it existed.

    Through the driver, in the session's transaction: a participant's post is the
    hot path, and SQLAlchemy's statement handling cost more than the insert itself.
    """
    driver = driver_cursor(db.session)  # begins the transaction (IMMEDIATE on SQLite)
    row = [driver.value(values[column]) for column in RESPONSE_COLUMNS]
    sql = _insert_sql("response", (*RESPONSE_COLUMNS, "revision"), driver.mark, literal="0")
    try:
        driver.cursor.execute(f"{sql} ON CONFLICT (submission_id) DO NOTHING RETURNING id", row)
        found = driver.cursor.fetchone()
    finally:
        driver.cursor.close()
    return int(found[0]) if found else None


def _insert_rows(response_id: int, workshop_id: int, rows: list[AnswerRow]) -> None:
    """Insert a response's answer rows (one ``executemany`` through the driver)."""
    if not rows:
        return
    driver = driver_cursor(db.session)
    try:
        driver.cursor.executemany(
            _insert_sql("answer", ANSWER_COLUMNS, driver.mark),
            [
                (response_id, workshop_id, row.question_key, row.item_key, row.option_key,
                 row.value_num, row.value_text)
                for row in rows
            ],
        )  # fmt: skip
    finally:
        driver.cursor.close()


def _insert_sql(table: str, columns: tuple[str, ...], mark: str, literal: str = "") -> str:
    """Return ``INSERT INTO table (columns) VALUES (...)`` with the driver's ``mark``."""
    marks = [mark] * (len(columns) - (1 if literal else 0)) + ([literal] if literal else [])
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(marks)})"
