"""Plotly figures built from (suppressed) summaries: pure functions, plain dicts.

The live dashboard, the presenter view and the PDF briefing all use these, so a
chart looks the same everywhere. Colours are the Okabe-Ito palette (safe for the
common colour-vision deficiencies) and a purple-orange diverging scale for likert.
"""

from __future__ import annotations

from typing import Any

from survey_app.definition.model import text_in
from survey_app.results.figure_text import Wording, wording

#: Okabe & Ito (2008), without yellow (too light on white).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
#: Diverging colours from disagreement (orange) through grey to agreement (purple).
DIVERGING = {
    2: ["#e66101", "#5e3c99"],
    3: ["#e66101", "#bdbdbd", "#5e3c99"],
    4: ["#e66101", "#fdb863", "#b2abd2", "#5e3c99"],
    5: ["#e66101", "#fdb863", "#bdbdbd", "#b2abd2", "#5e3c99"],
}
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"


def figure_for(
    summary: dict[str, Any], language: str, min_group_size: int = 5, print_theme: bool = False
) -> dict[str, Any] | None:
    """Return the figure of one question summary, or None if there is nothing to draw."""
    if summary.get("suppressed") or not summary.get("n"):
        return None
    words = wording(language, min_group_size)
    builders = {
        "single_choice": _choice_bars,
        "multi_choice": _choice_bars,
        "rating": _choice_bars,
        "ranking": _ranking_bars,
        "likert": _likert_bars,
        "number": _histogram,
        "short_text": _term_bars,
        "long_text": _term_bars,
    }
    build = builders.get(summary["type"])
    if build is None:
        return None
    figure = build(summary, language, words)
    if figure is not None:
        _apply_theme(figure, print_theme)
    return figure


