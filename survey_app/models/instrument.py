"""Snapshots of instrument versions, as workshops use them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
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


class InstrumentOwner(db.Model):
    """Who may publish new versions of a questionnaire key through the browser.

    A key is claimed by the first store of it through the browser, for the series the
    uploader chose (its team: the accounts that manage it), or for the uploader's own
    account when no series was chosen. Keys without a row (loaded on the command line,
    or stored before owners were recorded) belong to nobody: the managers of the series
    whose workshops use them may publish (``instruments.ownership``). Admins may always
    publish and may give a key to another series.
    """

    __tablename__ = "instrument_owner"

    #: The questionnaire's slug; the primary key decides which first store claims it.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The owning series: its managers publish. Emptied when the series is deleted.
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="SET NULL"))
    #: The owning account, when no series owns the key (it stored the key for no series).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: When the key was claimed or last given to another owner.
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<InstrumentOwner {self.key} series={self.series_id} user={self.user_id}>"
