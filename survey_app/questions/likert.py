"""likert: a matrix of statements rated on one scale."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from werkzeug.datastructures import MultiDict

from survey_app.definition.checker import Checker
from survey_app.definition.model import Option, Question, ScalePoint, text_in
from survey_app.definition.source import Path
from survey_app.i18n import N_
from survey_app.questions._figures import Figure, Wording
from survey_app.questions._tables import (
    COLUMNS,
    Cell,
    Row,
    ShareColumns,
    Table,
    Writer,
    join_note,
)
from survey_app.questions.base import (
    AnswerRow,
    FieldError,
    Parsed,
    QuestionType,
    format_number,
    text_of,
)
from survey_app.questions.cells import counts, question_head
from survey_app.questions.data import ScopeData
from survey_app.questions.dont_know import (
    DONT_KNOW,
    DONT_KNOW_RATE,
    FIELDS,
    check_dont_know,
    dont_know_cell,
    dont_know_share,
    label_in,
    label_of,
    scale_n,
)
from survey_app.questions.findings import (
    Amount,
    Candidate,
    Label,
    Param,
    TopBox,
    separated,
    share_params,
)
from survey_app.questions.likert_chart import diverging_bars, label_segments
from survey_app.questions.likert_scale import check_scale, top_labels, top_points
from survey_app.questions.summaries import LikertItem, LikertSummary, PointCell
from survey_app.questions.variables import SCALE_POINT, Variable, scale_variables
from survey_app.stats import mean

NOT_ON_SCALE = FieldError(N_("Please choose one of the points of the scale."))
EVERY_ITEM = FieldError(N_("Please answer every line."))


def _point_cell(point: ScalePoint, count: int, n: int) -> PointCell:
    count, share, low, high = counts(count, n)
    return {
        "key": point.key,
        "label": dict(point.label),
        "value": point.value,
        "count": count,
        "share": share,
        "ci_low": low,
        "ci_high": high,
    }


class Likert(QuestionType[LikertSummary]):
    """Each item gets one point of the scale; stored as one row per item."""

    name = "likert"
    fields = ("scale", "items", *FIELDS)
    summary_family = "items"
    count_distinct = True
    finding_weight = 20
    participant_results = True

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check ``items``, ``scale`` (a built-in name or a list of points) and ``dont_know``."""
        spec: dict[str, Any] = {}
        if checker.required_field(data, "items", path):
            spec["items"] = checker.options(data["items"], (*path, "items"), what="item")
        if checker.required_field(data, "scale", path):
            spec |= check_scale(data["scale"], (*path, "scale"), checker)
        return spec | check_dont_know(data, path, checker)

    def field_names(self, question: Question) -> list[str]:
        """Return ``q.<key>.<item>`` for every item."""
        return [f"q.{question.key}.{item.key}" for item in question.items]

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Read the chosen point (or "don't know") of each item; required means every item."""
        points = {p.key for p in question.scale} | ({DONT_KNOW} if question.dont_know else set())
        value: dict[str, str] = {}
        for item in question.items:
            chosen = form.get(f"q.{question.key}.{item.key}", "").strip()
            if not chosen:
                continue
            if chosen not in points:
                return Parsed(error=NOT_ON_SCALE)
            value[item.key] = chosen
        if not value:
            return Parsed(None)
        if question.required and len(value) < len(question.items):
            return Parsed(error=EVERY_ITEM)
        return Parsed(value)

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row per answered item with the point's key and value ("don't know": no value)."""
        numbers = {p.key: p.value for p in question.scale}
        return [
            AnswerRow(question.key, item_key=item, option_key=point, value_num=numbers.get(point))
            for item, point in value.items()
        ]

    def export_columns(self, question: Question) -> list[str]:
        """One value column and one label column per item; a 0/1 "don't know" one if offered."""
        columns = []
        for item in question.items:
            columns += [f"{question.key}.{item.key}", f"{question.key}.{item.key}_label"]
            if question.dont_know:
                columns.append(f"{question.key}.{item.key}_dont_know")
        return columns

    def export_cells(
        self, question: Question, rows: list[AnswerRow], language: str
    ) -> dict[str, Any]:
        """Fill each answered item with its scale value and label ("don't know": no value)."""
        labels = {
            p.key: text_in(p.label, language, next(iter(p.label), "")) for p in question.scale
        }
        labels[DONT_KNOW] = label_in(question, language)
        cells: dict[str, Any] = {}
        for row in rows:
            column = f"{question.key}.{row.item_key}"
            cells[column] = row.value_num
            cells[f"{column}_label"] = labels.get(row.option_key or "", "")
            if question.dont_know:
                cells[f"{column}_dont_know"] = int(row.option_key == DONT_KNOW)
        return cells

    def export_variables(self, question: Question, language: str) -> dict[str, Variable]:
        """Each item's value with the scale's points as value labels."""
        return scale_variables(question, language, label_in(question, language))

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        """The scale's values and labels, for the value columns; the "don't know" column."""
        if column.endswith("_label"):
            return ""
        dont_know = label_in(question, language)
        if column.endswith("_dont_know"):
            return (
                f"1 = {dont_know} (the value column is then empty); 0 = {SCALE_POINT}; "
                "empty = not answered"
            )
        codes = "; ".join(
            f"{format_number(p.value)} = {text_of(p.label, language)}" for p in question.scale
        )
        return f"{codes}; empty = not answered or {dont_know}" if question.dont_know else codes

    def key_finding_candidates(self, summary: LikertSummary, k: int) -> list[Candidate]:
        """The items with the highest and the lowest top-box share (the one item alone).

        Items nobody answered do not count; if any item is hidden, it could be the
        highest or lowest, so there is no finding.
        """
        items = [i for i in summary.get("items", []) if i.get("suppressed") or i.get("n")]
        scored: list[tuple[float, LikertItem]] = []
        for item in items:
            share = item.get("top2_share")
            if share is None:
                return []
            scored.append((share, item))
        if not scored:
            return []

        def finding(text: str, item: Mapping[str, Any]) -> Candidate:
            params: dict[str, Param] = {
                "item": Label(item),
                "top": TopBox(summary),
                "n": Amount(scale_n(item)),
                **share_params(item, "top2_"),
            }
            return Candidate(text, params, self.finding_weight)

        if len(scored) == 1:
            return [finding("finding_likert_one", scored[0][1])]
        ordered = sorted(scored, key=lambda pair: pair[0], reverse=True)
        found = []
        # "most positive" only where the intervals separate (no ties, no noise)
        if separated(ordered[0][1], ordered[1][1], "top2_"):
            found.append(finding("finding_likert_high", ordered[0][1]))
        if separated(ordered[-2][1], ordered[-1][1], "top2_"):
            found.append(finding("finding_likert_low", ordered[-1][1]))
        return found

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """One point per item, scattered around a centre drawn per respondent (now and then
        "don't know", where offered)."""
        points = [p.key for p in question.scale]
        centre = rng.gauss(len(points) / 2, 1.0)
        fields = []
        for item in question.items:
            index = min(len(points) - 1, max(0, round(centre + rng.gauss(0, 1.0))))
            # an extra draw only where "don't know" is offered (other demo data stay)
            unsure = question.dont_know and rng.random() < DONT_KNOW_RATE
            fields.append((f"q.{question.key}.{item.key}", DONT_KNOW if unsure else points[index]))
        return fields

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        """Return ``q.<key>.<item>`` = point key."""
        return [(f"q.{question.key}.{row.item_key}", row.option_key or "") for row in rows]

    def summarize(self, question: Question, data: ScopeData) -> LikertSummary:
        """Give each item its distribution over the scale, mean and top-2-box share.

        "Don't know" (where offered) counts into an item's ``n`` and nothing else: the
        distribution, mean and top-2 share are of those who chose a point (``n_scale``).
        """
        counts = data.item_counts(question.key)
        top = top_points(question.scale)
        summary: LikertSummary = {
            **question_head(question, data.answered(question.key)),
            "scale": [
                {"key": p.key, "label": dict(p.label), "value": p.value} for p in question.scale
            ],
            "top2_points": top,
            "items": [
                self._summarize_item(question, item, counts.get(item.key, {}), top)
                for item in question.items
            ],
        }
        if question.dont_know:
            summary["dont_know_label"] = label_of(question)
        return summary

    def _summarize_item(
        self, question: Question, item: Option, points: dict[str, int], top: list[str]
    ) -> LikertItem:
        n = sum(points.get(p.key, 0) for p in question.scale)
        frequencies: dict[float, int] = {}
        for p in question.scale:
            frequencies[p.value] = frequencies.get(p.value, 0) + points.get(p.key, 0)
        top2 = counts(sum(points.get(key, 0) for key in top), n)
        dont_know = points.get(DONT_KNOW, 0) if question.dont_know else 0
        summary: LikertItem = {
            "key": item.key,
            "label": dict(item.label),
            "n": n + dont_know,
            "distribution": [_point_cell(p, points.get(p.key, 0), n) for p in question.scale],
            "mean": mean(frequencies),
            "top2_count": top2[0],
            "top2_share": top2[1],
            "top2_ci_low": top2[2],
            "top2_ci_high": top2[3],
        }
        if question.dont_know:
            summary["n_scale"] = n
            summary["dont_know"] = dont_know_cell(question, dont_know, n + dont_know)
        return summary

    def figure(self, summary: LikertSummary, words: Wording) -> Figure:
        """Stacked bars per item, diverging from the scale's middle."""
        return diverging_bars(summary, words)

    def print_figure(self, figure: Figure, extra_height: int) -> Figure:
        """Label the segments, dot the middle point; keep the height, plus the legend's rows."""
        label_segments(figure)
        figure["layout"]["height"] = int(figure["layout"]["height"]) + 30 + extra_height
        return figure

    def alt_text(self, summary: LikertSummary, w: Writer) -> str:
        """Name each item with its top-2 share (and its "don't know", if offered)."""
        parts = []
        for item in summary["items"]:
            apart = dont_know_share(item, w)
            share = f"{w.label(item)} {w.share(item, 'top2_')}"
            parts.append(f"{share}, {apart}" if apart else share)
        head = w.texts("alt_likert", top=top_labels(summary, w.language, w.texts))
        return f"{head}: {'; '.join(parts)}."

    def summary_table(self, summary: LikertSummary, w: Writer) -> Table:
        """n, top-2 share with its interval, mean and "don't know" (if offered) of each item."""
        t, n = w.texts, w.numbers
        head = [t("statement"), "n", t("top2"), t("interval"), t("mean")]
        offered = "dont_know_label" in summary
        if offered:
            head.append(w.label({"label": summary["dont_know_label"]}))
        rows = []
        for item in summary["items"]:
            if item.get("suppressed"):
                rows.append(Row(w.label(item), span=w.hidden(item, answers=True)))
                continue
            has_top = item.get("top2_share") is not None
            cells = [
                Cell(n.number(item["n"])),
                w.share_cell(item, "top2_") if has_top else Cell(t("not_shown")),
                Cell(w.interval(item, "top2_") if has_top else ""),
                Cell(n.decimal(item.get("mean"))),
            ]
            if offered:
                cells.append(w.share_cell(item.get("dont_know") or {}))
            rows.append(Row(w.label(item), cells))
        top = top_labels(summary, w.language, t)
        note = join_note(w.n_note(summary["n"]), t("top2_note", top=top))
        if offered:
            note = join_note(note, t("dont_know_apart"))
        return Table(head, rows, note=note)

    def comparison_columns(self, summary: LikertSummary, w: Writer) -> ShareColumns:
        """The top-2 share of every item, a few items per table."""
        items = [(i["key"], w.label(i)) for i in summary["items"]]
        groups = [items[i : i + COLUMNS] for i in range(0, len(items), COLUMNS)]
        caption = w.texts("compare_top2", top=top_labels(summary, w.language, w.texts))
        return ShareColumns(caption, "items", "top2_", groups)

    def participant_parts(self, summary: dict[str, Any]) -> list[dict[str, Any]]:
        """One part per item: its points are the options, over the item's respondents."""
        parts = []
        for item in summary.get("items", []):
            part = {"key": f"{summary['key']}.{item['key']}", "type": summary["type"]}
            part |= {"label": summary["label"], "item": item["label"], "n": scale_n(item)}
            if item.get("suppressed"):
                parts.append({**part, "suppressed": True, "reason": item.get("reason")})
            else:
                part["options"] = item.get("distribution", [])
                if "dont_know" in item:
                    part["dont_know"] = item["dont_know"]
                parts.append(part)
        return parts