def plain(text: str) -> str:
    """Escape text for Plotly, which reads ``<a href>``, ``<span style>``, ``<br>`` and
    entities in labels: instrument authors' and participants' words are shown as typed.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _label(thing: dict[str, Any], language: str) -> str:
    label = thing.get("label")
    if isinstance(label, dict):
        return plain(text_in(label, language, "en") or str(thing.get("key", "")))
    return plain(str(label if label is not None else thing.get("key", "")))


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.0f} %"


def _bar_height(count: int) -> int:
    return max(220, 70 + 38 * count)


def _choice_bars(summary: dict[str, Any], language: str, words: Wording) -> dict[str, Any]:
    options = list(summary.get("options", []))
    if summary["type"] == "multi_choice":
        options.sort(key=lambda o: o.get("share") or 0, reverse=True)
    options.reverse()  # plotly draws the first category at the bottom
    shown = options
    labels = [_label(o, language) for o in shown]
    shares = [None if o.get("suppressed") else o.get("share") for o in shown]
    texts = [
        words.fewer_than(summary) if o.get("suppressed") else _percent(o.get("share"))
        for o in shown
    ]
    trace: dict[str, Any] = {
        "type": "bar",
        "orientation": "h",
        "y": labels,
        "x": [s or 0 for s in shares],
        "customdata": texts,
        "marker": {"color": PALETTE[0]},
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": [(o.get("ci_high") or 0) - (o.get("share") or 0) for o in shown],
            "arrayminus": [(o.get("share") or 0) - (o.get("ci_low") or 0) for o in shown],
            "color": "#444",
            "thickness": 1.2,
            "width": 4,
        },
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
    }
    # Numbers stand right of the interval's end, so that whiskers never cross them.
    ends = [max(o.get("ci_high") or 0, o.get("share") or 0) + 0.015 for o in shown]
    numbers = _value_labels(labels, ends, texts)
    return _layout(
        [trace, numbers],
        height=_bar_height(len(shown)),
        showlegend=False,
        xaxis={"tickformat": ".0%", "range": [0, 1.18], "title": {"text": words.share_of(summary)}},
    )


def _value_labels(labels: list[str], positions: list[float], texts: list[str]) -> dict[str, Any]:
    """Return a text-only trace that writes ``texts`` at ``positions`` beside bars."""
    return {
        "type": "scatter",
        "mode": "text",
        "y": labels,
        "x": positions,
        "text": texts,
        "textposition": "middle right",
        "cliponaxis": False,
        "showlegend": False,
        "hoverinfo": "skip",
    }


def _ranking_bars(summary: dict[str, Any], language: str, words: Wording) -> dict[str, Any]:
    options = list(summary.get("options", []))
    options.reverse()
    labels = [_label(o, language) for o in options]

    def trace(field: str, name: str, colour: str) -> dict[str, Any]:
        return {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": labels,
            "x": [o.get(field) or 0 for o in options],
            "text": [_percent(o.get(field)) if o.get(field) is not None else "" for o in options],
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": colour},
            "hovertemplate": "%{y}: %{text}<extra>" + name + "</extra>",
        }

    traces = [
        trace("top_share", words.in_top(summary), PALETTE[4]),
        trace("first_share", words.ranked_first, PALETTE[0]),
    ]
    return _layout(
        traces,
        height=_bar_height(len(options) * 1.6),
        barmode="group",
        xaxis={"tickformat": ".0%", "range": [0, 1.15]},
        legend={"orientation": "h", "y": -0.12, "traceorder": "reversed"},
    )


def _likert_bars(summary: dict[str, Any], language: str, words: Wording) -> dict[str, Any]:
    scale = summary.get("scale", [])
    colours = DIVERGING.get(len(scale)) or (PALETTE * 2)[: len(scale)]
    items = list(summary.get("items", []))
    items.reverse()
    labels = [_label(i, language) for i in items]
    middle = (len(scale) - 1) / 2
    stacked: list[tuple[float, dict[str, Any]]] = []
    for index, point in enumerate(scale):
        shares = [_point_share(item, point["key"]) for item in items]
        name = _label(point, language)
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
                "customdata": [_percent(share) for share in shares],
                "marker": {"color": colours[index]},
                "hovertemplate": "%{y}: %{customdata}<extra>" + name + "</extra>",
            }
            # Relative bars stack outwards in trace order: nearest the middle first.
            stacked.append((abs(index - middle), trace))
    ordered = [trace for _, trace in sorted(stacked, key=lambda pair: pair[0])]
    return _layout(
        ordered,
        height=_bar_height(len(items)),
        barmode="relative",
        xaxis={"tickformat": ".0%", "range": [-1, 1], "zeroline": True, "zerolinecolor": "#333"},
        legend={"orientation": "h", "y": -0.15, "traceorder": "normal"},
    )


def _point_share(item: dict[str, Any], point_key: str) -> float:
    if item.get("suppressed"):
        return 0.0
    for cell in item.get("distribution", []):
        if cell["key"] == point_key and not cell.get("suppressed"):
            return float(cell.get("share") or 0)
    return 0.0


def _histogram(summary: dict[str, Any], language: str, words: Wording) -> dict[str, Any]:
    bins = summary.get("histogram", [])
    labels = [f"{_number(b['low'])}–{_number(b['high'])}" for b in bins]
    trace = {
        "type": "bar",
        "x": labels,
        "y": [0 if b.get("suppressed") else b.get("count", 0) for b in bins],
        "text": [
            words.fewer_than(summary) if b.get("suppressed") else str(b.get("count", 0))
            for b in bins
        ],
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": PALETTE[2]},
        "hovertemplate": "%{x}: %{text}<extra></extra>",
    }
    unit = plain(text_in(summary.get("unit") or {}, language, "en"))
    return _layout(
        [trace],
        height=300,
        xaxis={"title": {"text": unit}, "type": "category"},
        yaxis={"title": {"text": words.answers}},
    )


def _term_bars(summary: dict[str, Any], language: str, words: Wording) -> dict[str, Any] | None:
    terms = list(summary.get("terms", []))[:10]
    if not terms:
        return None
    terms.reverse()
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": [plain(t["term"]) for t in terms],
        "x": [t["count"] for t in terms],
        "text": [str(t["count"]) for t in terms],
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": PALETTE[3]},
        "hovertemplate": "%{y}: %{x}<extra></extra>",
    }
    return _layout(
        [trace], height=_bar_height(len(terms)), xaxis={"title": {"text": words.answers_using_term}}
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _layout(traces: list[dict[str, Any]], height: float, **layout: Any) -> dict[str, Any]:
    base = {
        "height": int(height),
        "margin": {"l": 10, "r": 40, "t": 10, "b": 40},
        "showlegend": sum(1 for t in traces if t.get("type") == "bar") > 1,
        "yaxis": {"automargin": True},
        "bargap": 0.25,
    }
    base.update(layout)
    base["xaxis"] = {"automargin": True, "fixedrange": True, **layout.get("xaxis", {})}
    base["yaxis"] = {"automargin": True, "fixedrange": True, **layout.get("yaxis", {})}
    return {"data": traces, "layout": base}


def _apply_theme(figure: dict[str, Any], print_theme: bool) -> None:
    layout = figure["layout"]
    layout["font"] = {"family": FONT, "size": 12 if print_theme else 14, "color": "#1b1f24"}
    layout["paper_bgcolor"] = "#ffffff"
    layout["plot_bgcolor"] = "#ffffff"
    layout.setdefault("xaxis", {})["gridcolor"] = "#e5e5e5"


def arrivals_figure(arrivals: list[dict[str, Any]], language: str) -> dict[str, Any] | None:
    """Return a step line of cumulative responses over time (None without data)."""
    if not arrivals:
        return None
    running, totals = 0, []
    for point in arrivals:
        running += int(point["count"])
        totals.append(running)
    trace = {
        "type": "scatter",
        "mode": "lines+markers",
        "line": {"shape": "hv", "color": PALETTE[0], "width": 3},
        "x": [point["minute"] for point in arrivals],
        "y": totals,
        "hovertemplate": "%{x|%H:%M}: %{y}<extra></extra>",
    }
    figure = _layout([trace], height=200, yaxis={"rangemode": "tozero"})
    figure["layout"]["margin"] = {"l": 10, "r": 20, "t": 10, "b": 30}
    _apply_theme(figure, False)
    return figure
