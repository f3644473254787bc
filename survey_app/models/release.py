"""What a series' published results told, version by version (the release history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow


class Release(db.Model):
    """The statuses of one published version of a series' results, and its shown counts.

    A reader who kept an earlier version knows what it told: a later version is
    protected with those facts fixed (``survey_app.results.releases``). Only
    counts that were shown are kept, never a hidden one.
    """

    __tablename__ = "release"
    __table_args__ = (UniqueConstraint("series_id", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"))
    #: The data version the statuses were decided for (``protection`` cache key).
    digest: Mapped[str] = mapped_column(String(64))
    #: The (closed) workshops the version covered, sorted.
    workshop_ids: Mapped[list[int]] = mapped_column(JSON)
    #: Each workshop's data version then (``{id: [responses, newest id, revisions,
    #: coded themes, newest coding]}``): what it told holds while these are unchanged.
    versions: Mapped[dict[str, list[int]]] = mapped_column(JSON)
    #: The k the version was protected with.
    min_group_size: Mapped[int] = mapped_column(Integer)
    #: zlib-compressed JSON: ``[[workshop | null, group | null, address, status, count | null]]``.
    cells: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
