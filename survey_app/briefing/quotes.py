"""Quotes a briefing may print: only free-text answers a facilitator approved.

This is the one source of quotes for briefings. Free text is never taken from
answers, summaries or frequent terms; it comes from an explicit list of
approved quotes. Moderation (approving answers) comes with a later issue; until
then the list is empty and the appendix says that no quote has been approved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Quote:
    """One approved free-text answer, as approved (edited, without names)."""

    question_key: str
    text: str
    language: str


def approved_quotes(workshop_ids: Iterable[int]) -> list[Quote]:
    """Return the approved quotes of these workshops (none until moderation exists)."""
    return []
