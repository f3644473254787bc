"""Numbers of an XLSForm: ``constraint`` bounds as ``min``/``max``, ranges as numbers.

Forms write a number's bounds as a constraint on ``.`` (``. >= 0 and . <= 100``); the
parts of that kind become ``min`` and ``max``, anything else (a bound from another answer,
``or``) is reported. A ``range`` becomes a rating when it runs from 1 to at most 10 in
steps of 1, else a number with the range's bounds.
"""

from __future__ import annotations

import math
import re
from typing import Any

from survey_app.definition.errors import S_, Detail, LocalMessage

BOUND = re.compile(r"^\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")


def number_fields(
    question: dict[str, Any], row: dict[str, Any], integer: bool, where: str, notes: list[str]
) -> None:
    """Add ``integer`` and the bounds of the row's constraint to ``question``; note the rest."""
    if integer:
        question["integer"] = True
    constraint = str((row.get("bind") or {}).get("constraint") or "").strip()
    if not constraint:
        return
    bounds, left = constraint_bounds(constraint, integer)
    if bounds.get("min", -math.inf) > bounds.get("max", math.inf):
        bounds, left = {}, [constraint]
    question.update(bounds)
    if left:
        notes.append(
            LocalMessage(
                S_(
                    "%(where)s: constraint of '%(name)s' not converted (%(left)s);"
                    " answers are not checked for it"
                ),
                where=where,
                name=row.get("name"),
                left=Detail(" and ".join(left)),
            )
        )


def constraint_bounds(constraint: str, integer: bool) -> tuple[dict[str, int | float], list[str]]:
    """Return the ``min``/``max`` a constraint sets and the parts that were left out."""
    bounds: dict[str, int | float] = {}
    left: list[str] = []
    text = " ".join(constraint.split())
    if re.search(r"\bor\b", text):
        return {}, [text]
    for part in re.split(r"\s+and\s+", text.strip("() ")):
        match = BOUND.match(part.strip("() "))
        if not match:
            left.append(part)
            continue
        operator, number = match.group(1), float(match.group(2))
        step = 1 if integer else 0
        if operator in (">=", ">"):
            value = number + (step if operator == ">" else 0)
            bounds["min"] = max(bounds.get("min", value), value)
            if operator == ">" and not integer:
                left.append(part)
        else:
            value = number - (step if operator == "<" else 0)
            bounds["max"] = min(bounds.get("max", value), value)
            if operator == "<" and not integer:
                left.append(part)
    if integer:
        if "min" in bounds:
            bounds["min"] = math.ceil(bounds["min"])
        if "max" in bounds:
            bounds["max"] = math.floor(bounds["max"])
    return {k: _plain(v) for k, v in bounds.items()}, left


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def range_spec(parameters: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Return a range's fields and whether it is a rating (1..2-10, step 1)."""
    start, end = str(parameters.get("start", "1")), str(parameters.get("end", "10"))
    step = str(parameters.get("step", "1"))
    if start == "1" and step == "1" and end in {str(top) for top in range(2, 11)}:
        return {"max": int(end)}, True
    try:
        low, high, stride = float(start), float(end), float(step)
    except ValueError:
        return {}, False
    if not all(math.isfinite(v) for v in (low, high, stride)):
        return {}, False
    spec: dict[str, Any] = {"min": _plain(min(low, high)), "max": _plain(max(low, high))}
    if all(float(v).is_integer() for v in (low, high, stride)):
        spec["integer"] = True
    return spec, False
