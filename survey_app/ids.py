"""Row ids and whole numbers typed by visitors: parsed totally, never an overflow.

Every id column holds at most ``MAX_ID`` (PostgreSQL's ``integer``; SQLite would take up
to 2**63 - 1, PostgreSQL refuses 2**31 with an error, SQLite 2**63 with an overflow).
A number outside that range, or written with other characters than the ASCII digits
(``²``, ``①``, ``١``, a sign, spaces), is no id: URLs answer 404, form fields and query
arguments are treated as absent or answered with the form's own message.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

#: The largest id of every table here (2**31 - 1).
MAX_ID = 2**31 - 1
#: Longest digit string worth converting (``MAX_ID`` has 10 digits; leading zeros aside).
_MAX_DIGITS = 40


def whole_number(text: object, low: int, high: int) -> int | None:
    """Return ``text`` as a whole number from ``low`` to ``high``, or ``None``.

    Only ASCII digits count (``str.isdigit`` also says yes to ``²`` and ``①``, which
    ``int`` refuses); ``text`` of any other type is ``None`` too.
    """
    if isinstance(text, bool) or not isinstance(text, str | int):
        return None
    if isinstance(text, str):
        if not (text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS):
            return None
        text = int(text)
    return text if low <= text <= high else None


def parse_id(text: object) -> int | None:
    """Return ``text`` as a row id (1 to ``MAX_ID``), or ``None`` if it cannot be one."""
    return whole_number(text, 1, MAX_ID)


def row_id(text: str) -> int:
    """Return ``text`` as a row id; ``ValueError`` otherwise.

    For ``request.args.get(name, type=row_id)`` (an invalid value counts as absent) and
    WTForms' ``coerce=row_id`` (an invalid value is the field's error, not a 500).
    """
    found = parse_id(text)
    if found is None:
        raise ValueError(f"not an id: {str(text)[:40]!r}")
    return found


class RowId(IntegerConverter):
    """An ``<int:...>`` part of a URL: at most ``MAX_ID``. A larger number is no route
    (404), not an overflow in the database (500)."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_ID, signed: bool = False) -> None:  # fmt: skip
        super().__init__(url_map, fixed_digits, min, max, signed)
