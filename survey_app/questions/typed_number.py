"""Reading a number as typed on a phone (number and rating questions), in the form's language.

People type numbers as their language writes them (CLDR, through Babel): in German
``2.500`` is two thousand five hundred and ``2,5`` two and a half, in English the other
way round. A text is read under both conventions (decimal point with comma groups, and
decimal comma with point groups; spaces, apostrophes and the Arabic separators group
or mark decimals in both) and every reading that is well formed is kept, the form
language's first. When two readings give different numbers (``2.500``: 2500 or 2.5),
the question asks the participant back with the number it understood rather than
storing either silently. Digits of any script are read (Arabic-Indic ``١٢٣``, Persian
``۴۵``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, get_decimal_symbol

from survey_app.i18n import N_
from survey_app.questions.base import FieldError, format_number

#: Characters that group digits in every convention (spaces of all widths, apostrophe).
SPACE_GROUPS = "\u0020\u00a0\u202f\u2009'\u2019"
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
#: The question back when a typed number has two readings (the first is kept on a resend).
AMBIGUOUS = N_(
    "“%(typed)s” can mean %(value)s or %(other)s. We read %(value)s: send again to keep it,"
    " or type %(other)s."
)
#: The two conventions: (decimal mark, group separator).
POINT_DECIMAL = (".", ",")
COMMA_DECIMAL = (",", ".")


def number_readings(text: str, language: str | None = None, integer: bool = False) -> list[float]:
    """Return the distinct numbers ``text`` can mean, the form language's reading first.

    ``[]`` when it is no number (or not finite). For ``integer`` questions a reading
    that writes no decimal part is preferred: ``1.000`` is a thousand, not 1.
    """
    sign, body, conventions = _normalized(text, language)
    readings: list[tuple[float, bool]] = []
    for decimal_mark, group in conventions:
        found = _read(body, decimal_mark, group)
        if found is not None and found[0] not in (value for value, _ in readings):
            readings.append(found)
    if integer and any(not has_decimals for _, has_decimals in readings):
        readings = [reading for reading in readings if not reading[1]]
    values = [sign * value for value, _ in readings]
    return [value for value in values if math.isfinite(value)]


def read_number(text: str, integer: bool = False, language: str | None = None) -> float | None:
    """Return the form language's reading of ``text`` (see ``number_readings``), or None."""
    readings = number_readings(text, language, integer)
    return readings[0] if readings else None


def understood(
    text: str, language: str | None, integer: bool, confirmed: str | None
) -> float | FieldError | None:
    """Return the number ``text`` means in ``language``; None if it is none; the question
    back (``ambiguous``) if it has two readings and is not the ``confirmed`` text."""
    readings = number_readings(text, language, integer)
    if not readings:
        return None
    if len(readings) > 1 and confirmed != text:
        # 2.500 in a German form: 2500 by the form's language, 2.5 by another's
        return ambiguous(text, readings[0], readings[1], language)
    return readings[0]


def ambiguous(typed: str, value: float, other: float, language: str | None) -> FieldError:
    """Return the question back for ``typed``: both numbers written without digit groups
    in the form's language (2500 and 2,5), and ``confirm``, the text a resend confirms."""
    return FieldError(
        AMBIGUOUS,
        {
            "typed": typed,
            "value": _plain(value, language),
            "other": _plain(other, language),
            "confirm": typed,
        },
    )


def unambiguous(value: float) -> str:
    """Write ``value`` so that every language reads it the same (``2.1250`` for 2.125)."""
    text = format_number(value)
    return text + "0" if len(number_readings(text)) > 1 else text


def _plain(value: float, language: str | None) -> str:
    """Write ``value`` in ``language`` without digit groups (2500, 2,5)."""
    try:
        locale = Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        locale = Locale("en")
    return format_decimal(value, format="0.##########", locale=locale)


def _normalized(text: str, language: str | None) -> tuple[int, str, list[tuple[str, str]]]:
    """Return the sign, the digits and marks, and the conventions to try, in order."""
    text = "".join(_ascii_digit(char) for char in text)
    text = SPACES.sub(" ", text.replace("\u2212", "-")).strip()
    sign = 1
    if text[:1] in "+-" and text:
        sign = -1 if text[0] == "-" else 1
        text = text[1:].strip()
    if "\u066b" in text or "\u066c" in text:  # the Arabic marks say which is which
        return sign, text.replace("\u066b", ".").replace("\u066c", ","), [POINT_DECIMAL]
    first = COMMA_DECIMAL if _decimal_comma(language) else POINT_DECIMAL
    second = POINT_DECIMAL if first is COMMA_DECIMAL else COMMA_DECIMAL
    return sign, text, [first, second]


def _read(body: str, decimal_mark: str, group: str) -> tuple[float, bool] | None:
    """Read ``body`` under one convention: (value, whether a decimal part is written)."""
    whole, _, decimals = body.partition(decimal_mark)
    if decimal_mark in decimals or not (whole or decimals):
        return None
    if decimals and not decimals.isdecimal():
        return None
    separators = {char for char in whole if not char.isdecimal()}
    if not separators:
        if whole and not whole.isdecimal():
            return None
    elif len(separators) > 1 or not separators <= {group, *SPACE_GROUPS}:
        return None
    else:
        parts = whole.split(separators.pop())
        if not (1 <= len(parts[0]) <= 3 and all(len(part) == 3 for part in parts[1:])):
            return None
        if not all(part.isdecimal() for part in parts):
            return None
        whole = "".join(parts)
    return float(f"{whole or '0'}.{decimals or '0'}"), bool(decimals)


@lru_cache(maxsize=64)
def _decimal_comma(language: str | None) -> bool:
    """Say whether the language writes a decimal comma (CLDR); unknown languages: no."""
    if not language:
        return False
    try:
        return get_decimal_symbol(Locale.parse(language.replace("-", "_"))) == ","
    except (UnknownLocaleError, ValueError, TypeError):
        return False


def _ascii_digit(char: str) -> str:
    """Return a decimal digit of any script as 0-9 (superscripts and ① stay as they are)."""
    digit = unicodedata.decimal(char, None) if not char.isascii() else None
    return str(digit) if digit is not None else char
