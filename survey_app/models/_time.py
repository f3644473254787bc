"""Time helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current UTC time without microseconds."""
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None)


def utcnow_minute() -> datetime:
    """Return the current UTC time cut to the minute (participant timestamps)."""
    return utcnow().replace(second=0)
