"""The settings sheet of an XLSForm: the form's key and version as an instrument's."""

from __future__ import annotations

import re
from typing import Any

from survey_app.definition.errors import S_, LocalMessage
from survey_app.instruments.parse import MAX_VERSION


def form_key(form: dict[str, Any], named_by_file: bool, notes: list[str]) -> str:
    """Return the instrument key for the form's ``form_id`` (or file name), noting changes."""
    name = str(form.get("id_string") or form.get("name") or "form")
    key = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_") or "form"
    if not key[0].isalpha():
        key = f"form-{key}"
    if named_by_file and key != name:
        notes.append(
            LocalMessage(
                S_("settings:1: no form_id; the file name '%(name)s' is the key '%(key)s'"),
                name=name,
                key=key,
            )
        )
    elif not named_by_file and key != name.lower():
        notes.append(
            LocalMessage(
                S_("settings:2: form_id '%(name)s' written as the key '%(key)s'"),
                name=name,
                key=key,
            )
        )
    return key


def form_version(form: dict[str, Any], notes: list[str]) -> int:
    """Return the form's version as a whole number the database can hold, noting changes.

    Forms often write a timestamp (``20240508231115``); its first digits are kept.
    """
    version = str(form.get("version") or "1").strip()
    digits = version.lstrip("0")
    # ASCII digits only: "²".isdigit() is true, but int("²") fails
    if not (version.isascii() and version.isdigit() and digits):
        notes.append(
            LocalMessage(
                S_("settings:2: version '%(version)s' is not a whole number; used 1"),
                version=version[:40],
            )
        )
        return 1
    number = int(digits[:20])  # int() refuses strings of more than 4300 digits
    while number > MAX_VERSION:
        number //= 10
    if str(number) != digits:
        notes.append(
            LocalMessage(
                S_(
                    "settings:2: version %(version)s is too large for a version number;"
                    " used %(number)s (its first digits)"
                ),
                version=version,
                number=number,
            )
        )
    return number
