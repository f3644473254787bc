"""The points_allocation type's words, chart and table: shares of all points, most first.

Part of the points type (``questions/points.py``), kept apart for the module's size.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.i18n import plural_category
from survey_app.questions._figures import (
    PALETTE,
    Figure,
    Wording,
    bar_height,
    chart_label,
    hidden_labels,
    layout,
    percent,
    value_labels,
    whole_number,
)
from survey_app.questions._tables import Cell, Row, Table, Writer, join_note, rounding_note
from survey_app.questions.summaries import PointsSummary

#: The type's own table and chart words, by language (a template's ``texts.yaml`` may
#: override them by the same keys); English where a language has none. Words with a
#: count have a form per plural category of the language (CLDR: zero, one, two, few,
#: many, other), ``other`` where a category has no form of its own.
WORDS: dict[str, dict[str, str | dict[str, str]]] = {
    "en": {
        "points_total": "Points",
        "points_share": "Share of points",
        "gave_points": "Gave points",
        "points_axis": {
            "one": "share of the {total} point",
            "other": "share of all {total} points",
        },
        "points_each": {
            "one": "{points} point per respondent",
            "other": "{points} points per respondent",
        },
        "gave_points_note": "gave points: share of respondents who gave it at least one point",
        "alt_points": {
            "one": "Bar chart of the share of all points ({n} respondent, {points} each)",
            "other": "Bar chart of the share of all points ({n} respondents, {points} each)",
        },
        "compare_gave_points": "Share of respondents who gave points",
    },
    "de": {
        "points_total": "Punkte",
        "points_share": "Anteil der Punkte",
        "gave_points": "Punkte vergeben",
        "points_axis": {
            "one": "Anteil am {total} Punkt",
            "other": "Anteil an allen {total} Punkten",
        },
        "points_each": {"one": "{points} Punkt je Antwort", "other": "{points} Punkte je Antwort"},
        "gave_points_note": "Punkte vergeben: Anteil derer, die mindestens einen Punkt gaben",
        "alt_points": {
            "one": "Balkendiagramm der Anteile an allen Punkten ({n} Antwort, je {points})",
            "other": "Balkendiagramm der Anteile an allen Punkten ({n} Antworten, je {points})",
        },
        "compare_gave_points": "Anteil derer, die Punkte vergaben",
    },
    "tr": {
        "points_total": "Puan",
        "points_share": "Puan payı",
        "gave_points": "Puan verenler",
        "points_axis": "toplam {total} puanın payı",
        "points_each": "yanıt başına {points} puan",
        "gave_points_note": "puan verenler: en az bir puan verenlerin payı",
        "alt_points": "Tüm puanların payları, çubuk grafik ({n} yanıt, her biri {points} puan)",
        "compare_gave_points": "Puan verenlerin payı",
    },
    "ar": {
        "points_total": "النقاط",
        "points_share": "حصة النقاط",
        "gave_points": "أعطوا نقاطًا",
        "points_axis": "الحصة من كل النقاط ({total})",
        "points_each": {
            "one": "نقطة واحدة ({points}) لكل إجابة",
            "two": "نقطتان ({points}) لكل إجابة",
            "few": "{points} نقاط لكل إجابة",
            "many": "{points} نقطةً لكل إجابة",
            "other": "{points} نقطة لكل إجابة",
        },
        "gave_points_note": "أعطوا نقاطًا: حصة من أعطوا نقطة واحدة على الأقل",
        "alt_points": {
            "one": "مخطط شريطي لحصص كل النقاط (إجابة واحدة: {n}، {points} لكل إجابة)",
            "two": "مخطط شريطي لحصص كل النقاط (إجابتان: {n}، {points} لكل إجابة)",
            "few": "مخطط شريطي لحصص كل النقاط ({n} إجابات، {points} لكل إجابة)",
            "many": "مخطط شريطي لحصص كل النقاط ({n} إجابةً، {points} لكل إجابة)",
            "other": "مخطط شريطي لحصص كل النقاط ({n} إجابة، {points} لكل إجابة)",
        },
        "compare_gave_points": "حصة من أعطوا نقاطًا",
    },
    "uk": {
        "points_total": "Бали",
        "points_share": "Частка балів",
        "gave_points": "Дали бали",
        "points_axis": {"one": "частка {total} бала", "other": "частка всіх {total} балів"},
        "points_each": {
            "one": "{points} бал на відповідь",
            "few": "{points} бали на відповідь",
            "many": "{points} балів на відповідь",
            "other": "{points} бала на відповідь",
        },
        "gave_points_note": "дали бали: частка тих, хто дав хоча б один бал",
        "alt_points": {
            "one": "Стовпчикова діаграма часток усіх балів ({n} відповідь, по {points})",
            "few": "Стовпчикова діаграма часток усіх балів ({n} відповіді, по {points})",
            "many": "Стовпчикова діаграма часток усіх балів ({n} відповідей, по {points})",
            "other": "Стовпчикова діаграма часток усіх балів ({n} відповіді, по {points})",
        },
        "compare_gave_points": "Частка тих, хто дав бали",
    },
}


def word(w: Writer | Wording, key: str, count: float | None = None, **values: Any) -> str:
    """Return the type's words ``key`` in the reader's language, filled in.

    Words with a count take the language's plural form of ``count``.
    """
    if isinstance(w, Writer):
        text = w.texts(key, **values)
        if text and text != key:
            return text
    language = w.language.split("-")[0]
    words = WORDS.get(language, WORDS["en"]).get(key) or WORDS["en"][key]
    if isinstance(words, dict):
        words = words.get(plural_category(language, count or 0), words["other"])
    return words.format(**values)


def points_figure(summary: PointsSummary, words: Wording) -> Figure:
    """One bar per option: its share of all points, most points first.

    A hidden option, or one whose total is hidden, has no bar; the words that say
    why stand where it would start.
    """
    shown = list(reversed(summary["options"]))  # plotly draws the first at the bottom
    labels = [chart_label(o["key"], o["label"], words.language) for o in shown]
    why = [_hidden(o, words) for o in shown]
    shares = [
        None if reason else o.get("points_share") for o, reason in zip(shown, why, strict=True)
    ]
    texts = [
        "" if reason else percent(share, words.language)
        for share, reason in zip(shares, why, strict=True)
    ]
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": labels,
        "x": shares,
        "customdata": texts,
        "marker": {"color": PALETTE[2]},
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
    }
    ends = [(share or 0) + 0.015 for share in shares]
    points_given = summary["n"] * int(summary.get("points") or 0)
    total = whole_number(points_given, words.language)
    return layout(
        [bars, value_labels(labels, ends, texts), *hidden_labels(labels, why, at=0.015)],
        height=bar_height(len(shown)),
        showlegend=False,
        xaxis={
            "tickformat": ".0%",
            "range": [0, 1.15],
            "title": {"text": word(words, "points_axis", points_given, total=total)},
        },
    )


def points_alt_text(summary: PointsSummary, w: Writer) -> str:
    """Name each option with its share of the points."""
    parts = [f"{w.label(o)} {_points_share(o, w)}" for o in summary["options"]]
    n = w.numbers.number(summary["n"])
    head = word(w, "alt_points", summary["n"], n=n, points=summary.get("points"))
    return f"{head}: {'; '.join(parts)}."


def points_table(summary: PointsSummary, w: Writer) -> Table:
    """Points, share of points, share who gave points with its interval."""
    head = [
        w.texts("option"),
        word(w, "points_total"),
        word(w, "points_share"),
        word(w, "gave_points"),
        w.texts("interval"),
    ]
    rows = []
    for o in summary["options"]:
        if o.get("suppressed"):
            rows.append(Row(w.label(o), span=w.hidden(o)))
            continue
        total = o.get("points_total")
        written = w.numbers.number(total) if total is not None else w.texts("not_shown")
        share = o.get("points_share")
        cells = [
            Cell(written),
            Cell(_points_share(o, w), share if share is not None else None),
            w.share_cell(o),
            Cell(w.interval(o)),
        ]
        rows.append(Row(w.label(o), cells))
    note = join_note(
        w.n_note(summary["n"]),
        word(w, "points_each", summary.get("points"), points=summary.get("points")),
        word(w, "gave_points_note"),
        rounding_note([o.get("points_share") for o in summary["options"]], w),
    )
    return Table(head, rows, note=note)


def _hidden(option: Mapping[str, Any], words: Wording) -> str:
    """Say why an option has no bar: hidden, or its total left out ("not shown")."""
    reason = words.hidden(option)
    if reason:
        return reason
    return "" if option.get("points_share") is not None else words.say("hidden_withheld")


def _points_share(option: Mapping[str, Any], w: Writer) -> str:
    """Write an option's share of the points, or why it is not shown."""
    if option.get("suppressed"):
        return w.hidden(option)
    share = option.get("points_share")
    return w.numbers.percent(share) if share is not None else w.texts("not_shown")
