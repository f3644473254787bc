"""The audit log: who exported, downloaded or deleted what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow


class AuditEntry(db.Model):
    """One recorded action on data (never a participant's action)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: The account that acted; empty for the command line or when the account is gone.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: E-mail of the account at the time, or "command line".
    actor: Mapped[str] = mapped_column(String(254))
    #: What was done: export, briefing, delete_workshop, delete_responses, purge.
    action: Mapped[str] = mapped_column(String(40))
    #: What it was done to, e.g. "workshop 12" or "series demo-2026".
    target: Mapped[str] = mapped_column(String(300))
    #: Details: format, counts, reasons.
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
