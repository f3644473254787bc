"""Cached, unsuppressed partial results of one workshop, shared by every app server."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow


class SummaryPart(db.Model):
    """The additive counts of one workshop (or one breakdown group of it) at a data version.

    Never shown as such: ``survey_app.results.cache`` adds the parts of a scope up
    and summarizes and suppresses the sum. Kept in the database, not in process
    memory, so that several app servers share it.
    """

    __tablename__ = "summary_part"
    __table_args__ = (UniqueConstraint("workshop_id", "group_key", "wanted_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    #: ``question:option`` of a breakdown group, or ``""`` for all responses.
    group_key: Mapped[str] = mapped_column(String(140))
    #: Hash of the questions and languages the part was counted for.
    wanted_key: Mapped[str] = mapped_column(String(40))
    #: The workshop's data version when counted: responses, newest id, sum of revisions.
    responses: Mapped[int] = mapped_column(Integer)
    last_id: Mapped[int] = mapped_column(Integer)
    revisions: Mapped[int] = mapped_column(Integer)
    #: The counts as JSON (``results.cache.Partial``).
    payload: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


def forget_parts(session: Session, workshop_id: int) -> None:
    """Delete the cached parts of a workshop (call when deleting its responses)."""
    session.execute(delete(SummaryPart).where(SummaryPart.workshop_id == workshop_id))
