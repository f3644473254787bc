"""The dashboard's figures made ready for paper: greyscale-safe, sized, described.

``print_figure`` starts from ``results.figures.figure_for(..., print_theme=True)``
(the very figure the live dashboard shows) and only adds what paper needs:
hatching and value labels so that bars stay apart when printed in greyscale.
``alt_text`` says in words what a chart shows, with its main numbers.
"""

from __future__ import annotations

import base64
import copy
import textwrap
import unicodedata
from collections.abc import Iterator
from typing import Any

from survey_app.briefing.charts import ChartRequest
from survey_app.briefing.texts import Numbers, Texts
from survey_app.definition.model import text_in
from survey_app.results.figures import figure_for

#: Chart width in CSS pixels (the text column is about 174 mm = 658 px at 96 dpi).
CHART_WIDTH = 680
#: Free text gets no chart in a briefing: frequent words could still point at people.
TEXT_TYPES = frozenset({"short_text", "long_text"})
#: PNG resolution factor for charts that must be raster (see ``needs_shaping``).
PNG_SCALE = 2.5
#: Bar charts are this much lower on paper than on screen.
PRINT_HEIGHT = 0.72
#: Bar labels longer than this many characters are broken into lines.
LABEL_WIDTH = 36
#: Height in pixels that each further line of a wrapped bar label needs.
LINE_HEIGHT = 15


def print_figure(summary: dict[str, Any], language: str, k: int) -> dict[str, Any] | None:
    """Return the print version of a question's dashboard figure (None: no chart)."""
    if summary["type"] in TEXT_TYPES:
        return None
    figure = figure_for(summary, language, k, print_theme=True)
    if figure is None:
        return None
    figure = copy.deepcopy(figure)
    layout = figure["layout"]
    lines = _wrap_categories(figure)
    rows = len(_categories(figure))
    # Paper is denser than a screen: the same bars a little thinner, but room for
    # every line of a wrapped label.
    extra = rows * LINE_HEIGHT * (lines - 1)
    if summary["type"] == "likert":
        _label_likert(figure)
        layout["height"] = int(layout["height"]) + 30 + extra  # 30: the legend's rows
    else:
        layout["height"] = max(200, int(int(layout["height"]) * PRINT_HEIGHT)) + extra
    if summary["type"] == "ranking":
        _hatch_ranking(figure)
    if "legend" in layout:  # right under the axis, not a screen's thumb-width lower
        layout["legend"] = {**layout["legend"], "y": -0.05, "yanchor": "top"}
    if any(trace.get("orientation") == "h" for trace in figure["data"]):
        # Rating points "1".."5" are categories, not a numeric axis.
        layout.setdefault("yaxis", {})["type"] = "category"
    return figure


def _categories(figure: dict[str, Any]) -> list[str]:
    for trace in figure["data"]:
        if trace.get("orientation") == "h":
            return list(trace.get("y", []))
    return []


def _wrap_categories(figure: dict[str, Any]) -> int:
    """Break long bar labels into lines; return the most lines of any label."""
    most = 1
    for trace in figure["data"]:
        if trace.get("orientation") == "h" or trace.get("type") == "scatter":
            trace["y"] = [wrap(label) if isinstance(label, str) else label for label in trace["y"]]
            most = max([most, *(str(y).count("<br>") + 1 for y in trace["y"])])
    return most


def wrap(label: str, width: int = LABEL_WIDTH) -> str:
    """Return ``label`` with ``<br>`` between lines of at most about ``width`` characters."""
    if len(label) <= width:
        return label
    lines = textwrap.wrap(label, width) or [label]
    return "<br>".join(lines)


def _hatch_ranking(figure: dict[str, Any]) -> None:
    """Hatch the light "in the top N" bars so that they differ from "ranked first"."""
    bars = [trace for trace in figure["data"] if trace.get("type") == "bar"]
    if len(bars) == 2:
        bars[0]["marker"]["pattern"] = {"shape": "/", "fgcolor": "#35505f", "solidity": 0.15}


