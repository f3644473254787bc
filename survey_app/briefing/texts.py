"""The briefing's own words (``texts.yaml`` of a template folder) and number formats.

The fixed texts live beside the templates, so that users can edit them without
touching code: ``reports/<template>/texts.yaml`` maps a language to ``key: text``;
texts may hold ``{placeholders}``. Numbers follow the language (Babel): German
``38 %`` and ``3,4``, English ``38%`` and ``3.4``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

#: The texts file of a template folder.
TEXTS_FILE = "texts.yaml"
#: Dash between the ends of a range.
EN_DASH = "\u2013"


class BriefingTextsError(ValueError):
    """The texts file is missing, broken, or lacks the asked language."""


def load_texts(folder: Path) -> dict[str, dict[str, str]]:
    """Return ``{language: {key: text}}`` from ``folder/texts.yaml``."""
    path = folder / TEXTS_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BriefingTextsError(f"{path}: cannot read the briefing texts ({exc})") from None
    except yaml.YAMLError as exc:
        raise BriefingTextsError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise BriefingTextsError(f"{path}: expected `language: {{key: text}}` mappings")
    return {str(lang): {str(k): str(v) for k, v in texts.items()} for lang, texts in data.items()}


def available_languages(folder: Path) -> list[str]:
    """Return the languages the template folder has texts for."""
    return list(load_texts(folder))


@dataclass(frozen=True)
class Texts:
    """The fixed texts of one language, with ``{placeholder}`` filling."""

    language: str
    words: dict[str, str]

    def __call__(self, key: str, **values: Any) -> str:
        """Return the text ``key`` with its placeholders filled (the key if missing)."""
        text = self.words.get(key)
        if text is None:
            return key
        return text.format(**values) if values else text

    def quote(self, text: str) -> str:
        """Put ``text`` in the language's quotation marks („…“ in German, “…” in English)."""
        return f"{self.words.get('quote_open', '“')}{text}{self.words.get('quote_close', '”')}"

    def __getitem__(self, key: str) -> str:
        """Return the text ``key`` unfilled (templates write ``t["contents"]``)."""
        return self.words.get(key, key)


def texts_for(folder: Path, language: str) -> Texts:
    """Return the texts of ``language``; missing keys fall back to English."""
    texts = load_texts(folder)
    if language not in texts:
        known = ", ".join(sorted(texts))
        raise BriefingTextsError(
            f"the briefing template has no texts in '{language}' (it has: {known}); "
            f"add them to {folder / TEXTS_FILE}"
        )
    return Texts(language, {**texts.get("en", {}), **texts[language]})


@dataclass(frozen=True)
class Numbers:
    """Numbers, shares, intervals and dates written the way a language writes them."""

    locale: str

    def percent(self, share: float | None) -> str:
        """Write a share 0..1 as a whole percentage ("38 %" in German, "38%" in English)."""
        if share is None:
            return ""
        return format_percent(share, locale=self.locale)

    def interval(self, low: float | None, high: float | None) -> str:
        """Write an interval of shares once with its sign ("31–45 %", "31–45%")."""
        if low is None or high is None:
            return ""
        high_text = self.percent(high)
        # The numbers as format_percent rounds them, without the percent sign.
        high_number = _digits(high_text)
        low_number = _digits(self.percent(low))
        if high_number and high_number in high_text:
            return high_text.replace(high_number, f"{low_number}{EN_DASH}{high_number}", 1)
        return f"{self.percent(low)}{EN_DASH}{high_text}"

    def decimal(self, value: float | None, digits: int = 1) -> str:
        """Write a number with ``digits`` decimals ("3,4" in German)."""
        if value is None:
            return ""
        # No thousands separator below 10,000: "1960" is a year, not "1.960".
        group = "#,##0" if abs(value) >= 10000 else "0"
        pattern = f"{group}." + "0" * digits if digits else group
        return format_decimal(value, format=pattern, locale=self.locale)

    def number(self, value: float | None) -> str:
        """Write a count or a measured number: whole numbers without decimals."""
        if value is None:
            return ""
        return self.decimal(value, 0 if float(value).is_integer() else 1)

    def day(self, value: date | None) -> str:
        """Write a date in the language's medium form ("05.03.2026", "Mar 5, 2026")."""
        return format_date(value, format="medium", locale=self.locale) if value else ""

    def moment(self, value: datetime) -> str:
        """Write a date and time (UTC) in the language's medium form."""
        return format_datetime(value, format="medium", tzinfo=None, locale=self.locale) + " UTC"


def _digits(text: str) -> str:
    """Return the number inside a formatted percentage."""
    return re.sub(r"[^0-9.,\u066b\u066c]", "", text)


def numbers_for(language: str) -> Numbers:
    """Return the number formats of ``language`` (English formats if Babel lacks it)."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Numbers("en")
    return Numbers(language)
