"""Quotes a briefing may print: only free-text answers a facilitator approved.

This is the one source of quotes for briefings. Free text is never taken from
answers, summaries or frequent terms; only answers that a facilitator approved on
the moderation page (``text_review.state = approved``) are quoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from survey_app.extensions import db
from survey_app.models import Answer, Response, ReviewState, TextReview


@dataclass(frozen=True)
class Quote:
    """One approved free-text answer, as approved (edited, without names)."""

    question_key: str
    text: str
    language: str


def approved_quotes(workshop_ids: Iterable[int]) -> list[Quote]:
    """Return the approved quotes of these workshops, oldest first."""
    rows = db.session.execute(
        select(Answer.question_key, Answer.value_text, Response.language)
        .join(TextReview, TextReview.answer_id == Answer.id)
        .join(Response, Response.id == Answer.response_id)
        .where(_in_workshops(workshop_ids), TextReview.state == ReviewState.approved)
        .order_by(Answer.question_key, Answer.id)
    )
    return [Quote(key, text or "", language) for key, text, language in rows]


def _in_workshops(workshop_ids: Iterable[int]) -> ColumnElement[bool]:
    """Filter answers by workshop without their index: reviews are few, answers many.

    ``+ 0`` makes SQLite (which keeps no table statistics) start from the reviews
    instead of walking every answer of the workshops.
    """
    return (Answer.workshop_id + 0).in_(list(workshop_ids))
