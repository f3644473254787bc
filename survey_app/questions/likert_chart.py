"""The likert type's chart: stacked bars per statement, diverging from the scale's middle.

Part of the likert type (``questions/likert.py``), kept apart for the module's size.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.questions._figures import (
    DIVERGING,
    PALETTE,
    Figure,
    Wording,
    bar_height,
    chart_label,
    hidden_labels,
    layout,
    percent,
)
from survey_app.questions.dont_know import chart_words
from survey_app.questions.summaries import LikertItem, LikertSummary

#: Where the share axis is labelled (left of the middle: the negative side).
TICKS = (-1.0, -0.5, 0.0, 0.5, 1.0)


def diverging_bars(summary: LikertSummary, words: Wording) -> Figure:
    """Return stacked bars per item, the points left and right of the scale's middle.

    Shares are 0..1 of those who chose a point; an item's "don't know" (where offered)
    is no segment, its share is written after the item's label. The middle point is
    drawn as two halves either side of zero. A
    hidden item has no bar, only the words that say why, at the middle; so has an
    item with a hidden point: its other segments alone would sit out of place and
    read as a different distribution.
    """
    scale = summary["scale"]
    colours = DIVERGING.get(len(scale)) or (PALETTE * 2)[: len(scale)]
    items = list(reversed(summary["items"]))
    labels = [_item_label(item, words) for item in items]
    middle = (len(scale) - 1) / 2
    partial = [
        not item.get("suppressed") and any(words.hidden(_point(item, p["key"])) for p in scale)
        for item in items
    ]
    stacked: list[tuple[float, dict[str, Any]]] = []
    for index, point in enumerate(scale):
        cells = [_point(item, point["key"]) for item in items]
        shares = [
            None if cut or words.hidden(cell) else cell.get("share") or 0.0
            for cell, cut in zip(cells, partial, strict=True)
        ]
        name = chart_label(point["key"], point["label"], words.language)
        halves = [(-1, 0.5), (1, 0.5)] if index == middle else [(-1 if index < middle else 1, 1.0)]
        for part, (direction, factor) in enumerate(halves):
            trace = {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "legendgroup": point["key"],
                "legendrank": index,
                "showlegend": part == 0,
                "y": labels,
                "x": [None if share is None else direction * factor * share for share in shares],
                "customdata": [
                    words.hidden(cell) or percent(cell.get("share"), words.language)
                    for cell in cells
                ],
                "marker": {"color": colours[index]},
                "hovertemplate": "%{y}: %{customdata}<extra>" + name + "</extra>",
            }
            # Relative bars stack outwards in trace order: nearest the middle first.
            stacked.append((abs(index - middle), trace))
    ordered = [trace for _, trace in sorted(stacked, key=lambda pair: pair[0])]
    hidden = [
        words.hidden(item, answers=True) or (words.say("points_hidden") if cut else "")
        for item, cut in zip(items, partial, strict=True)
    ]
    notes = hidden_labels(labels, hidden, textposition="middle center")
    return layout(
        ordered + notes,
        height=bar_height(len(items)),
        barmode="relative",
        xaxis={
            # shares either side of the middle, written as the language writes them
            "tickvals": TICKS,
            "ticktext": [percent(abs(tick), words.language) for tick in TICKS],
            "range": [-1, 1],
            "zeroline": True,
            "zerolinecolor": "#333",
            "layer": "below traces",  # the middle line never runs through a label
        },
        legend={"orientation": "h", "y": -0.15, "traceorder": "normal"},
    )


def _item_label(item: LikertItem, words: Wording) -> str:
    """Return an item's label; with "don't know" offered, its share after it (kept apart)."""
    label = chart_label(item["key"], item["label"], words.language)
    apart = chart_words(item, words)
    return f"{label} · {apart}" if apart else label


def _point(item: LikertItem, point_key: str) -> Mapping[str, Any]:
    """Return the cell of one point of an item (the item itself where it is hidden)."""
    if item.get("suppressed"):
        return item
    for cell in item.get("distribution", []):
        if cell["key"] == point_key:
            return cell
    return {}


def label_segments(figure: Figure) -> None:
    """Write each share inside its segment and dot the middle point (greyscale-safe).

    The sides of the scale lie left and right of zero and their points differ in
    lightness; only the middle point looks like its neighbours in grey, so it is
    dotted. Segments of 10 % or more carry their share.
    """
    bars = [trace for trace in figure["data"] if trace.get("type") == "bar"]
    if not bars:
        return
    middle = max(trace.get("legendrank", 0) for trace in bars) / 2
    for trace in bars:
        rank = trace.get("legendrank", 0)
        if rank == middle:  # dots light enough for a share written over them
            trace["marker"]["pattern"] = {"shape": ".", "fgcolor": "#6b6b6b", "solidity": 0.12}
        # The middle point is drawn as two halves: label only the right one.
        lengths = [x or 0.0 for x in trace["x"]]  # None: a hidden point, no segment
        labelled = rank != middle or all(x >= 0 for x in lengths)
        shares = [abs(x) * (2 if rank == middle else 1) for x in lengths]
        trace["text"] = [
            text if labelled and share >= 0.1 else ""
            for text, share in zip(trace.get("customdata", []), shares, strict=False)
        ]
        trace["textposition"] = "inside"
        trace["insidetextanchor"] = "middle"
        trace["textangle"] = 0  # never turned on end: a share too wide gets smaller
        trace["textfont"] = {"size": 10}
