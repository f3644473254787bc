"""Submitted questionnaires and their normalized answer rows (an analyst contract)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db
from survey_app.models._time import utcnow_minute


class Response(db.Model):
    """One submitted questionnaire. No IP address, user agent or referrer, ever."""

    __tablename__ = "response"
    __table_args__ = (
        Index("ix_response_workshop_id_id", "workshop_id", "id"),
        # The live dashboard's ETag sums revisions per workshop from this index alone.
        Index("ix_response_workshop_id_revision", "workshop_id", "revision"),
        # How many arrived this minute (the per-workshop limit), and bursts by minute.
        Index("ix_response_workshop_id_submitted_at", "workshop_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    #: UUID put into the form by the server; the unique constraint makes retries safe.
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    #: Language the questionnaire was answered in.
    language: Mapped[str] = mapped_column(String(16))
    #: Cut to the minute so that timestamps cannot single out a person.
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow_minute)
    updated_at: Mapped[datetime | None]
    #: How often the answers were changed through the edit link (0 = never).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    #: Whether the participant accepted the instrument's consent text.
    consented: Mapped[bool] = mapped_column(Boolean, default=False)
    #: SHA-256 of the answer rows: tells a retry from a conflicting submission.
    answers_hash: Mapped[str] = mapped_column(String(64))

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(db.Model):
    """One chosen option, likert item, ranked option, number, rating or text."""

    __tablename__ = "answer"
    __table_args__ = (
        # Covers every summary query (GROUP BY question and option, item or value;
        # distinct respondents): SQLite and PostgreSQL read the index, not the table.
        Index(
            "ix_answer_workshop_question_values",
            "workshop_id",
            "question_key",
            "option_key",
            "item_key",
            "value_num",
            "response_id",
        ),
        Index("ix_answer_response_id", "response_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    #: Copied from the response so that per-workshop grouping needs no join.
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(64))
    #: Likert item key; NULL for other types.
    item_key: Mapped[str | None] = mapped_column(String(64))
    #: Chosen option or scale point; ``other`` for the free "other" choice.
    option_key: Mapped[str | None] = mapped_column(String(64))
    #: Number, rating, likert scale value, or rank (1 = top).
    value_num: Mapped[float | None] = mapped_column(Float)
    #: Free text, or the text of an "other" choice.
    value_text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
