"""Mend survey rows pyxform would refuse the whole workbook for, noting each one.

Field forms that ODK tools reject for one row are still worth converting: a select whose
list is missing from the choices sheet is asked as a text, a name with a space or a
leading digit gets underscores, a name repeated within its group gets a suffix, and a
range's unknown parameters (a typo such as ``tart=1``) are left out. A ``trigger``
(recalculate when another answer changes) and a computed default (``calculation`` on a
question) mean nothing to an instrument and are dropped. Only rows pyxform
would refuse are touched.
"""

from __future__ import annotations

import re
from typing import Any

from survey_app.definition.errors import S_, LocalMessage

#: A select and its list; pyxform also reads ``select one from LIST`` and ``... from file``.
SELECT = re.compile(
    r"^\s*(select_one|select_multiple|(?:select one|select all that apply)"
    r"(?:\s+from(?:\s+file)?)?|rank)\s+(\S+)"
)
RANGE_PARAMETERS = ("start", "end", "step")
#: Columns an instrument has no use for that pyxform checks against the other rows.
UNUSED_CHECKED = ("trigger",)
BEGIN = ("begin group", "begin repeat", "begin_group", "begin_repeat")
END = ("end group", "end repeat", "end_group", "end_repeat")


def _column(row: dict[str, Any], name: str) -> str | None:
    """Return the key of ``row`` that is the column ``name`` in any case."""
    return next((key for key in row if str(key).strip().lower() == name), None)


def repair_survey(workbook: Any) -> list[str]:
    """Mend the survey rows of ``workbook`` (pyxform's ``DefinitionData``); return notes."""
    from pyxform.parsing.expression import is_xml_tag

    notes: list[str] = []
    lists = _list_names(workbook.choices or [])
    siblings: list[set[str]] = [set()]
    for number, row in enumerate(workbook.survey or [], start=2):
        for column in UNUSED_CHECKED:
            if (key := _column(row, column)) is not None:
                del row[key]
        type_key, name_key = _column(row, "type"), _column(row, "name")
        kind = str(row.get(type_key) or "").strip() if type_key else ""
        lowered = kind.lower()
        calculation = _column(row, "calculation")
        if calculation is not None and lowered != "calculate":
            del row[calculation]  # a computed default: the participant answers anyway
        if lowered in END:
            if len(siblings) > 1:
                siblings.pop()
            continue
        select = SELECT.match(kind)
        if select and _missing(select.group(2), lists):
            row[type_key] = "text"
            notes.append(
                LocalMessage(
                    S_(
                        "survey:%(row)s: list '%(list)s' is not on the choices sheet;"
                        " the question is asked as a text"
                    ),
                    row=number,
                    list=select.group(2),
                )
            )
        if lowered == "range":
            _mend_range(row, number, notes)
        if name_key and row.get(name_key):
            name = str(row[name_key]).strip()
            mended = name if is_xml_tag(name) else _xml_name(name)
            while mended in siblings[-1]:
                mended = f"{mended}_2"
            if mended != name:
                row[name_key] = mended
                notes.append(
                    LocalMessage(
                        S_(
                            "survey:%(row)s: the name '%(name)s' is not allowed or repeated in its"
                            " group; read as '%(mended)s'"
                        ),
                        row=number,
                        name=name,
                        mended=mended,
                    )
                )
            siblings[-1].add(mended)
        if lowered in BEGIN:
            siblings.append(set())
    return notes


def _list_names(choices: list[dict[str, Any]]) -> set[str]:
    names = set()
    for row in choices:
        key = _column(row, "list_name") or _column(row, "list name")
        if key and row.get(key):
            names.add(str(row[key]).strip())
    return names


def _missing(list_name: str, lists: set[str]) -> bool:
    """Say whether a select's list is neither on the choices sheet nor elsewhere."""
    if "." in list_name or list_name.startswith("${"):
        return False  # a file or earlier answers
    return list_name not in lists


def _mend_range(row: dict[str, Any], number: int, notes: list[str]) -> None:
    key = _column(row, "parameters")
    if not key or not row.get(key):
        return
    parts = re.split(r"[\s;,]+", str(row[key]).strip())
    kept = [p for p in parts if p.split("=", 1)[0].strip().lower() in RANGE_PARAMETERS]
    if len(kept) != len(parts):
        row[key] = " ".join(kept)
        left = [p for p in parts if p not in kept]
        notes.append(
            LocalMessage(
                S_("survey:%(row)s: range parameters %(left)s not understood; left out"),
                row=number,
                left=", ".join(left),
            )
        )


def _xml_name(name: str) -> str:
    mended = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "x"
    return mended if re.match(r"[A-Za-z_]", mended) else f"_{mended}"
