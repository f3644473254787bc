"""The likert type's scale: built-in or custom points, checked, and its top box.

Part of the likert type (``questions/likert.py``), kept apart for the module's size.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.definition.checker import Checker
from survey_app.definition.errors import S_
from survey_app.definition.model import ScalePoint, text_in
from survey_app.definition.source import Path
from survey_app.questions._tables import TableTexts
from survey_app.questions.dont_know import DONT_KNOW
from survey_app.questions.scales import builtin_scales


def check_scale(scale: Any, path: Path, checker: Checker) -> dict[str, Any]:
    """Check ``scale``: a built-in name or a list of points; return ``Question`` fields."""
    if isinstance(scale, str):
        return {"scale": _builtin(scale, path, checker), "scale_name": scale}
    return {"scale": _custom(scale, path, checker)}


def _builtin(name: str, path: Path, checker: Checker) -> tuple[ScalePoint, ...]:
    scales = builtin_scales()
    if name not in scales:
        checker.error(
            path,
            S_("unknown scale '%(name)s'; built in: %(scales)s"),
            name=name,
            scales=", ".join(scales),
        )
        return ()
    points = scales[name]
    missing = [lang for lang in checker.languages if lang not in points[0]["label"]]
    if missing:
        checker.error(
            path,
            S_(
                "the built-in scale '%(name)s' has no labels in %(languages)s; "
                "give the scale as a list of {key, label, value}"
            ),
            name=name,
            languages=", ".join(missing),
        )
    return tuple(
        ScalePoint(
            p["key"],
            {k: v for k, v in p["label"].items() if k in checker.languages},
            p["value"],
        )
        for p in points
    )


def _custom(value: Any, path: Path, checker: Checker) -> tuple[ScalePoint, ...]:
    if not isinstance(value, list) or len(value) < 2:
        checker.error(path, S_("must be a built-in scale name or a list of at least two points"))
        return ()
    points: list[ScalePoint] = []
    fields = ("key", "label", "value")
    for entry_path, data, key, label in checker.keyed_entries(value, path, "scale point", fields):
        if key == DONT_KNOW:  # the form value of "don't know": no point may take it
            checker.error(
                (*entry_path, "key"), S_("'dont_know' is reserved: use 'dont_know: true'")
            )
            continue
        if checker.required_field(data, "value", entry_path):
            number = checker.number(data["value"], (*entry_path, "value"))
            if number is not None:
                points.append(ScalePoint(key, label, number))
    return tuple(points)


def top_points(scale: tuple[ScalePoint, ...]) -> list[str]:
    """Return the keys of the top box: the two highest-valued points.

    On a scale of fewer than three points (yes/no) the two highest points would be
    the whole scale, so the top box is the single highest point there.
    """
    ordered = sorted(scale, key=lambda point: point.value, reverse=True)
    return [point.key for point in ordered[: 2 if len(scale) >= 3 else 1]]


def top_labels(summary: Mapping[str, Any], language: str, texts: TableTexts) -> str:
    """Name the top-2 points of a likert scale ("agree" or "strongly agree")."""
    top = set(summary.get("top2_points", []))
    names = [
        text_in(point.get("label"), language, "en")
        for point in summary.get("scale", [])
        if point["key"] in top
    ]
    return texts("or").join(texts.quote(name) for name in reversed(names))
