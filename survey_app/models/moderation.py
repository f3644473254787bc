"""Facilitators' decisions on free-text answers: approved for quoting, or hidden."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._text import storable_columns
from survey_app.models._time import utcnow


class ReviewState(enum.Enum):
    """What a facilitator decided about one free-text answer."""

    approved = "approved"  #: may be quoted in briefings
    hidden = "hidden"  #: kept for the analysis, never shown as text


class TextReview(db.Model):
    """The review of one free-text answer; gone when the answer is changed or deleted."""

    __tablename__ = "text_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    state: Mapped[ReviewState] = mapped_column(
        Enum(ReviewState, name="review_state", native_enum=False, length=10)
    )
    reviewed_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: A facilitator's translation of an approved quote ("" if none), printed beside
    #: the original in briefings, in ``translation_language`` (a BCP 47 code).
    translation: Mapped[str] = mapped_column(Text, default="", server_default="")
    translation_language: Mapped[str] = mapped_column(String(20), default="", server_default="")
    _clean = storable_columns("translation")
