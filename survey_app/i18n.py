"""Interface languages: choosing one per request, and marking strings to translate."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale

from survey_app.definition.model import RTL_LANGUAGES, Text, text_in

#: Names of languages in their own script, for the language switch.
LANGUAGE_NAMES = {
    "ar": "العربية",
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fa": "فارسی",
    "fr": "Français",
    "it": "Italiano",
    "pl": "Polski",
    "ru": "Русский",
    "tr": "Türkçe",
    "uk": "Українська",
}


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for translation without translating it now."""
    return message


def choose_language(available: tuple[str, ...] | list[str], asked: str | None = None) -> str:
    """Pick the language: ``asked`` if available, else the browser's, else the first."""
    if asked and asked in available:
        return asked
    if has_request_context():
        best = request.accept_languages.best_match(available)
        if best:
            return best
    return available[0]


def select_ui_language() -> str:
    """Return the interface language of this request (Flask-Babel's selector)."""
    chosen = g.get("language")
    if chosen:
        return str(chosen)
    return choose_language(current_app.config["SUPPORTED_UI_LANGUAGES"], request.args.get("lang"))


def direction(language: str) -> str:
    """Return ``rtl`` for right-to-left languages, else ``ltr``."""
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"


def local_text(text: Text | None) -> str:
    """Return an instrument text in the language of this request."""
    language = g.get("language") or ""
    fallback = g.get("default_language") or ""
    return text_in(text, language, fallback)


def page_language() -> str:
    """Return the language of this page: the questionnaire's, else the interface's."""
    return str(g.get("language") or get_locale() or "en")


def template_globals() -> dict[str, Any]:
    """Return the helpers that templates use."""
    return {
        "tr": local_text,
        "text_in": text_in,
        "direction": direction,
        "page_language": page_language,
        "LANGUAGE_NAMES": LANGUAGE_NAMES,
    }
