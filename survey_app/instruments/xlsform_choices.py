"""Choice lists of an XLSForm as options: keys, repeated names, ``other``, filters.

A choice list becomes the options of every select that uses it. Names become keys
(``[a-z][a-z0-9_]*``); names that repeat (allowed with ``allow_choice_duplicates``) or
that only differ in case get a suffix (``yes_2``); a name repeated with the same label
(a cascading list naming a place under each parent) is offered once. The name ``other``
is what XLSForm's ``or_other`` adds: on a select it becomes ``other: true``. A
``choice_filter`` of a fixed value (``pastel='yes'``) is applied; one that depends on an
answer (``state=${state}``) cannot be, since an instrument has no options that depend on
answers: all options stay.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from survey_app.definition.errors import S_, Detail, LocalMessage
from survey_app.instruments.xlsform_read import CHOICE_ROW, choice_row

FIXED_FILTER = re.compile(r"""^\s*([A-Za-z_][\w.-]*)\s*=\s*(?:'([^']*)'|"([^"]*)"|([\w.-]+))\s*$""")
ANSWER_FILTER = re.compile(r"^\s*([A-Za-z_][\w.-]*)\s*=\s*\$\{([^}\s]+)\}\s*$")
OTHER = "other"
#: Letters spelled out in keys (others lose their accents: é -> e).
SPELLED = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa"}


def key_of(name: str) -> str:
    """Return ``name`` as a key ``[a-z][a-z0-9_]*`` (``Flüchtlinge`` -> ``fluechtlinge``)."""
    plain = name.strip().lower()
    for letter, spelled in SPELLED.items():
        plain = plain.replace(letter, spelled)
    plain = "".join(c for c in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(c))
    value = re.sub(r"[^a-z0-9_]+", "_", plain).strip("_") or "x"
    return value if value[0].isalpha() else f"o_{value}"


def unique(key: str, taken: set[str]) -> str:
    """Return ``key``, or ``key_2``, ``key_3``... if taken; mark the result taken."""
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}_{number}", number + 1
    taken.add(candidate)
    return candidate


@dataclass
class Options:
    """The options of one select, and how the form's choice names map onto them."""

    options: list[dict[str, Any]] = field(default_factory=list)
    #: XLSForm choice name -> option key (``other`` -> ``other`` with ``other: true``).
    keys: dict[str, str] = field(default_factory=dict)
    #: True when the list had the ``other`` choice and the question may say so.
    other: bool = False
    #: The label of the ``other`` choice (an option again if ``other: true`` cannot be).
    other_label: Any = "Other"


