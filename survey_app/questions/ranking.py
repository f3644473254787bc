"""ranking: put the top N options in order."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, Literal

from werkzeug.datastructures import MultiDict

from survey_app.definition.checker import Checker
from survey_app.definition.errors import S_
from survey_app.definition.model import Question
from survey_app.definition.source import Path
from survey_app.i18n import N_
from survey_app.questions._figures import (
    PALETTE,
    Figure,
    Wording,
    bar_height,
    chart_label,
    hidden_labels,
    layout,
    percent,
    print_height,
)
from survey_app.questions._tables import COLUMNS, Cell, Row, ShareColumns, Table, Writer, join_note
from survey_app.questions.base import (
    AnswerRow,
    FieldError,
    Parsed,
    QuestionType,
    format_number,
)
from survey_app.questions.cells import counts, question_head
from survey_app.questions.data import ScopeData
from survey_app.questions.findings import (
    Candidate,
    option_finding,
    partition_leader,
)
from survey_app.questions.simulate import skewed
from survey_app.questions.summaries import RankedOption, RankingSummary
from survey_app.questions.variables import Variable

#: The share a ranking chart draws.
ShareField = Literal["top_share", "first_share"]
NOT_AN_OPTION = FieldError(N_("Please choose one of the options shown."))
RANKED_TWICE = FieldError(N_("Each option can have only one place."))
GAP = FieldError(N_("Please fill the places in order, starting with place 1."))


def borda_points(places: list[int]) -> int:
    """Return the Borda points of place counts ``[first, second, ...]``.

    With N places, place p earns N - p + 1 points: N for first, 1 for last.
    """
    size = len(places)
    return sum(count * (size - place) for place, count in enumerate(places))


class Ranking(QuestionType[RankingSummary]):
    """Positions ``q.<key>.1`` .. ``q.<key>.N`` hold option keys; rank 1 is the top."""

    name = "ranking"
    fields = ("options", "rank")
    summary_family = "values"
    finding_weight = 10
    participant_results = True
    ordered_by = "borda"

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check ``options`` and ``rank`` (how many places, at most the options)."""
        spec: dict[str, Any] = {}
        if checker.required_field(data, "options", path):
            spec["options"] = checker.options(data["options"], (*path, "options"))
        count = len(spec.get("options", ()))
        rank = data.get("rank", min(count, 3))
        rank = checker.integer(rank, (*path, "rank"), minimum=1)
        if rank and count and rank > count:
            checker.error((*path, "rank"), S_("is larger than the %(count)d options"), count=count)
        spec["rank"] = rank or 1
        return spec

    def field_names(self, question: Question) -> list[str]:
        """Return ``q.<key>.1`` .. ``q.<key>.N``."""
        return [f"q.{question.key}.{place}" for place in range(1, question.rank + 1)]

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Read the places; they must be filled from 1 without gaps, each option once."""
        places = [form.get(name, "").strip() for name in self.field_names(question)]
        while places and not places[-1]:
            places.pop()
        if not places:
            return Parsed(None)
        if "" in places:
            return Parsed(error=GAP)
        if not set(places) <= {o.key for o in question.options}:
            return Parsed(error=NOT_AN_OPTION)
        if len(set(places)) != len(places):
            return Parsed(error=RANKED_TWICE)
        return Parsed(places)

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row per ranked option, ``value_num`` = its place."""
        return [
            AnswerRow(question.key, option_key=key, value_num=float(place))
            for place, key in enumerate(value, start=1)
        ]

    def export_columns(self, question: Question) -> list[str]:
        """One column per option holding its place (empty when not ranked)."""
        return [f"{question.key}.{option.key}" for option in question.options]

    def export_cells(
        self, question: Question, rows: list[AnswerRow], language: str
    ) -> dict[str, Any]:
        """Fill the ranked options with their places."""
        return {f"{question.key}.{row.option_key}": int(row.value_num or 0) for row in rows}

    def export_variables(self, question: Question, language: str) -> dict[str, Variable]:
        """Each option's place: an ordinal number."""
        columns = self.export_columns(question)
        return {column: Variable(measure="ordinal") for column in columns}

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        """The places an option column holds."""
        return f"place 1 (most important) to {question.rank}; empty = not ranked"

    def key_finding_candidates(self, summary: RankingSummary, k: int) -> list[Candidate]:
        """The option ranked first most often, if no hidden first places could match it."""
        options = summary.get("options", [])
        top = partition_leader(options, "first_count", summary["n"])
        weight = self.finding_weight
        return option_finding("finding_ranking", top, summary["n"], weight, "first_", options)

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """All places filled, earlier options more likely higher up."""
        keys = [o.key for o in question.options]
        return [
            (f"q.{question.key}.{place}", key)
            for place, key in enumerate(skewed(keys, rng, question.rank), 1)
        ]

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        """Return ``q.<key>.<place>`` = option key."""
        return [
            (f"q.{question.key}.{format_number(row.value_num or 0)}", row.option_key or "")
            for row in rows
        ]

    def chosen_keys(self, value: Any) -> set[str]:
        """Return the ranked option keys."""
        return set(value or ())

    def summarize(self, question: Question, data: ScopeData) -> RankingSummary:
        """Count first places and top-N places; order options by mean Borda points.

        With N places, place p earns N - p + 1 points and an unranked option 0;
        ``borda`` is the mean per respondent. ``count``/``share`` are those of
        ``top_``: respondents who ranked the option at all. Ties in Borda points go
        to more first places, then to the instrument's order.
        """
        places = data.rank_counts(question.key)
        # Places are filled from 1 without gaps: each respondent has one first place.
        n = sum(ranked.get(1, 0) for ranked in places.values())
        size = question.rank
        options: list[tuple[float, int, RankedOption]] = []
        for option in question.options:
            ranked = {p: c for p, c in places.get(option.key, {}).items() if 1 <= p <= size}
            top = counts(sum(ranked.values()), n)
            first = counts(ranked.get(1, 0), n)
            in_place = [ranked.get(place, 0) for place in range(1, size + 1)]
            borda = borda_points(in_place) / n if n else None
            cell: RankedOption = {
                "key": option.key,
                "label": dict(option.label),
                "count": top[0],
                "share": top[1],
                "ci_low": top[2],
                "ci_high": top[3],
                "first_count": first[0],
                "first_share": first[1],
                "first_ci_low": first[2],
                "first_ci_high": first[3],
                "top_count": top[0],
                "top_share": top[1],
                "top_ci_low": top[2],
                "top_ci_high": top[3],
                "borda": borda,
                "place_counts": in_place,
            }
            options.append((borda or 0.0, first[0], cell))
        options.sort(key=lambda entry: (-entry[0], -entry[1]))
        return {
            **question_head(question, n),
            "rank": size,
            "options": [cell for _, _, cell in options],
        }

    def figure(self, summary: RankingSummary, words: Wording) -> Figure:
        """Two bars per option: share in the top N (light) and share ranked first.

        A hidden share has no bar; the words that say why stand where it would start
        (once, between the two, for an option hidden whole).
        """
        options = list(reversed(summary["options"]))
        labels = [chart_label(o["key"], o["label"], words.language) for o in options]
        whole = [words.hidden(o) for o in options]

        def trace(field: ShareField, name: str, colour: str) -> dict[str, Any]:
            prefix = field.removesuffix("share")
            hidden = [words.hidden(o, prefix) for o in options]
            return {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "offsetgroup": field,
                "y": labels,
                "x": [
                    None if why else o.get(field) for o, why in zip(options, hidden, strict=True)
                ],
                "text": [
                    why or percent(o.get(field), words.language)
                    for o, why in zip(options, hidden, strict=True)
                ],
                "textposition": "outside",
                "cliponaxis": False,
                "marker": {"color": colour},
                "hovertemplate": "%{y}: %{text}<extra>" + name + "</extra>",
            }

        bars = [
            trace("top_share", words.in_top(summary["rank"]), PALETTE[4]),
            trace("first_share", words.ranked_first, PALETTE[0]),
        ]
        first_only = ["" if whole[i] else words.hidden(o, "first_") for i, o in enumerate(options)]
        return layout(
            [
                *bars,
                *hidden_labels(labels, whole, at=0.015),
                *hidden_labels(labels, first_only, at=0.015, offsetgroup="first_share"),
            ],
            height=bar_height(len(options) * 1.6),
            barmode="group",
            xaxis={"tickformat": ".0%", "range": [0, 1.15]},
            legend={"orientation": "h", "y": -0.12, "traceorder": "reversed"},
        )

    def print_figure(self, figure: Figure, extra_height: int) -> Figure:
        """Lower bars; hatch the light "in the top N" bars to tell them from "ranked first"."""
        print_height(figure, extra_height)
        bars = [trace for trace in figure["data"] if trace.get("type") == "bar"]
        if len(bars) == 2:
            bars[0]["marker"]["pattern"] = {"shape": "/", "fgcolor": "#35505f", "solidity": 0.15}
        return figure

    def alt_text(self, summary: RankingSummary, w: Writer) -> str:
        """Name each option with its share ranked first and in the top N."""
        parts = [
            f"{w.label(o)} {w.share(o, 'first_')} / {w.share(o, 'top_')}"
            for o in summary["options"]
        ]
        n = w.numbers.number(summary["n"])
        head = w.texts("alt_ranking", rank=summary["rank"], n=n)
        return f"{head}: {'; '.join(parts)}."

    def summary_table(self, summary: RankingSummary, w: Writer) -> Table:
        """Share ranked first with its interval, share in the top N, mean points."""
        t = w.texts
        head = [t("option"), t("ranked_first"), t("interval"), t("in_top", rank=summary["rank"])]
        head.append(t("points"))
        rows = []
        for o in summary["options"]:
            if o.get("suppressed"):
                rows.append(Row(w.label(o), span=w.hidden(o)))
                continue
            borda = w.numbers.decimal(o["borda"], 2) if o.get("borda") is not None else ""
            cells = [
                w.share_cell(o, "first_"),
                Cell(w.interval(o, "first_")),
                w.share_cell(o, "top_"),
                Cell(borda),
            ]
            rows.append(Row(w.label(o), cells))
        note = join_note(w.n_note(summary["n"]), t("points_note", rank=summary["rank"]))
        return Table(head, rows, note=note)

    def participant_head(self, question: dict[str, Any], w: Writer) -> tuple[list[str], str]:
        """The share that ranked the option in the top N (the only share that page shows)."""
        return [w.texts("option"), w.texts("in_top", rank=question["rank"])], ""

    def comparison_columns(self, summary: RankingSummary, w: Writer) -> ShareColumns:
        """The share ranking each of the first options first."""
        columns = [(o["key"], w.label(o)) for o in summary["options"][:COLUMNS]]
        return ShareColumns(w.texts("compare_first"), "options", "first_", [columns])
