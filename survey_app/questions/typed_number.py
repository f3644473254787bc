"""Reading a number as typed on a phone (number and rating questions)."""

from __future__ import annotations

import math
import re
import unicodedata

#: Digit groups such as 1.000, 1,000, 1 000 or 1'000 in a whole number.
THOUSANDS = re.compile(r"^[+-]?\d{1,3}([.,' ]\d{3})+$")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def read_number(text: str, integer: bool = False) -> float | None:
    """Read a number typed on a phone: any script's digits, decimal comma or point."""
    text = "".join(_ascii_digit(ch) for ch in text)
    text = text.replace("\u066b", ",").replace("\u066c", "'").replace("\u2212", "-")
    text = SPACES.sub(" ", text).strip()
    if integer and THOUSANDS.match(text):
        text = re.sub(r"[.,' ]", "", text)
    text = text.replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _ascii_digit(char: str) -> str:
    digit = unicodedata.digit(char, None) if not char.isascii() else None
    return str(digit) if digit is not None else char
