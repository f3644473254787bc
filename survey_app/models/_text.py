"""Text that every database and every export format can hold."""

from __future__ import annotations

import re
from collections.abc import Callable

#: NUL (PostgreSQL refuses it in text), the other C0 controls but tab, line feed and
#: carriage return, and U+FFFE/U+FFFF: none of them is allowed in XML, so no XLSX
#: cell could hold them. Nobody types them; they come from broken or hostile clients.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


#: Characters that turn the direction of the text after them (U+202A-U+202E, U+2066-U+2069):
#: in a label, "\u202eexe.txt" would be shown as "txt.exe".
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def storable(text: str) -> str:
    """Return ``text`` without the characters that cannot be stored or exported."""
    return UNSTORABLE.sub("", text)


def plain_label(text: str) -> str:
    """Return a name on one line: storable, spaces collapsed, without direction overrides.

    Control characters (a terminal's escape sequences too) are dropped, so a name
    printed by a command cannot move the reader's cursor or colour the screen.
    """
    return " ".join(DIRECTION_CONTROLS.sub("", storable(text)).split())


def storable_columns(*names: str):  # type: ignore[no-untyped-def]
    """Return a model validator that cleans the text columns ``names`` on assignment."""
    return _cleaning(storable, names)


def label_columns(*names: str):  # type: ignore[no-untyped-def]
    """Return a model validator that makes the columns ``names`` plain labels on assignment."""
    return _cleaning(plain_label, names)


def _cleaning(cleaner: Callable[[str], str], names: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Return a validator applying ``cleaner`` to text assigned to the columns ``names``."""
    from sqlalchemy.orm import validates

    @validates(*names)
    def clean(self, key: str, value: str | None) -> str | None:  # type: ignore[no-untyped-def]
        return cleaner(value) if isinstance(value, str) else value

    return clean
