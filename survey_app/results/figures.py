"""Plotly figures built from (suppressed) summaries: pure functions, plain dicts.

The live dashboard, the presenter view and the PDF briefing all use these, so a
chart looks the same everywhere. Each question type draws its own figure
(``QuestionType.figure``); this module adds what every figure shares (the theme)
and the figure of arrivals over time.
"""

from __future__ import annotations

from typing import Any

from survey_app.questions import question_type
from survey_app.questions._figures import PALETTE, Figure, layout, wording

FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"


def figure_for(
    summary: dict[str, Any], language: str, min_group_size: int = 5, print_theme: bool = False
) -> Figure | None:
    """Return the figure of one question summary, or None if there is nothing to draw."""
    if summary.get("suppressed") or not summary.get("n"):
        return None
    figure = question_type(summary["type"]).figure(summary, wording(language, min_group_size))
    if figure is not None:
        _apply_theme(figure, print_theme)
    return figure


def _apply_theme(figure: Figure, print_theme: bool) -> None:
    chart = figure["layout"]
    chart["font"] = {"family": FONT, "size": 12 if print_theme else 14, "color": "#1b1f24"}
    chart["paper_bgcolor"] = "#ffffff"
    chart["plot_bgcolor"] = "#ffffff"
    chart.setdefault("xaxis", {})["gridcolor"] = "#e5e5e5"


def arrivals_figure(arrivals: list[dict[str, Any]], language: str) -> Figure | None:
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
    figure = layout([trace], height=200, yaxis={"rangemode": "tozero"})
    figure["layout"]["margin"] = {"l": 10, "r": 20, "t": 10, "b": 30}
    _apply_theme(figure, False)
    return figure
