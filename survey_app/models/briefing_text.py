"""What analysts wrote for a briefing's summary page: key messages and recommendations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow


class BriefingText(db.Model):
    """The edited summary of the briefings of one scope in one language.

    ``scope`` names what the briefings cover: ``"series:<id>"`` for a whole series,
    ``"workshops:<id>,<id>"`` for chosen workshops (``briefing.summary_page.text_scope``).
    Without a row the summary page shows the generated key messages.
    """

    __tablename__ = "briefing_text"
    __table_args__ = (UniqueConstraint("scope", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(200))
    #: The series the scope belongs to (its texts go with it).
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16))
    #: The key messages in their order, each one paragraph of plain text.
    messages: Mapped[list[str]] = mapped_column(JSON)
    #: Recommendations, plain text ("" for none).
    recommendations: Mapped[str] = mapped_column(Text, default="")
    #: What the messages were written for: ``{"workshops": [ids], "responses": n}`` of
    #: the published results then; a briefing of other data says they may differ.
    basis: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Who saved it last (NULL once the account is deleted).
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
