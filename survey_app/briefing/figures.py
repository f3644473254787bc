"""The dashboard's figures made ready for paper: greyscale-safe, sized, described.

``print_figure`` starts from ``results.figures.figure_for(..., print_theme=True)``
(the very figure the live dashboard shows) and only adds what paper needs: wrapped
labels here, and what the question type adds (``QuestionType.print_figure``:
hatching and value labels so that bars stay apart when printed in greyscale).
``alt_text`` says in words what a chart shows, with its main numbers (the type's
``QuestionType.alt_text``).
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
from survey_app.questions import question_type
from survey_app.questions._figures import Figure
from survey_app.questions._tables import Writer
from survey_app.results.figures import figure_for

#: Chart width in CSS pixels (the text column is about 174 mm = 658 px at 96 dpi).
CHART_WIDTH = 680
#: PNG resolution factor for charts that must be raster (see ``needs_shaping``).
PNG_SCALE = 2.5
#: Bar labels longer than this many characters are broken into lines.
LABEL_WIDTH = 36
#: Wider lines tried in turn when a chart of many long labels would not fit a page.
WIDER_LABELS = (48, 60, 72)
#: Height in pixels of one line of a wrapped bar label.
LINE_HEIGHT = 15
#: Height in pixels of one printed bar row before labels are wrapped (bar_height's
#: 38 px per bar times PRINT_HEIGHT), and the space kept between two labels.
ROW_PITCH, LABEL_GAP = 27, 8
#: The tallest chart in pixels: with its question's heading it fits the printable
#: area of an A4 page below a part, section and question heading and above the first
#: two rows of its table (255 mm less about 75 mm; a 680 px chart is printed 174 mm
#: wide, so 700 px are 179 mm).
MAX_PRINT_HEIGHT = 700

__all__ = ["alt_text", "chart_request", "data_uri", "needs_shaping", "print_figure"]


def print_figure(summary: dict[str, Any], language: str, k: int) -> Figure | None:
    """Return the print version of a question's dashboard figure (None: no chart)."""
    figure = figure_for(summary, language, k, print_theme=True)
    if figure is None:
        return None
    kind = question_type(summary["type"])
    printed = None
    # Paper is denser than a screen: the same bars a little thinner (the type says
    # how), but room for every line of a wrapped label. Where many long labels would
    # make the chart taller than a page, the labels get wider lines; no label is
    # ever cut or left out (the stylesheet scales a chart that is still too tall).
    for width in (LABEL_WIDTH, *WIDER_LABELS):
        trial = copy.deepcopy(figure)
        lines = _wrap_categories(trial, width)
        rows = len(_categories(trial))
        extra = rows * max(0, lines * LINE_HEIGHT + LABEL_GAP - ROW_PITCH) if lines > 1 else 0
        printed = kind.print_figure(trial, extra)
        if printed is None:
            return None
        if int(printed["layout"].get("height") or 0) <= MAX_PRINT_HEIGHT:
            break
    assert printed is not None
    layout = printed["layout"]
    legend = layout.get("legend")
    if legend is not None and legend.get("yanchor") != "bottom":
        # right under the axis, not a screen's thumb-width lower (one above the plot,
        # as over a histogram's slanted bin labels, stays there)
        layout["legend"] = {**legend, "y": -0.05, "yanchor": "top"}
    if any(trace.get("orientation") == "h" for trace in printed["data"]):
        # Rating points "1".."5" are categories, not a numeric axis.
        # A little room between a label and its bar: on paper they must not touch.
        layout.setdefault("yaxis", {}).update(type="category", ticklabelstandoff=4)
    return printed


def _categories(figure: dict[str, Any]) -> list[str]:
    for trace in figure["data"]:
        if trace.get("orientation") == "h":
            return list(trace.get("y", []))
    return []


def _wrap_categories(figure: dict[str, Any], width: int = LABEL_WIDTH) -> int:
    """Break long bar labels into lines of about ``width`` characters; return the most lines."""
    most = 1
    for trace in figure["data"]:
        if trace.get("orientation") == "h" or trace.get("type") == "scatter":
            trace["y"] = [
                wrap(label, width) if isinstance(label, str) else label for label in trace["y"]
            ]
            most = max([most, *(str(y).count("<br>") + 1 for y in trace["y"])])
    return most


def wrap(label: str, width: int = LABEL_WIDTH) -> str:
    """Return ``label`` with ``<br>`` between lines of at most about ``width`` characters."""
    if len(label) <= width:
        return label
    lines = textwrap.wrap(label, width) or [label]
    return "<br>".join(lines)


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
    text = question_type(summary["type"]).alt_text(summary, Writer(language, texts, numbers, k))
    return text if text is not None else texts("alt_none")
