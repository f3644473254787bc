"""The briefing's own words (``texts.yaml`` of a template folder) and number formats.

The fixed texts live beside the templates, so that users can edit them without
touching code: ``reports/<template>/texts.yaml`` maps a language to ``key: text``;
texts may hold ``{placeholders}``. Numbers follow the language (``i18n.Numbers``,
Babel): German ``38 %`` and ``3,4``, English ``38%`` and ``3.4``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from survey_app.i18n import Numbers, numbers_for

#: The texts file of a template folder.
TEXTS_FILE = "texts.yaml"

__all__ = [
    "BriefingTextsError",
    "Numbers",
    "Texts",
    "available_languages",
    "load_texts",
    "numbers_for",
    "texts_for",
]


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
