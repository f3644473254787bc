"""PDF briefings that were built: who asked, what they cover, and the file itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, Session, deferred, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow

#: ``Briefing.source`` of briefings built by ``survey-app briefing build``.
COMMAND_LINE = "command line"
#: ``Briefing.source`` of briefings built for a download.
WEB = "web"


class Briefing(db.Model):
    """One built briefing; its PDF is served again while ``cache_key`` still matches."""

    __tablename__ = "briefing"
    __table_args__ = (Index("ix_briefing_scope_key", "scope_key", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The account that asked for it; NULL on the command line (or once deleted).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: ``"command line"`` or ``"web"``.
    source: Mapped[str] = mapped_column(String(20))
    #: The series, when the briefing covers a whole series.
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="SET NULL"))
    #: The workshops it covers, sorted.
    workshop_ids: Mapped[list[int]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(16))
    #: Folder name under ``reports/``.
    template: Mapped[str] = mapped_column(String(64))
    #: Breakdown question key, if the briefing has a breakdown section.
    breakdown: Mapped[str | None] = mapped_column(String(64))
    tables_only: Mapped[bool] = mapped_column(Boolean, default=False)
    instrument_key: Mapped[str] = mapped_column(String(64))
    instrument_version: Mapped[int]
    min_group_size: Mapped[int]
    #: Digest of what the PDF prints from (``briefing.records.data_hash``): protected
    #: tables, approved quotes, theme counts, instrument version, k.
    data_hash: Mapped[str] = mapped_column(String(64))
    #: What was asked (workshops, language, template, breakdown, tables only), hashed.
    scope_key: Mapped[str] = mapped_column(String(64))
    #: ``scope_key`` + ``data_hash`` + the template files, hashed: equal means same file.
    cache_key: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int]
    size: Mapped[int]
    #: Where the command line wrote it (informational; the bytes are below).
    file_path: Mapped[str | None] = mapped_column(String(1000))
    #: The PDF; kept only for the newest briefing of a kind, dropped when data move on.
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    def __repr__(self) -> str:
        return f"<Briefing {self.id} {self.workshop_ids} {self.language}>"


def forget_briefings(session: Session, workshop_id: int, series_id: int | None) -> int:
    """Delete the briefings (records and PDFs) that may hold a workshop's responses.

    Those that cover the workshop, alone or with others, and those of its series.
    Call it wherever responses are deleted or changed; returns how many went.
    """
    # Few rows, and ``workshop_ids`` is JSON (no portable "contains"): filter here.
    rows = session.execute(select(Briefing.id, Briefing.workshop_ids, Briefing.series_id))
    doomed = [
        briefing_id
        for briefing_id, workshop_ids, briefing_series in rows
        if workshop_id in (workshop_ids or [])
        or (series_id is not None and briefing_series == series_id)
    ]
    if doomed:
        session.execute(delete(Briefing).where(Briefing.id.in_(doomed)))
    return len(doomed)
