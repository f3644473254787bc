"""The export columns that describe a response rather than answer a question.

Question keys are slugs that start with a letter (``[a-z][a-z0-9_]*``) and every column a
question type makes starts with its question's key, so a column that starts with
:data:`META_PREFIX` can never be a question's. The instrument check
(``instruments.parse``) refuses an instrument whose questions would still make one.
"""

from __future__ import annotations

#: What every column about the response (not about an answer) starts with.
META_PREFIX = "_"

#: The columns every export row starts with, in order.
RESPONSE_COLUMNS: tuple[str, ...] = (
    "_response_id",
    "_workshop_id",
    "_workshop",
    "_municipality",
    "_language",
    "_submitted_at",
    "_time_zone",
)


def is_response_column(column: str) -> bool:
    """Say whether ``column`` is (or would look like) a column about the response."""
    return column.startswith(META_PREFIX) or column in RESPONSE_COLUMNS
