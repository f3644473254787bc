"""Plotly figures built from (suppressed) summaries: pure functions, plain dicts.

The live dashboard, the presenter view and the PDF briefing all use these, so a
chart looks the same everywhere. Each question type draws its own figure
(``QuestionType.figure``); this module adds what every figure shares (the theme)
and the figure of arrivals over time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from survey_app.definition.model import RTL_LANGUAGES
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
        if language.split("-")[0] in RTL_LANGUAGES:
            mirror(figure)
    return figure


def mirror(figure: Figure) -> None:
    """Lay a figure out right to left, in place: labels on the right, bars growing leftwards.

    For right-to-left languages (Arabic, Persian, ...): the category labels stand on
    the right side, value axes run from right to left (a fixed ``range`` is turned
    round), and words written beside a bar's end stand on its left. Plotly itself
    always lays charts out left to right (its container must be ``dir="ltr"``, or
    right-aligned labels are cut).
    """
    chart = figure["layout"]
    x_axis = chart.setdefault("xaxis", {})
    if "range" in x_axis:
        x_axis["range"] = list(reversed(x_axis["range"]))
    else:
        x_axis["autorange"] = "reversed"
    chart.setdefault("yaxis", {})["side"] = "right"
    for trace in figure["data"]:
        position = trace.get("textposition")
        if isinstance(position, str) and position.endswith(" right"):
            trace["textposition"] = position.replace(" right", " left")
    legend = chart.get("legend")
    if legend is not None:
        chart["legend"] = {**legend, "x": 1, "xanchor": "right"}


def _apply_theme(figure: Figure, print_theme: bool) -> None:
    chart = figure["layout"]
    chart["font"] = {"family": FONT, "size": 12 if print_theme else 14, "color": "#1b1f24"}
    chart["paper_bgcolor"] = "#ffffff"
    chart["plot_bgcolor"] = "#ffffff"
    chart.setdefault("xaxis", {})["gridcolor"] = "#e5e5e5"


def arrivals_figure(
    arrivals: list[dict[str, Any]], language: str, time_zone: str = "Europe/Berlin"
) -> Figure | None:
    """Return a step line of cumulative responses over time (None without data).

    ``arrivals`` holds ``{"minute": "2026-12-02T20:07:00Z", "count": 3}`` in UTC; the
    axis shows them in ``time_zone`` (an IANA name; the series' setting), since Plotly
    draws dates as they are written: 20:07 UTC reads 21:07 in Berlin in winter, 22:07
    in summer. Ticks are minutes at the finest ("%H:%M"), days across days; answers all
    within a few minutes get ten minutes of room, never millisecond ticks.
    """
    if not arrivals:
        return None
    zone = _zone(time_zone)
    times = [
        datetime.fromisoformat(str(point["minute"]).replace("Z", "+00:00")).astimezone(zone)
        for point in arrivals
    ]
    running, totals = 0, []
    for point in arrivals:
        running += int(point["count"])
        totals.append(running)
    trace = {
        "type": "scatter",
        "mode": "lines+markers",
        "line": {"shape": "hv", "color": PALETTE[0], "width": 3},
        "x": [_local(at) for at in times],
        "y": totals,
        "hovertemplate": "%{x|%H:%M}: %{y}<extra></extra>",
    }
    axis: dict[str, Any] = {
        "type": "date",
        "tickformatstops": [
            {"dtickrange": [None, 60_000], "value": "%H:%M"},
            {"dtickrange": [60_000, 86_400_000], "value": "%H:%M"},
            {"dtickrange": [86_400_000, None], "value": "%e %b"},
        ],
    }
    if times[-1] - times[0] < timedelta(minutes=10):  # room around a few minutes
        middle = times[0] + (times[-1] - times[0]) / 2
        axis["range"] = [
            _local(middle - timedelta(minutes=5)),
            _local(middle + timedelta(minutes=5)),
        ]
        axis["dtick"] = 60_000 * 2
    figure = layout([trace], height=200, yaxis={"rangemode": "tozero"}, xaxis=axis)
    figure["layout"]["margin"] = {"l": 10, "r": 20, "t": 10, "b": 30}
    _apply_theme(figure, False)
    return figure


def _zone(name: str) -> ZoneInfo:
    """Return the time zone ``name``; Europe/Berlin for a name this system does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Berlin")


def _local(at: datetime) -> str:
    """Write a time as Plotly reads a date without zone: "2026-12-02 21:07"."""
    return at.strftime("%Y-%m-%d %H:%M")
