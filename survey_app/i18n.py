"""Interface languages: choosing one per request, marking strings to translate, numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal, format_percent
from babel.support import Translations
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from markupsafe import Markup

from survey_app.definition.errors import S_ as S_  # the staff-only marker, for files too
from survey_app.definition.errors import Detail, InstrumentProblem, LocalMessage, Phrase
from survey_app.definition.model import RTL_LANGUAGES, Text, text_in

#: The interface catalogues (``make messages``, ``make translations``).
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
#: Dash between the ends of a range.
EN_DASH = "\u2013"
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


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - a gettext marker
    """Mark a text with a count for translation in its plural forms, without translating it."""
    return singular, plural


#: A number that no text contains: it stands for the count the browser fills in.
COUNT_MARK = 987654
#: The plural form of every count below this is listed for the browser; a larger count
#: takes the form of 100 plus its last two digits (the same in every language we have).
PLURAL_COUNTS = 200


def plural_forms(singular: str, plural: str, **values: Any) -> dict[str, Any]:
    """Return a text with a count in every plural form of this request's language, for
    the browser to fill in (it cannot ask the catalogue).

    ``forms``: the text in each plural form, ``{num}`` standing for the count;
    ``rule``: one digit per count 0 to 199, the index of its form (``PLURAL_COUNTS``).
    """
    translations = get_translations()
    form_of = getattr(translations, "plural", lambda n: int(n != 1))
    rule = "".join(str(form_of(n)) for n in range(PLURAL_COUNTS))
    forms = []
    for index in range(max(int(digit) for digit in rule) + 1):
        count = rule.index(str(index)) if str(index) in rule else 1
        text = translations.ngettext(singular, plural, count) % {**values, "num": COUNT_MARK}
        forms.append(text.replace(str(COUNT_MARK), "{num}"))
    return {"forms": forms, "rule": rule}


def match_language(available: tuple[str, ...] | list[str], asked: str | None) -> str | None:
    """Return the available language that ``asked`` names; None if there is none.

    Language tags are case-insensitive (``DE`` is ``de``, ``en_gb`` is ``en-GB``), and a
    regional variant falls back to its base language when only that is available
    (``en-GB`` to ``en``, ``de-AT`` to ``de``).
    """
    wanted = (asked or "").strip().replace("_", "-").lower()
    if not wanted:
        return None
    by_tag = {language.lower(): language for language in available}
    return by_tag.get(wanted) or by_tag.get(wanted.split("-")[0])


def choose_language(available: tuple[str, ...] | list[str], asked: str | None = None) -> str:
    """Pick the language: ``asked`` if available (``match_language``), else the
    browser's, else the first."""
    matched = match_language(available, asked)
    if matched:
        return matched
    if has_request_context():
        best = request.accept_languages.best_match(available)
        if best:
            return best
    return available[0]


#: Where the staff language switch keeps the chosen language for the session.
SESSION_LANGUAGE = "ui_language"


@cache
def catalogue_of(language: str) -> Callable[[str], str]:
    """Return the ``gettext`` of the interface catalogue of ``language``, outside a request
    (files written in a chosen language); English where it has no translation."""
    return Translations.load(str(TRANSLATIONS), [language]).gettext


def select_ui_language() -> str:
    """Return the interface language of this request (Flask-Babel's selector).

    A page's own language (a questionnaire's) comes first, then ``?lang=``, then the
    language chosen with the staff language switch for this session, then the browser's.
    """
    chosen = g.get("language")
    if chosen:
        return str(chosen)
    if not has_request_context():  # a command: the default language
        return str(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))
    available = current_app.config["SUPPORTED_UI_LANGUAGES"]
    asked = request.args.get("lang") or session.get(SESSION_LANGUAGE)
    return choose_language(available, asked if isinstance(asked, str) else None)


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
        "plural_forms": plural_forms,
        "numbers": ui_numbers,
        "local_message": local_message,
    }


def local_message(message: InstrumentProblem | str) -> Markup:
    """Return a questionnaire file's problem or note in this request's language, escaped.

    Values that are texts themselves (``Phrase``, ``LocalMessage``) are translated too;
    values quoted from the file or from another program (``Detail``) show as code.
    """
    if isinstance(message, InstrumentProblem):
        template, values = message.template or message.message, message.values
        if not message.template:
            return Markup.escape(message.message)
    elif isinstance(message, LocalMessage):
        template, values = message.template, message.values
    else:
        return Markup.escape(message)
    translations = get_translations()
    shown: dict[str, object] = {}
    for name, value in values:
        if isinstance(value, Detail):
            shown[name] = Markup("<code>{}</code>").format(value)
        elif isinstance(value, LocalMessage):
            shown[name] = local_message(value)
        elif isinstance(value, Phrase):
            shown[name] = translations.gettext(value)
        else:
            shown[name] = value
    translated = Markup.escape(translations.gettext(template))
    return translated % shown if shown else translated


def ui_numbers() -> Numbers:
    """Return the number and date formats of this request's interface language."""
    return numbers_for(str(get_locale() or "en"))


def template_filters() -> dict[str, Any]:
    """Return the filters that write dates and numbers in the interface language.

    ``day`` (05.03.2026), ``long_day`` (5. März 2026), ``moment`` (a UTC date and time),
    ``minute`` (a UTC date and time to the minute), ``number`` (12, 3,5) and ``decimal``.
    """
    return dict(  # keywords, not string keys: "number" is also a question type's name
        day=lambda value: ui_numbers().day(value),
        long_day=lambda value: ui_numbers().long_day(value),
        moment=lambda value: ui_numbers().moment(value) if value else "",
        minute=lambda value: ui_numbers().minute(value) if value else "",
        number=lambda value: ui_numbers().number(value),
        decimal=lambda value, digits=1: ui_numbers().decimal(value, digits),
    )


#: Locales whose dates are written as another locale writes them (not "Mar 5, 2026").
DATE_LOCALES = {"en": "en_GB"}


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
        """Write a date in the language's medium form ("05.03.2026", "5 Mar 2026")."""
        return format_date(value, format="medium", locale=self._dates) if value else ""

    def long_day(self, value: date | None) -> str:
        """Write a date with the month's name ("6. November 2026", "6 November 2026")."""
        return format_date(value, format="long", locale=self._dates) if value else ""

    def moment(self, value: datetime) -> str:
        """Write a date and time (UTC) in the language's medium form ("5 Mar 2026, 14:05:09")."""
        return format_datetime(value, format="medium", tzinfo=None, locale=self._dates) + " UTC"

    def minute(self, value: datetime) -> str:
        """Write a date and time (UTC) to the minute ("05.03.2026, 14:05 UTC")."""
        day = format_date(value, format="medium", locale=self._dates)
        time = format_time(value, format="short", tzinfo=None, locale=self._dates)
        return f"{day}, {time} UTC"

    @property
    def _dates(self) -> str:
        """English dates the way Europe writes them: day, month, year and a 24-hour clock."""
        return DATE_LOCALES.get(self.locale, self.locale)


def _digits(text: str) -> str:
    """Return the number inside a formatted percentage."""
    return re.sub(r"[^0-9.,\u066b\u066c]", "", text)


def plural_category(language: str, count: float) -> str:
    """Return the plural category of ``count`` in ``language`` (CLDR: one, few, many, ...)."""
    try:
        return str(Locale.parse(language).plural_form(count))
    except (UnknownLocaleError, ValueError):
        return "one" if count == 1 else "other"


def numbers_for(language: str) -> Numbers:
    """Return the number formats of ``language`` (English formats if Babel lacks it)."""
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Numbers("en")
    return Numbers(language)
