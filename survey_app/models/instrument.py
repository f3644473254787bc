"""Snapshots of instrument versions, as workshops use them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow


class InstrumentVersion(db.Model):
    """One version of a questionnaire, frozen when it is loaded."""

    __tablename__ = "instrument_version"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The questionnaire's slug (``key:`` in the file).
    key: Mapped[str] = mapped_column(String(64))
    #: The integer revision (``version:`` in the file).
    version: Mapped[int]
    #: Title in the default language, for lists.
    title: Mapped[str] = mapped_column(String(300))
    #: The parsed file, as loaded; parsed again into an ``Instrument`` on use.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The file's text, kept so that any version can be downloaded again.
    source: Mapped[str] = mapped_column(Text)
    #: SHA-256 of ``source``; a changed file with the same version is refused.
    source_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<InstrumentVersion {self.key} v{self.version}>"
