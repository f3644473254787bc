"""Building blocks of question summaries: heads, counted cells, option lists.

Question type modules (``survey_app.questions.*``) build their summaries from these,
so that every type writes counts, shares and intervals the same way. This module
must not import the type modules (they import it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from survey_app.definition.model import Question, Text
from survey_app.questions.summaries import OptionCell, QuestionHead
from survey_app.stats import wilson_interval

#: A counted cell's count, share and interval ends (shares None when n is 0).
Counts = tuple[int, float | None, float | None, float | None]

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


def question_head(question: Question, n: int) -> QuestionHead:
    """Return the fields every question summary starts with."""
    return {"key": question.key, "type": question.type, "label": dict(question.label), "n": n}


def languages_of(question: Question) -> list[str]:
    """Return the languages a question is written in (those of its label)."""
    return list(question.label) or ["en"]


def other_label(languages: Iterable[str]) -> Text:
    """Return the label of "other" in ``languages``."""
    return {lang: OTHER_LABELS.get(lang, OTHER_LABELS["en"]) for lang in languages}


def counts(count: int, n: int) -> Counts:
    """Return count, share, and the ends of the 95 % interval of count/n.

    Shares and intervals are None when ``n`` is 0: a share of nobody is undefined.
    """
    interval = wilson_interval(count, n)
    return (
        count,
        count / n if n else None,
        interval[0] if interval else None,
        interval[1] if interval else None,
    )


def share_fields(count: int, n: int, prefix: str = "") -> dict[str, Any]:
    """Return ``count``, ``share``, ``ci_low``, ``ci_high`` (with ``prefix``) of count/n."""
    values = counts(count, n)
    names = ("count", "share", "ci_low", "ci_high")
    return {f"{prefix}{name}": value for name, value in zip(names, values, strict=True)}


def option_cell(key: str, label: Text, count: int, n: int) -> OptionCell:
    """Return the counted cell of an option (or a theme)."""
    count, share, low, high = counts(count, n)
    return {
        "key": key,
        "label": label,
        "count": count,
        "share": share,
        "ci_low": low,
        "ci_high": high,
    }


def choice_options(question: Question) -> list[tuple[str, Text]]:
    """Return ``(key, label)`` of the options, "other" last if the question allows it."""
    options = [(option.key, dict(option.label)) for option in question.options]
    if question.other:
        options.append(("other", other_label(languages_of(question))))
    return options


def option_cells(
    options: Iterable[tuple[str, Text]], counted: Mapping[str, int], n: int
) -> list[OptionCell]:
    """Return ``[{"key", "label", "count", "share", "ci_low", "ci_high"}]`` of options."""
    return [option_cell(key, label, counted.get(key, 0), n) for key, label in options]
