"""The raw-data table of a set of workshops: one row per response, codes and labels."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey_app.definition.columns import RESPONSE_COLUMNS
from survey_app.definition.model import Instrument
from survey_app.extensions import db
from survey_app.models import (
    DEFAULT_TIME_ZONE,
    Answer,
    Response,
    Workshop,
    counted_answers,
    counted_responses,
)
from survey_app.questions import AnswerRow, question_type


@dataclass
class RawTable:
    """Column names and a stream of rows (dicts) for one export."""

    columns: list[str]
    rows: Iterator[dict[str, Any]]


def question_columns(instrument: Instrument) -> list[str]:
    """Return the answer columns of ``instrument`` in question order."""
    columns: list[str] = []
    for question in instrument.questions():
        columns += question_type(question.type).export_columns(question)
    return columns


def time_zone_of(workshop: Workshop) -> ZoneInfo:
    """Return the time zone the workshop's times are shown in: its series', else the default.

    A name this machine's time zone database does not know gives the default too.
    """
    name = workshop.series.time_zone if workshop.series is not None else DEFAULT_TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    """Return ISO 8601 with the offset (``2026-05-04T10:15:00+02:00``) of a UTC moment.

    ``moment`` is naive UTC as stored (or aware); the result is the wall time in ``zone``.
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).isoformat(timespec="seconds")


def raw_table(instrument: Instrument, workshop_ids: list[int], language: str) -> RawTable:
    """Return the table of every response of the workshops (labels in ``language``)."""
    return RawTable(
        [*RESPONSE_COLUMNS, *question_columns(instrument)],
        _rows(instrument, workshop_ids, language),
    )


def _rows(
    instrument: Instrument, workshop_ids: list[int], language: str
) -> Iterator[dict[str, Any]]:
    workshops = {
        w.id: w
        for w in db.session.scalars(
            select(Workshop)
            .where(Workshop.id.in_(workshop_ids))
            .options(selectinload(Workshop.series))
        )
    }
    zones = {w.id: time_zone_of(w) for w in workshops.values()}
    responses = db.session.execute(
        select(Response.id, Response.workshop_id, Response.language, Response.submitted_at)
        .where(Response.workshop_id.in_(workshop_ids), counted_responses(workshop_ids))
        .order_by(Response.id)
    ).all()
    answers = db.session.execute(
        select(
            Answer.response_id, Answer.question_key, Answer.item_key, Answer.option_key,
            Answer.value_num, Answer.value_text,
        )
        .where(Answer.workshop_id.in_(workshop_ids), counted_answers(workshop_ids))
        .order_by(Answer.response_id, Answer.id)
        .execution_options(yield_per=5000)
    )  # fmt: skip
    grouped = groupby(answers, key=lambda a: a.response_id)
    pending = next(grouped, None)
    questions = list(instrument.questions())
    for response_id, workshop_id, response_language, submitted_at in responses:
        rows: list[AnswerRow] = []
        while pending is not None and pending[0] <= response_id:
            if pending[0] == response_id:
                rows = [AnswerRow(*answer[1:]) for answer in pending[1]]
            pending = next(grouped, None)
        workshop = workshops[workshop_id]
        record: dict[str, Any] = {
            "_response_id": response_id,
            "_workshop_id": workshop_id,
            "_workshop": workshop.title,
            "_municipality": workshop.municipality,
            "_language": response_language,
            "_submitted_at": local_time(submitted_at, zones[workshop_id]),
            "_time_zone": zones[workshop_id].key,
        }
        by_question: dict[str, list[AnswerRow]] = {}
        for row in rows:
            by_question.setdefault(row.question_key, []).append(row)
        for question in questions:
            found = by_question.get(question.key)
            if found:
                record.update(question_type(question.type).export_cells(question, found, language))
        yield record
