"""Building blocks of question summaries: heads, counted cells, option lists.

Question type modules (``survey_app.questions.*``) build their summaries from these,
so that every type writes counts, shares and intervals the same way. This module
must not import the type modules (they import it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from survey_app.definition.model import Question, Text
from survey_app.stats import wilson_interval

#: Label of the free "other" choice; languages missing here fall back to English.
OTHER_LABELS: Text = {
    "de": "Andere",
    "en": "Other",
    "tr": "Diğer",
    "ar": "أخرى",
    "uk": "Інше",
    "fr": "Autre",
    "fa": "سایر",
    "ru": "Другое",
    "es": "Otro",
    "it": "Altro",
    "pl": "Inne",
}


def question_head(question: Question, n: int) -> dict[str, Any]:
    """Return the fields every question summary starts with."""
    return {"key": question.key, "type": question.type, "label": dict(question.label), "n": n}


def languages_of(question: Question) -> list[str]:
    """Return the languages a question is written in (those of its label)."""
    return list(question.label) or ["en"]


def other_label(languages: Iterable[str]) -> Text:
    """Return the label of "other" in ``languages``."""
    return {lang: OTHER_LABELS.get(lang, OTHER_LABELS["en"]) for lang in languages}


def share_fields(count: int, n: int, prefix: str = "") -> dict[str, Any]:
    """Return ``count``, ``share``, ``ci_low``, ``ci_high`` (with ``prefix``) of count/n.

    Shares and intervals are None when ``n`` is 0: a share of nobody is undefined.
    """
    interval = wilson_interval(count, n)
    return {
        f"{prefix}count": count,
        f"{prefix}share": count / n if n else None,
        f"{prefix}ci_low": interval[0] if interval else None,
        f"{prefix}ci_high": interval[1] if interval else None,
    }


def choice_options(question: Question) -> list[tuple[str, Text]]:
    """Return ``(key, label)`` of the options, "other" last if the question allows it."""
    options = [(option.key, dict(option.label)) for option in question.options]
    if question.other:
        options.append(("other", other_label(languages_of(question))))
    return options


def option_cells(
    options: Iterable[tuple[str, Text]], counts: Mapping[str, int], n: int
) -> list[dict[str, Any]]:
    """Return ``[{"key", "label", "count", "share", "ci_low", "ci_high"}]`` of options."""
    return [
        {"key": key, "label": label, **share_fields(counts.get(key, 0), n)}
        for key, label in options
    ]
