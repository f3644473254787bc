"""Figure pieces the question types share: palette, labels, bars, layout, chart words.

Each question type draws its own dashboard/presenter figure (``QuestionType.figure``)
and adjusts it for paper (``QuestionType.print_figure``) from these pieces, so that
every chart looks alike. Figures are plain Plotly dicts. Colours are the Okabe-Ito
palette (safe for the common colour-vision deficiencies) and a purple-orange
diverging scale for likert.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, format_percent

from survey_app.definition.model import Text, text_in
from survey_app.questions.hidden import hidden_key

#: A Plotly figure: ``{"data": [traces], "layout": {...}}``.
Figure = dict[str, Any]

#: Okabe & Ito (2008), without yellow (too light on white).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
#: Diverging colours from disagreement (orange) through grey to agreement (purple).
DIVERGING = {
    2: ["#e66101", "#5e3c99"],
    3: ["#e66101", "#bdbdbd", "#5e3c99"],
    4: ["#e66101", "#fdb863", "#b2abd2", "#5e3c99"],
    5: ["#e66101", "#fdb863", "#bdbdbd", "#b2abd2", "#5e3c99"],
}
#: Characters per line of the words beside a hidden bar (``hidden_labels``).
HIDDEN_WRAP = 24
#: Hatching of hidden columns, one per reason (``hidden_columns``).
HATCHES = ("/", "x", ".")
#: Bar charts are this much lower on paper than on screen.
PRINT_HEIGHT = 0.72

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "hidden_small": "fewer than {k}",
        "hidden_protects": "not shown (protects a small group)",
        "hidden_answers_small": "Fewer than {k} answered: not shown",
        "hidden_answers_protects": "Not shown, to protect a small group",
        "hidden_withheld": "not shown",
        "hidden_answers_withheld": "Not shown",
        "share_of": "share of {n} respondents",
        "ranked_first": "ranked first",
        "in_top": "in the top {rank}",
        "answers": "answers",
        "answers_using_term": "answers using the word",
        "points_hidden": "Partly hidden: no bar",
    },
    "de": {
        "hidden_small": "weniger als {k}",
        "hidden_protects": "nicht gezeigt (schützt eine kleine Gruppe)",
        "hidden_answers_small": "Weniger als {k} haben geantwortet: nicht gezeigt",
        "hidden_answers_protects": "Nicht gezeigt, um eine kleine Gruppe zu schützen",
        "hidden_withheld": "nicht gezeigt",
        "hidden_answers_withheld": "Nicht gezeigt",
        "share_of": "Anteil an {n} Antwortenden",
        "ranked_first": "auf Platz 1",
        "in_top": "unter den ersten {rank}",
        "answers": "Antworten",
        "answers_using_term": "Antworten mit dem Wort",
        "points_hidden": "Teils verdeckt: kein Balken",
    },
    "tr": {
        "hidden_small": "{k} kişiden az",
        "hidden_protects": "gösterilmiyor (küçük bir grubu korur)",
        "hidden_answers_small": "{k} kişiden az cevap verdi: gösterilmiyor",
        "hidden_answers_protects": "Küçük bir grubu korumak için gösterilmiyor",
        "hidden_withheld": "gösterilmiyor",
        "hidden_answers_withheld": "Gösterilmiyor",
        "share_of": "{n} katılımcı içindeki pay",
        "ranked_first": "birinci sırada",
        "in_top": "ilk {rank} içinde",
        "answers": "cevap",
        "answers_using_term": "bu kelimeyi kullanan cevaplar",
        "points_hidden": "Kısmen gizli: çubuk yok",
    },
    "ar": {
        "hidden_small": "أقل من {k}",
        "hidden_protects": "غير معروض (حمايةً لمجموعة صغيرة)",
        "hidden_answers_small": "أجاب أقل من {k}: غير معروض",
        "hidden_answers_protects": "غير معروض، لحماية مجموعة صغيرة",
        "hidden_withheld": "غير معروض",
        "hidden_answers_withheld": "غير معروض",
        "share_of": "النسبة من {n} مشاركًا",
        "ranked_first": "في المرتبة الأولى",
        "in_top": "ضمن أول {rank}",
        "answers": "إجابات",
        "answers_using_term": "إجابات تستخدم الكلمة",
        "points_hidden": "مخفي جزئيًا: بلا شريط",
    },
    "uk": {
        "hidden_small": "менше ніж {k}",
        "hidden_protects": "не показано (захищає малу групу)",
        "hidden_answers_small": "Відповіли менше ніж {k}: не показано",
        "hidden_answers_protects": "Не показано, щоб захистити малу групу",
        "hidden_withheld": "не показано",
        "hidden_answers_withheld": "Не показано",
        "share_of": "частка з {n} респондентів",
        "ranked_first": "на першому місці",
        "in_top": "серед перших {rank}",
        "answers": "відповіді",
        "answers_using_term": "відповіді з цим словом",
        "points_hidden": "Частково приховано: без стовпця",
    },
}


@dataclass(frozen=True)
class Wording:
    """Chart words in one language (kept here so that figures stay pure functions)."""

    words: dict[str, str]
    min_group_size: int = 5
    #: The language of the labels (options, items, units) a chart shows.
    language: str = "en"

    def hidden(self, thing: Mapping[str, Any], prefix: str = "", answers: bool = False) -> str:
        """Say why a hidden cell is hidden; "" if it is shown (see ``hidden_key``)."""
        key = hidden_key(thing, prefix, answers)
        return self.say(key) if key else ""

    def say(self, key: str) -> str:
        """Return the chart words ``key`` (English if the language lacks them), k filled in."""
        return self.words.get(key, WORDS["en"][key]).format(k=self.min_group_size)

    def share_of(self, n: object) -> str:
        """Name the x axis of a share chart."""
        return self.words["share_of"].format(n=n)

    def in_top(self, rank: object) -> str:
        """Name the "ranked in the top N" series."""
        return self.words["in_top"].format(rank=rank)

    @property
    def ranked_first(self) -> str:
        """Name the "ranked first" series."""
        return self.words["ranked_first"]

    @property
    def answers(self) -> str:
        """Name a count axis."""
        return self.words["answers"]

    @property
    def answers_using_term(self) -> str:
        """Name the axis of term counts."""
        return self.words["answers_using_term"]


def wording(language: str, min_group_size: int = 5) -> Wording:
    """Return the chart words of ``language`` (English if we have none)."""
    return Wording(WORDS.get(language.split("-")[0], WORDS["en"]), min_group_size, language)


def plain(text: str) -> str:
    """Escape text for Plotly, which reads ``<a href>``, ``<span style>``, ``<br>`` and
    entities in labels: instrument authors' and participants' words are shown as typed.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chart_label(key: str, text: Text | None, language: str) -> str:
    """Return the escaped label of an option, item or point (its key if it has none)."""
    return plain(text_in(text, language, "en") or key)


