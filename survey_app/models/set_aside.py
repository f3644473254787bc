"""Responses a facilitator set aside (an unusual burst): kept, but counted nowhere.

``counted_answers`` and ``counted_responses`` are the one place that says which
responses count: every summary, count, export, briefing and the live dashboard
select answers and responses through them (``results.scope.Scope`` and the few
queries outside it call them), so a set-aside response is honoured everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ForeignKey, Index, Integer, Select, String, select
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow
from survey_app.models.response import Answer, Response


class SetAside(db.Model):
    """One batch of responses set aside together; deleting it restores them."""

    __tablename__ = "set_aside"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    #: When the facilitator set the batch aside (UTC).
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The burst's first and last minute (responses are timed to the minute).
    from_minute: Mapped[datetime]
    to_minute: Mapped[datetime]
    #: Only responses with these answers (a burst of identical responses), else all.
    answers_hash: Mapped[str | None] = mapped_column(String(64))
    #: How many responses the batch holds.
    responses: Mapped[int] = mapped_column(Integer, default=0)


class SetAsideResponse(db.Model):
    """A response in a set-aside batch. The response and its answers stay untouched."""

    __tablename__ = "set_aside_response"
    __table_args__ = (
        Index("ix_set_aside_response_workshop_id_response_id", "workshop_id", "response_id"),
    )

    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    set_aside_id: Mapped[int] = mapped_column(
        ForeignKey("set_aside.id", ondelete="CASCADE"), index=True
    )
    #: Copied from the response, so that a workshop's set-aside ids need no join.
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))


def set_aside_ids(workshop_ids: Iterable[int] | None = None) -> Select[Any]:
    """Return a subquery of the ids of set-aside responses (of ``workshop_ids`` if given)."""
    statement = select(SetAsideResponse.response_id)
    if workshop_ids is None:
        return statement
    return statement.where(SetAsideResponse.workshop_id.in_(sorted(set(workshop_ids))))


def counted_answers(
    workshop_ids: Iterable[int] | None = None, answer: type[Answer] = Answer
) -> ColumnElement[bool]:
    """Return the condition that keeps only answers of counted (not set-aside) responses.

    The answer index ends in ``response_id``, so summaries still read the index alone.
    """
    return answer.response_id.not_in(set_aside_ids(workshop_ids))


def counted_responses(workshop_ids: Iterable[int] | None = None) -> ColumnElement[bool]:
    """Return the condition that keeps only counted (not set-aside) responses."""
    return Response.id.not_in(set_aside_ids(workshop_ids))
