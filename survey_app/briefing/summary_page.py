"""The briefing's summary page: key messages, recommendations and the data basis.

The key messages are the analysts' where they wrote some (``BriefingText``, edited
in the browser), else the generated findings that report the largest shares (each
a sentence with its number, interval and base, ``findings.key_findings``). The page
says which it is: generated sentences are suggestions by fixed rules that nobody
checked; the analysts' text is theirs, with its date. Numbers typed by analysts are
not checked against the protection of small groups (README).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.briefing.findings import Finding
from survey_app.briefing.texts import Numbers, Texts
from survey_app.briefing.voices import language_name
from survey_app.models import BriefingText

#: Key messages on the summary page (the generated ones chosen by size).
MESSAGES = 5
#: Limits of what analysts write (characters): a message, all recommendations.
MESSAGE_LENGTH, RECOMMENDATIONS_LENGTH = 600, 4000
#: What separates two messages: an empty line, or one of spaces only.
BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
#: At most this many key messages may be saved.
MOST_MESSAGES = 8


@dataclass(frozen=True)
class EditedText:
    """What analysts saved for a scope and language (``None`` fields: not saved)."""

    messages: tuple[str, ...]
    recommendations: str
    updated: str
    #: Whether the messages were written for other data than the briefing prints.
    stale: bool = False

    def key(self) -> tuple[Any, ...]:
        """Return what a briefing's cache key needs of it."""
        return (self.messages, self.recommendations, self.updated, self.stale)


def text_scope(series_id: int | None, workshop_ids: list[int]) -> str:
    """Name the scope whose briefings share one summary: a series, or these workshops."""
    if series_id is not None:
        return f"series:{series_id}"
    return "workshops:" + ",".join(str(w) for w in sorted(workshop_ids))


def saved_text(session: Session, scope: str, language: str) -> BriefingText | None:
    """Return the saved summary text of ``scope`` in ``language`` (None: never edited)."""
    return session.scalar(
        select(BriefingText).where(BriefingText.scope == scope, BriefingText.language == language)
    )


def text_basis(workshop_ids: list[int], responses: int) -> dict[str, object]:
    """Return what a summary text is written for: the published workshops and responses."""
    return {"workshops": sorted(workshop_ids), "responses": int(responses)}


def edited_text(
    record: BriefingText | None, numbers: Numbers, basis: dict[str, object] | None = None
) -> EditedText | None:
    """Return a saved text for printing (None without one); ``basis``: the briefing's
    own (``text_basis``), to tell whether the text was written for other data."""
    if record is None:
        return None
    stale = basis is not None and bool(record.basis) and record.basis != basis
    day = numbers.day(record.updated_at.date())
    return EditedText(tuple(record.messages), record.recommendations, day, stale)


def split_messages(text: str) -> list[str]:
    """Split a text area into messages: paragraphs separated by blank lines (a line of
    only spaces counts as blank), each tidied to one line."""
    paragraphs = [
        " ".join(part.split()) for part in re.split(r"\n[ \t\u00a0]*\n", text.replace("\r\n", "\n"))
    ]
    return [paragraph for paragraph in paragraphs if paragraph]


def suggested(findings: list[Finding]) -> list[Finding]:
    """Return the generated key messages: up to ``MESSAGES`` findings, clear ones first.

    ``findings`` come in the briefing's order of importance (one per question type in
    turn, rankings of needs first: ``key_findings``); a finding whose leader the
    intervals do not back ("neither leads clearly") is taken only when there are not
    enough clear ones. The chosen keep that order.
    """
    ranked = sorted(range(len(findings)), key=lambda i: (findings[i].tie, i))[:MESSAGES]
    return [findings[i] for i in sorted(ranked)]


def summary_part(
    findings: list[Finding],
    edited: EditedText | None,
    cover: dict[str, Any],
    languages: list[str],
    texts: Texts,
) -> dict[str, Any]:
    """Return the summary page's context and the findings left for the findings part.

    ``{"messages": [{"question", "text"}], "by_analysts": bool, "note": str,
    "recommendations": [str], "basis": [(label, value)], "rest": [Finding]}``
    """
    if edited is not None and edited.messages:
        messages, rest = [{"question": "", "text": m} for m in edited.messages], findings
        key = "summary_by_analysts_stale" if edited.stale else "summary_by_analysts"
        note = texts(key, date=edited.updated)
    else:
        chosen = suggested(findings)
        messages = [{"question": f.question, "text": f.text} for f in chosen]
        rest = [f for f in findings if f not in chosen]
        note = texts("summary_generated")
    recommendations = split_messages(edited.recommendations) if edited is not None else []
    names = ", ".join(language_name(code, texts.language) for code in languages)
    basis = [
        (texts("basis_answered"), f"{cover['responses']} {cover['respondents']}"),
        (texts("basis_workshops"), f"{cover['workshops']} · {cover['municipalities']}".strip(" ·")),
        (texts("basis_period"), cover["period"]),
        (texts("basis_left_out"), texts("basis_not_closed", workshops=cover["left_out"]))
        if cover.get("left_out")
        else ("", ""),
        (texts("basis_languages"), names),
        (texts("basis_sample"), texts("basis_not_random")),
    ]
    return {
        "messages": messages,
        "by_analysts": edited is not None and bool(edited.messages),
        "note": note,
        "recommendations": recommendations,
        "recommendations_note": texts("recommendations_by_analysts", date=edited.updated)
        if recommendations and edited is not None
        else "",
        "basis": [(label, value) for label, value in basis if value],
        "rest": rest,
    }
