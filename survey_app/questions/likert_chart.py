"""The likert type's chart: stacked bars per statement, diverging from the scale's middle.

Part of the likert type (``questions/likert.py``), kept apart for the module's size.
"""

from __future__ import annotations

from typing import Any

from survey_app.questions._figures import (
    DIVERGING,
    PALETTE,
    Figure,
    Wording,
    bar_height,
    chart_label,
    layout,
    percent,
)
from survey_app.questions.summaries import LikertItem, LikertSummary


def diverging_bars(summary: LikertSummary, words: Wording) -> Figure:
    """Return stacked bars per item, the points left and right of the scale's middle.

    Shares are 0..1; the middle point is drawn as two halves either side of zero, and
    hidden items or points are drawn as 0.
    """
    scale = summary["scale"]
    colours = DIVERGING.get(len(scale)) or (PALETTE * 2)[: len(scale)]
    items = list(reversed(summary["items"]))
    labels = [chart_label(i["key"], i["label"], words.language) for i in items]
    middle = (len(scale) - 1) / 2
    stacked: list[tuple[float, dict[str, Any]]] = []
    for index, point in enumerate(scale):
        shares = [_point_share(item, point["key"]) for item in items]
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
                "x": [direction * factor * share for share in shares],
                "customdata": [percent(share) for share in shares],
                "marker": {"color": colours[index]},
                "hovertemplate": "%{y}: %{customdata}<extra>" + name + "</extra>",
            }
            # Relative bars stack outwards in trace order: nearest the middle first.
            stacked.append((abs(index - middle), trace))
    ordered = [trace for _, trace in sorted(stacked, key=lambda pair: pair[0])]
    return layout(
        ordered,
        height=bar_height(len(items)),
        barmode="relative",
        xaxis={
            "tickformat": ".0%",
            "range": [-1, 1],
            "zeroline": True,
            "zerolinecolor": "#333",
        },
        legend={"orientation": "h", "y": -0.15, "traceorder": "normal"},
    )


def _point_share(item: LikertItem, point_key: str) -> float:
    """Return the shown share of one point of an item (0 where it or the item is hidden)."""
    if item.get("suppressed"):
        return 0.0
    for cell in item["distribution"]:
        if cell["key"] == point_key and not cell.get("suppressed"):
            return float(cell.get("share") or 0)
    return 0.0


def label_segments(figure: Figure) -> None:
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
