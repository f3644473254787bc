"""The briefing part "in their own words": what the free-text questions were answered.

For each free-text question with coded themes or approved quotes: the theme counts
(cells of the protected summary, hidden like any other count) and the approved
quotes grouped by theme, each with its workshop and language, tagged with its
language and writing direction, with the facilitator's translation beside it.

A quote sits under the first theme it was coded with whose count is shown, in the
order of the theme table; quotes of hidden or uncoded themes sit under "further
voices", so that the quotes never tell how many answers a hidden theme holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from babel import Locale, UnknownLocaleError

from survey_app.briefing.findings import short_question
from survey_app.briefing.quotes import Quote
from survey_app.briefing.sections import Writer
from survey_app.i18n import direction
from survey_app.questions import question_type, summary_table

__all__ = ["voice_entries"]


def voice_entries(
    summary: dict[str, Any],
    quotes: Sequence[Quote],
    workshops: dict[int, str],
    w: Writer,
) -> list[dict[str, Any]]:
    """Return one entry per free-text question that has shown themes or approved quotes.

    ``workshops`` maps workshop ids to their row labels. An entry is ``{key, anchor,
    title, short_title, table, note, groups: [{title, quotes: [{text, lang, dir,
    source, translation, translation_lang, translation_dir}]}]}``; questions with
    neither themes nor quotes get no entry (no empty sections).
    """
    entries = []
    for question in summary["questions"]:
        if not question_type(question["type"]).free_text:
            continue
        own = [q for q in quotes if q.question_key == question["key"]]
        shown = _shown_themes(question)
        if not own and not shown:
            continue
        entries.append(
            {
                "key": question["key"],
                "anchor": f"q-{question['key']}",
                "title": w.label(question),
                "short_title": short_question(w.label(question)),
                "table": summary_table(question, w) if shown else None,
                "note": _note(question, len(own), w),
                "groups": _groups(own, shown, workshops, w),
            }
        )
    return entries


def _shown_themes(question: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the themes whose count is shown and not zero, in the table's order."""
    if question.get("suppressed"):
        return []
    return [t for t in question.get("themes", []) if not t.get("suppressed") and t.get("count")]


def _groups(
    quotes: list[Quote], themes: list[dict[str, Any]], workshops: dict[int, str], w: Writer
) -> list[dict[str, Any]]:
    order = [t["key"] for t in themes]
    grouped: dict[str, list[dict[str, Any]]] = {key: [] for key in [*order, ""]}
    for quote in quotes:
        home = next((key for key in order if key in quote.themes), "")
        grouped[home].append(_quote_entry(quote, workshops, w))
    titles = {t["key"]: w.label(t) for t in themes}
    other = w.texts("quotes_other") if order else ""
    return [
        {"title": titles.get(key, other), "quotes": found}
        for key, found in grouped.items()
        if found
    ]


def _quote_entry(quote: Quote, workshops: dict[int, str], w: Writer) -> dict[str, Any]:
    """A quote, its source, and its translation if that is in the briefing's language."""
    source = [workshops.get(quote.workshop_id, ""), language_name(quote.language, w.language)]
    into = quote.translation_language
    printed = quote.translation if _base(into) == _base(w.language) else ""
    return {
        "text": quote.text,
        "lang": quote.language,
        "dir": direction(quote.language),
        "source": " · ".join(part for part in source if part),
        "translation": printed,
        "translation_lang": into,
        "translation_dir": direction(into or w.language),
    }


def _base(language: str) -> str:
    return language.split("-")[0].lower()


def _note(question: dict[str, Any], quoted: int, w: Writer) -> str:
    """Say how many answered and how many of them are quoted (or why nothing is counted)."""
    if question.get("suppressed"):
        return w.hidden(question, answers=True)
    return w.texts("voices_note", n=w.numbers.number(question.get("n", 0)), quoted=quoted)


def language_name(code: str, language: str) -> str:
    """Return the name of language ``code`` in ``language`` ("Arabisch"), or the code."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(language) or code
    except (UnknownLocaleError, ValueError, TypeError):
        return code