def percent(share: float | None, language: str) -> str:
    """Write a share as a whole percentage on a chart, as the language's tables do
    ("38 %" in German, "38%" in English, "%38" in Turkish; empty for None)."""
    if share is None:
        return ""
    return format_percent(share, locale=_known_locale(language))


def whole_number(value: int, language: str) -> str:
    """Write a count on a chart as the language does ("2.610" in German, "2,610" in English)."""
    return format_decimal(value, locale=_known_locale(language))


@cache
def _known_locale(language: str) -> str:
    """Return ``language`` if CLDR knows it, else "en"."""
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return "en"
    return language


def bar_height(count: float) -> float:
    """Return the height of a horizontal bar chart of ``count`` bars."""
    return max(220, 70 + 38 * count)


def number(value: float) -> str:
    """Write a bin edge: whole numbers without decimals."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def value_labels(labels: list[str], positions: list[float], texts: list[str]) -> dict[str, Any]:
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


def hidden_labels(
    categories: list[str], hidden: list[str], at: float = 0.0, **settings: Any
) -> list[dict[str, Any]]:
    """Return a text-only trace that writes why each hidden bar is hidden, at ``at``.

    ``hidden`` holds the words of each category ("" where it is shown): Plotly writes
    no text for a bar without a length, and a hidden bar has none. For horizontal
    bars, whose rows have room for the words (columns: ``hidden_columns``). Empty
    list if nothing is hidden; ``settings`` add to the trace (e.g. an ``offsetgroup``).
    """
    found = [(category, why) for category, why in zip(categories, hidden, strict=True) if why]
    if not found:
        return []
    trace = {
        "type": "scatter",
        "mode": "text",
        "y": [category for category, _ in found],
        "x": [at for _ in found],
        # two short lines rather than one that runs out of a narrow card
        "text": ["<br>".join(textwrap.wrap(why, HIDDEN_WRAP)) for _, why in found],
        "textposition": "middle right",
        "cliponaxis": False,
        "showlegend": False,
        "hoverinfo": "skip",
    }
    return [{**trace, **settings}]


def hidden_columns(categories: list[str], hidden: list[str], top: float) -> list[dict[str, Any]]:
    """Return hatched stubs under hidden columns, one trace per reason, named in the legend.

    Narrow columns (a histogram's bins) have no room for the words side by side, so
    each hidden column gets a grey hatched stub of the same height (a tenth of
    ``top``, the tallest shown column: it tells nothing of the count) and the legend
    says what the hatching means.
    """
    traces: list[dict[str, Any]] = []
    for number, why in enumerate(dict.fromkeys(w for w in hidden if w)):
        columns = [c for c, w in zip(categories, hidden, strict=True) if w == why]
        traces.append(
            {
                "type": "bar",
                "x": columns,
                "y": [top / 10 for _ in columns],
                "name": why,
                "marker": {
                    "color": "#f2f2f2",
                    "line": {"color": "#6b6b6b", "width": 1},
                    "pattern": {
                        "shape": HATCHES[number % len(HATCHES)],
                        "fgcolor": "#6b6b6b",
                    },
                },
                "hovertemplate": f"%{{x}}: {why}<extra></extra>",
                "texttemplate": "",
            }
        )
    return traces


def layout(traces: list[dict[str, Any]], height: float, **settings: Any) -> Figure:
    """Return a figure of ``traces`` with the shared layout, updated by ``settings``."""
    base = {
        "height": int(height),
        "margin": {"l": 10, "r": 40, "t": 10, "b": 40},
        "showlegend": sum(1 for t in traces if t.get("type") == "bar") > 1,
        "yaxis": {"automargin": True},
        "bargap": 0.25,
    }
    base.update(settings)
    base["xaxis"] = {"automargin": True, "fixedrange": True, **settings.get("xaxis", {})}
    base["yaxis"] = {"automargin": True, "fixedrange": True, **settings.get("yaxis", {})}
    return {"data": traces, "layout": base}


def print_height(figure: Figure, extra: int) -> None:
    """Make a bar chart lower for paper, with ``extra`` pixels for wrapped labels."""
    figure["layout"]["height"] = (
        max(200, int(int(figure["layout"]["height"]) * PRINT_HEIGHT)) + extra
    )


def share_bars(options: list[Any], n: object, words: Wording) -> Figure:
    """Return horizontal bars of option shares with their 95 % intervals, first on top.

    A hidden option has no bar and no interval, only the words that say why it is
    hidden where its bar would start.
    """
    shown = list(reversed(options))  # plotly draws the first category at the bottom
    labels = [chart_label(o["key"], o["label"], words.language) for o in shown]
    hidden = [words.hidden(o) for o in shown]
    texts = [
        why or percent(o.get("share"), words.language) for o, why in zip(shown, hidden, strict=True)
    ]
    trace: dict[str, Any] = {
        "type": "bar",
        "orientation": "h",
        "y": labels,
        "x": [None if why else o.get("share") or 0 for o, why in zip(shown, hidden, strict=True)],
        "customdata": texts,
        "marker": {"color": PALETTE[0]},
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": [_arm(o, "ci_high", "share") for o in shown],
            "arrayminus": [_arm(o, "share", "ci_low") for o in shown],
            "color": "#444",
            "thickness": 1.2,
            "width": 4,
        },
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
    }
    # Numbers stand right of the interval's end, so that whiskers never cross them.
    ends = [max(o.get("ci_high") or 0, o.get("share") or 0) + 0.015 for o in shown]
    return layout(
        [trace, value_labels(labels, ends, texts)],
        height=bar_height(len(shown)),
        showlegend=False,
        xaxis={"tickformat": ".0%", "range": [0, 1.18], "title": {"text": words.share_of(n)}},
    )


def _arm(option: Mapping[str, Any], upper: str, lower: str) -> float | None:
    """Return one arm of an option's interval whisker (None: hidden, no whisker)."""
    if option.get("suppressed"):
        return None
    return (option.get(upper) or 0) - (option.get(lower) or 0)
