"""The briefing's summary page: key messages, recommendations and the data basis.

The key messages are the analysts' where they wrote some (``BriefingText``, edited
in the browser), else the generated findings that report the largest shares (each
a sentence with its number, interval and base, ``findings.key_findings``). The page
says which it is: generated sentences are suggestions by fixed rules that nobody
checked; the analysts' text is theirs, with its date. Numbers typed by analysts are
not checked against the protection of small groups (README).
"""

from __future__ import annotations

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
#: At most this many key messages may be saved.
MOST_MESSAGES = 8


@dataclass(frozen=True)
class EditedText:
    """What analysts saved for a scope and language (``None`` fields: not saved)."""

    messages: tuple[str, ...]
    recommendations: str
    updated: str

    def key(self) -> tuple[Any, ...]:
        """Return what a briefing's cache key needs of it."""
        return (self.messages, self.recommendations)


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


def edited_text(record: BriefingText | None, numbers: Numbers) -> EditedText | None:
    """Return a saved text for printing (None without one)."""
    if record is None:
        return None
    return EditedText(
        tuple(record.messages), record.recommendations, numbers.day(record.updated_at.date())
    )


def split_messages(text: str) -> list[str]:
    """Split a text area into messages: paragraphs separated by blank lines, tidied."""
    paragraphs = [" ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n")]
    return [paragraph for paragraph in paragraphs if paragraph]


def suggested(findings: list[Finding]) -> list[Finding]:
    """Return the generated key messages: the findings of the largest shares, in order."""
    ranked = sorted(findings, key=lambda f: -f.importance)[:MESSAGES]
    return [f for f in findings if f in ranked]


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
        note = texts("summary_by_analysts", date=edited.updated)
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