def _label_likert(figure: dict[str, Any]) -> None:
    """Write each share inside its segment and dot the middle point (greyscale-safe).

    The sides of the scale lie left and right of zero and their points differ in
    lightness; only the middle point looks like its neighbours in grey, so it is
    dotted. Segments of 10 % or more carry their share.
    """
    ranks = [trace.get("legendrank", 0) for trace in figure["data"]]
    if not ranks:
        return
    middle = max(ranks) / 2
    for trace in figure["data"]:
        rank = trace.get("legendrank", 0)
        if rank == middle:
            trace["marker"]["pattern"] = {"shape": ".", "fgcolor": "#4d4d4d", "solidity": 0.25}
        # The middle point is drawn as two halves: label only the right one.
        labelled = rank != middle or all(x >= 0 for x in trace["x"])
        shares = [abs(x) * (2 if rank == middle else 1) for x in trace["x"]]
        trace["text"] = [
            text if labelled and share >= 0.1 else ""
            for text, share in zip(trace.get("customdata", []), shares, strict=False)
        ]
        trace["textposition"] = "inside"
        trace["insidetextanchor"] = "middle"
        trace["textfont"] = {"size": 10}


def chart_request(figure: dict[str, Any]) -> ChartRequest:
    """Return the export of ``figure``: SVG, or PNG when its text needs shaping."""
    height = int(figure.get("layout", {}).get("height") or 300)
    if needs_shaping(figure):
        return ChartRequest(figure, CHART_WIDTH, height, "png", PNG_SCALE)
    return ChartRequest(figure, CHART_WIDTH, height, "svg")


def needs_shaping(figure: dict[str, Any]) -> bool:
    """Say whether any text of ``figure`` is right-to-left or uses combining marks.

    WeasyPrint draws SVG text one letter at a time: Arabic letters would lose
    their joined forms and right-to-left order. Chromium shapes them correctly,
    so such charts are exported as PNG instead.
    """
    for text in _strings(figure):
        for char in text:
            if unicodedata.bidirectional(char) in ("R", "AL") or unicodedata.category(char) in (
                "Mn",
                "Mc",
            ):
                return True
    return False


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def data_uri(media_type: str, data: bytes) -> str:
    """Return ``data`` as a ``data:`` URI (the only URLs a briefing may load)."""
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def alt_text(summary: dict[str, Any], language: str, k: int, texts: Texts, numbers: Numbers) -> str:
    """Describe a question's chart in words with its main numbers (the image's alt text)."""
    fewer = texts("fewer_than", k=k)

    def label(thing: dict[str, Any]) -> str:
        return text_in(thing.get("label"), language, "en") or str(thing.get("key", ""))

    def share(thing: dict[str, Any], field: str = "share") -> str:
        if thing.get("suppressed") or thing.get(field) is None:
            return fewer
        return numbers.percent(thing[field])

    kind = summary["type"]
    if kind in ("single_choice", "multi_choice", "rating"):
        options = list(summary.get("options", []))
        if kind == "multi_choice":
            options.sort(key=lambda o: o.get("share") or 0, reverse=True)
        parts = [f"{label(o)} {share(o)}" for o in options]
        head = texts("alt_bars", n=numbers.number(summary["n"]))
    elif kind == "ranking":
        parts = [
            f"{label(o)} {share(o, 'first_share')} / {share(o, 'top_share')}"
            for o in summary.get("options", [])
        ]
        head = texts("alt_ranking", rank=summary.get("rank", ""), n=numbers.number(summary["n"]))
    elif kind == "likert":
        parts = [f"{label(item)} {share(item, 'top2_share')}" for item in summary.get("items", [])]
        head = texts("alt_likert", top=top_labels(summary, language, texts))
    elif kind == "number":
        parts = [
            f"{numbers.number(b['low'])}{chr(0x2013)}{numbers.number(b['high'])}: "
            + (fewer if b.get("suppressed") else numbers.number(b.get("count", 0)))
            for b in summary.get("histogram", [])
        ]
        head = texts("alt_histogram", n=numbers.number(summary["n"]))
    else:
        return texts("alt_none")
    return f"{head}: {'; '.join(parts)}."


def top_labels(summary: dict[str, Any], language: str, texts: Texts) -> str:
    """Name the top-2 points of a likert scale ("agree" or "strongly agree")."""
    top = set(summary.get("top2_points", []))
    names = [
        text_in(point.get("label"), language, "en")
        for point in summary.get("scale", [])
        if point["key"] in top
    ]
    return texts("or").join(texts.quote(name) for name in reversed(names))
