"""Text that every database and every export format can hold."""

from __future__ import annotations

import re

#: NUL (PostgreSQL refuses it in text), the other C0 controls but tab, line feed and
#: carriage return, and U+FFFE/U+FFFF: none of them is allowed in XML, so no XLSX
#: cell could hold them. Nobody types them; they come from broken or hostile clients.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def storable(text: str) -> str:
    """Return ``text`` without the characters that cannot be stored or exported."""
    return UNSTORABLE.sub("", text)


def storable_columns(*names: str):  # type: ignore[no-untyped-def]
    """Return a model validator that cleans the text columns ``names`` on assignment."""
    from sqlalchemy.orm import validates

    @validates(*names)
    def clean(self, key: str, value: str | None) -> str | None:  # type: ignore[no-untyped-def]
        return storable(value) if isinstance(value, str) else value

    return clean
