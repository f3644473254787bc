"""Variable names and labels as SPSS and Stata allow them, the same every time.

A column name becomes a variable name by one deterministic rule, listed per column in
the codebook (``spss``, ``stata``): every character but letters, digits and "_"
becomes "_" (``fields_of_work.youth`` -> ``fields_of_work_youth``); SPSS names must
start with a letter, so the columns about the response get ``meta`` before their "_"
there (``meta_response_id``), while Stata keeps ``_response_id``; a name longer than
the format allows (Stata 32 characters, SPSS 64) is cut, and a name already taken (or
reserved by the format) gets ``_2``, ``_3``, ... within the limit, in column order.
A variable with value labels names its set of labels too, and pyreadstat names that
set by the variable's name and the set's number (``org_type0``, ``org_type1``, ...: the
labelled variables counted from 0 in column order); Stata allows a label set 32
characters, so such a variable's name leaves room for the number (cut, or ``_2``, ...
by the same rule), and a name whose label set name is taken counts as taken.
Labels longer than the format holds are cut at a character and end in "…" (the
codebook keeps them whole).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from survey_app.definition.columns import META_PREFIX

_NOT_IN_NAMES = re.compile(r"[^A-Za-z0-9_]")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Flavour:
    """What one statistics file format allows."""

    #: File name ending: "sav" or "dta".
    suffix: str
    #: Longest variable name, in characters (names are ASCII).
    name_length: int
    #: Put before a column about the response ("" keeps its leading "_").
    meta_start: str
    #: Longest variable label: characters, then UTF-8 bytes.
    label_chars: int
    label_bytes: int
    #: Longest value label, in UTF-8 bytes.
    value_label_bytes: int
    #: Names the format keeps for itself (compared in lower case).
    reserved: frozenset[str]
    #: A pattern of more names it keeps (Stata's storage types ``str1`` .. ``str2045``).
    reserved_pattern: re.Pattern[str] | None = None


SPSS = Flavour(
    suffix="sav",
    name_length=64,
    meta_start="meta",
    label_chars=256,
    label_bytes=256,
    value_label_bytes=120,
    reserved=frozenset(
        "all and by eq ge gt le lt ne not or to with".split()  # SPSS names ignore case
    ),
)
STATA = Flavour(
    suffix="dta",
    name_length=32,
    meta_start="",
    label_chars=80,
    label_bytes=320,
    value_label_bytes=32000,
    reserved=frozenset(
        "_all _b byte _coef _cons double float if in int long _n _pi _pred _rc _se _skip "
        "strl using with".split()
    ),
    reserved_pattern=re.compile(r"str\d+"),
)


def variable_names(
    columns: list[str], flavour: Flavour, labelled: Collection[str] = ()
) -> dict[str, str]:
    """Return ``{column: variable name}``: valid, unique (ignoring case) and in order.

    The ``labelled`` columns carry value labels: their names leave room for the number
    of their label set, and label set names are unique too.
    """
    taken: set[str] = set()
    sets: set[str] = set()
    names: dict[str, str] = {}
    for column in columns:
        base = _NOT_IN_NAMES.sub("_", column)
        if column.startswith(META_PREFIX):
            base = flavour.meta_start + base
        tail = str(len(sets)) if column in labelled else ""
        room = flavour.name_length - len(tail)
        name = base[:room]
        number = 1
        while _unusable(name, taken, flavour) or (tail and (name + tail).lower() in sets):
            number += 1
            suffix = f"_{number}"
            name = base[: room - len(suffix)] + suffix
        taken.add(name.lower())
        if tail:
            sets.add((name + tail).lower())
        names[column] = name
    return names


def _unusable(name: str, taken: set[str], flavour: Flavour) -> bool:
    """Say whether ``name`` is taken already or reserved by the format."""
    lower = name.lower()
    pattern = flavour.reserved_pattern
    return (
        lower in taken
        or lower in flavour.reserved
        or (pattern is not None and pattern.fullmatch(lower) is not None)
    )


def fitted(text: str, chars: int, size: int) -> str:
    """Return ``text`` cut to ``chars`` characters and ``size`` UTF-8 bytes, marked "…"."""
    if len(text) <= chars and len(text.encode("utf-8")) <= size:
        return text
    room = size - len(ELLIPSIS.encode("utf-8"))
    cut = text[: chars - 1].encode("utf-8")[:room].decode("utf-8", "ignore")
    return cut.rstrip() + ELLIPSIS


def variable_label(text: str, flavour: Flavour) -> str:
    """Return a variable label that ``flavour`` holds."""
    return fitted(text, flavour.label_chars, flavour.label_bytes)


def value_label(text: str, flavour: Flavour) -> str:
    """Return a value label that ``flavour`` holds."""
    return fitted(text, flavour.value_label_bytes, flavour.value_label_bytes)
