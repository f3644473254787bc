"""Quotes a briefing may print: only free-text answers a facilitator approved.

This is the one source of quotes for briefings. Free text is never taken from
answers, summaries or frequent terms; only answers that a facilitator approved on
the moderation page (``text_review.state = approved``) are quoted, each with its
question, workshop, language, coded themes and the facilitator's translation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from survey_app.extensions import db
from survey_app.models import (
    Answer,
    AnswerTheme,
    Response,
    ReviewState,
    TextReview,
    counted_answers,
)


@dataclass(frozen=True)
class Quote:
    """One approved free-text answer, as approved (edited, without names).

    ``themes`` are the ids (as text, like the summary's theme keys) of the themes the
    answer was coded with; ``translation`` is "" when nobody translated it.
    """

    question_key: str
    text: str
    language: str
    workshop_id: int = 0
    themes: tuple[str, ...] = ()
    translation: str = ""
    translation_language: str = ""


def approved_quotes(workshop_ids: Iterable[int]) -> list[Quote]:
    """Return the approved quotes of these workshops, by question, oldest first."""
    rows = db.session.execute(
        select(
            Answer.id,
            Answer.question_key,
            Answer.value_text,
            Answer.workshop_id,
            Response.language,
            TextReview.translation,
            TextReview.translation_language,
        )
        .join(TextReview, TextReview.answer_id == Answer.id)
        .join(Response, Response.id == Answer.response_id)
        .where(_in_workshops(workshop_ids), TextReview.state == ReviewState.approved)
        .where(counted_answers(workshop_ids))
        .order_by(Answer.question_key, Answer.id)
    ).all()
    themes = _themes_of([row[0] for row in rows])
    return [
        Quote(key, text or "", language, workshop, tuple(themes[answer]), translation, into)
        for answer, key, text, workshop, language, translation, into in rows
    ]


def _themes_of(answer_ids: list[int]) -> dict[int, list[str]]:
    """Return the theme keys of each answer, in codebook order."""
    found: dict[int, list[str]] = defaultdict(list)
    if answer_ids:
        rows = db.session.execute(
            select(AnswerTheme.answer_id, AnswerTheme.theme_id)
            .where(AnswerTheme.answer_id.in_(answer_ids))
            .order_by(AnswerTheme.theme_id)
        )
        for answer_id, theme_id in rows:
            found[answer_id].append(str(theme_id))
    return found


def _in_workshops(workshop_ids: Iterable[int]) -> ColumnElement[bool]:
    """Filter answers by workshop without their index: reviews are few, answers many.

    ``+ 0`` makes SQLite (which keeps no table statistics) start from the reviews
    instead of walking every answer of the workshops.
    """
    return (Answer.workshop_id + 0).in_(list(workshop_ids))
