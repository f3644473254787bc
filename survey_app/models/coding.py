"""Coding free text: a codebook of themes per series, and which answers carry which theme."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._text import storable_columns


class Theme(db.Model):
    """A theme of a series' codebook, with keywords that suggest it."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("series_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))
    #: Words in any language, separated by commas, e.g. "Geld, funding, تمويل".
    keywords: Mapped[str] = mapped_column(Text, default="")
    _clean = storable_columns("label", "keywords")

    def keyword_list(self) -> list[str]:
        """Return the keywords, lower-case, without empties."""
        return [word.strip().lower() for word in self.keywords.split(",") if word.strip()]


class AnswerTheme(db.Model):
    """One theme assigned to one free-text answer."""

    __tablename__ = "answer_theme"
    __table_args__ = (UniqueConstraint("answer_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