class ChoiceLists:
    """Convert choice lists once each, noting renamed and repeated names once per list."""

    def __init__(self, text: Callable[[Any, str], Any], notes: list[str]):
        self.text = text
        self.notes = notes
        self.noted: set[str] = set()

    def options(
        self, row: dict[str, Any], where: str, other_allowed: bool, names: dict[str, str]
    ) -> Options:
        """Return the options of the select ``row`` (written at ``where``)."""
        choices = list(row.get("choices") or [])
        list_name = str(row.get("list_name") or row.get("itemset") or row.get("name"))
        choices = self._filtered(row, choices, where, names)
        found = Options()
        renamed: list[str] = []
        repeated: list[tuple[str, str]] = []
        for choice in choices:
            original = str(choice.get("name", ""))
            if original == OTHER and other_allowed:
                found.other = True
                found.keys[OTHER] = OTHER
                found.other_label = self.text(choice.get("label") or original, choice_row(choice))
                continue
            key = key_of(original)
            if key == OTHER:
                key = "other_choice"
            if key != original and CHOICE_ROW in choice:  # not for choices made up here
                renamed.append(f"'{original}' -> '{key}'")
            label = self.text(choice.get("label") or original, choice_row(choice))
            same = next((o for o in found.options if o["key"] == key), None)
            if same is not None and same["label"] == label and original in found.keys:
                # The same choice again (a cascading list repeats it under each parent).
                repeated.append((choice_row(choice), f"'{original}' kept once"))
                continue
            if same is not None:
                taken = {o["key"] for o in found.options}
                base, number = key, 2
                while f"{base}_{number}" in taken:
                    number += 1
                key = f"{base}_{number}"
                repeated.append((choice_row(choice), f"'{original}' -> '{key}'"))
            found.keys.setdefault(original, key)
            found.options.append({"key": key, "label": label})
        self._note_list(list_name, choices, renamed, repeated)
        return found

    def _note_list(
        self,
        list_name: str,
        choices: list[dict[str, Any]],
        renamed: list[str],
        repeated: list[tuple[str, str]],
    ) -> None:
        if list_name in self.noted or not choices:
            return
        self.noted.add(list_name)
        where = choice_row(choices[0])
        if renamed:
            names = ", ".join(renamed[:3])
            if len(renamed) > 3:
                template = S_(
                    "%(where)s: list '%(list)s': names changed to keys"
                    " (lower-case letters, digits and _): %(names)s and %(count)d more"
                )
            else:
                template = S_(
                    "%(where)s: list '%(list)s': names changed to keys"
                    " (lower-case letters, digits and _): %(names)s"
                )
            self.notes.append(
                LocalMessage(
                    template, where=where, list=list_name, names=names, count=len(renamed) - 3
                )
            )
        if repeated:
            rows = ", ".join(row for row, _ in repeated[:3])
            changes = ", ".join(change for _, change in repeated[:3])
            if len(repeated) > 3:
                template = S_(
                    "%(rows)s and %(count)d more: list '%(list)s' repeats names (or the same"
                    " name in other case): %(changes)s and %(count)d more"
                )
            else:
                template = S_(
                    "%(rows)s: list '%(list)s' repeats names (or the same name in other"
                    " case): %(changes)s"
                )
            self.notes.append(
                LocalMessage(
                    template,
                    rows=rows,
                    list=list_name,
                    changes=changes,
                    count=len(repeated) - 3,
                )
            )

    def _filtered(
        self, row: dict[str, Any], choices: list[dict[str, Any]], where: str, names: dict[str, str]
    ) -> list[dict[str, Any]]:
        expression = str(row.get("choice_filter") or "").strip()
        if not expression:
            return choices
        name = row.get("name")
        fixed = FIXED_FILTER.match(expression)
        if fixed and not expression.split("=", 1)[1].strip().startswith("${"):
            column = fixed.group(1)
            value = next(v for v in fixed.groups()[1:] if v is not None)
            kept = [c for c in choices if str(c.get(column, "")) == value]
            self.notes.append(
                LocalMessage(
                    S_(
                        "%(where)s: choice_filter of '%(name)s' (%(expression)s) applied:"
                        " %(kept)d of %(count)d choices kept"
                    ),
                    where=where,
                    name=name,
                    expression=Detail(expression),
                    kept=len(kept),
                    count=len(choices),
                )
            )
            return kept
        answer = ANSWER_FILTER.match(expression)
        if answer:
            parent = answer.group(2)
            shown = f"'{names[parent]}'" if parent in names else f"'{parent}'"
            self.notes.append(
                LocalMessage(
                    S_(
                        "%(where)s: the choices of '%(name)s' depend on the answer to %(shown)s"
                        " (%(expression)s); an instrument cannot filter options by an answer,"
                        " so all %(count)d are offered"
                    ),
                    where=where,
                    name=name,
                    shown=shown,
                    expression=Detail(expression),
                    count=len(choices),
                )
            )
        else:
            self.notes.append(
                LocalMessage(
                    S_(
                        "%(where)s: choice_filter of '%(name)s' not converted (%(expression)s);"
                        " all %(count)d choices are offered"
                    ),
                    where=where,
                    name=name,
                    expression=Detail(expression),
                    count=len(choices),
                )
            )
        return choices
