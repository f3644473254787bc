"""points_allocation: distribute a budget of N points over the options ("dot voting").

Also known as constant-sum or points allocation. A respondent gives each option a
whole number of points, 0 or more, that add up to exactly ``points`` (N, e.g. 10).
The summary gives each option its total points and share of all points, the mean
points per respondent, and the share of respondents who gave it any point, with its
Wilson interval. The total of an option is a cell that the protection of small
groups protects with the counts (``option_total``): one point given in all tells
that one respondent gave it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from werkzeug.datastructures import MultiDict

from survey_app.definition.checker import Checker
from survey_app.definition.errors import S_
from survey_app.definition.model import Question
from survey_app.definition.source import Path
from survey_app.i18n import N_, NP_
from survey_app.questions._figures import Figure, Wording
from survey_app.questions._tables import COLUMNS, ShareColumns, Table, Writer
from survey_app.questions.base import (
    AnswerRow,
    FieldError,
    OptionTotal,
    Parsed,
    QuestionType,
    format_number,
)
from survey_app.questions.cells import option_cell, question_head
from survey_app.questions.data import ScopeData
from survey_app.questions.findings import Candidate, leader, most_hidden, option_finding
from survey_app.questions.points_chart import points_alt_text, points_figure, points_table, word
from survey_app.questions.simulate import skewed
from survey_app.questions.summaries import PointsOption, PointsSummary

NOT_WHOLE = FieldError(N_("Please enter whole numbers of points, 0 or more."))
WRONG_SUM = NP_(
    "Please give exactly %(points)d point in all; you gave %(given)d.",
    "Please give exactly %(points)d points in all; you gave %(given)d.",
)
#: The fields computed from an option's total points (left out with it).
DERIVED = ("points_share", "mean_points")


class PointsAllocation(QuestionType[PointsSummary]):
    """Fields ``q.<key>.<option>`` hold the points given to each option (empty: 0)."""

    name = "points_allocation"
    fields = ("options", "points")
    summary_family = "values"
    count_distinct = True
    finding_weight = 15
    participant_results = True
    ordered_by = "points_total"

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check ``options`` (at least two) and ``points``, the budget (1 to 1000)."""
        spec: dict[str, Any] = {}
        if checker.required_field(data, "options", path):
            spec["options"] = checker.options(data["options"], (*path, "options"))
            if len(spec["options"]) < 2:
                checker.error((*path, "options"), S_("needs at least two options to share points"))
        if checker.required_field(data, "points", path):
            budget = checker.integer(data["points"], (*path, "points"), minimum=1)
            if budget and budget > 1000:
                checker.error((*path, "points"), S_("must be at most 1000"))
            spec["points"] = budget or 1
        return spec

    def field_names(self, question: Question) -> list[str]:
        """Return ``q.<key>.<option>`` for each option."""
        return [f"q.{question.key}.{option.key}" for option in question.options]

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Read whole points of 0 or more that add up to the budget; all empty: unanswered.

        Value: ``{option_key: points}`` of the options given at least one point.
        """
        given: dict[str, int] = {}
        for option, name in zip(question.options, self.field_names(question), strict=True):
            typed = form.get(name, "").strip()
            if not typed:
                continue
            if not typed.isdecimal() or len(typed) > 6:
                return Parsed(error=NOT_WHOLE)
            if int(typed):
                given[option.key] = int(typed)
        total = sum(given.values())
        if not total and all(not form.get(n, "").strip() for n in self.field_names(question)):
            return Parsed(None)
        if total != question.points:
            given = {"points": question.points, "given": total}
            return Parsed(error=FieldError(WRONG_SUM[0], given, WRONG_SUM[1], question.points))
        return Parsed(given)

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row per option given points, ``value_num`` = its points."""
        return [
            AnswerRow(question.key, option_key=key, value_num=float(points))
            for key, points in value.items()
        ]

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        """Return ``q.<key>.<option>`` = points."""
        return [
            (f"q.{question.key}.{row.option_key}", format_number(row.value_num or 0))
            for row in rows
        ]

    def chosen_keys(self, value: Any) -> set[str]:
        """Return the options given at least one point (for ``show_if``)."""
        return set(value or ())

    def export_columns(self, question: Question) -> list[str]:
        """One column per option holding its points."""
        return [f"{question.key}.{option.key}" for option in question.options]

    def export_cells(
        self, question: Question, rows: list[AnswerRow], language: str
    ) -> dict[str, Any]:
        """Points per option: 0 for an option not given any (empty when not answered)."""
        if not rows:
            return {}
        cells: dict[str, Any] = {column: 0 for column in self.export_columns(question)}
        for row in rows:
            cells[f"{question.key}.{row.option_key}"] = int(row.value_num or 0)
        return cells

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        """What an option column holds."""
        return (
            f"points given to the option, 0 to {question.points}; an answer's points add up "
            f"to {question.points}; empty = not answered"
        )

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """The budget spread over 1 to 4 options, earlier ones more likely.

        Draws from a generator of its own, seeded from the state of ``rng`` without
        drawing from it: a questionnaire that adds a points question keeps every other
        simulated answer as it was (the demo's figures and screenshots stay true).
        """
        own = random.Random(hash(rng.getstate()[1]))  # a tuple of ints: the same every run
        keys = [o.key for o in question.options]
        chosen = skewed(keys, own, own.randint(1, min(4, len(keys))))
        given = dict.fromkeys(chosen, 0)
        for _ in range(question.points):
            given[own.choice(chosen)] += 1
        return [(f"q.{question.key}.{key}", str(points)) for key, points in given.items() if points]

    def summarize(self, question: Question, data: ScopeData) -> PointsSummary:
        """Total points, share of points, mean points and givers of each option.

        ``count``/``share`` (with the Wilson interval) are of the n respondents who
        gave the option any point; ``points_share`` is of all N * n points;
        ``mean_points`` of all n (0 counted). Options with most points first; ties in
        the instrument's order.
        """
        counted = data.rank_counts(question.key)  # {option: {points: respondents}}
        n = data.answered(question.key)
        budget = question.points
        options: list[PointsOption] = []
        for option in question.options:
            given = counted.get(option.key, {})
            total = sum(points * respondents for points, respondents in given.items())
            cell: PointsOption = {
                **option_cell(option.key, dict(option.label), sum(given.values()), n),
                "points_total": total,
                "points_share": total / (budget * n) if n else None,
                "mean_points": total / n if n else None,
            }
            options.append(cell)
        options.sort(key=lambda o: -o["points_total"])
        return {**question_head(question, n), "points": budget, "options": options}

    def option_total(self, summary: PointsSummary) -> OptionTotal:
        """Points totals: 1 to N per giver, N per respondent over the options."""
        budget = int(summary.get("points") or 1)
        return OptionTotal("points_total", 1, budget, budget, DERIVED)

    def key_finding_candidates(self, summary: PointsSummary, k: int) -> list[Candidate]:
        """The option most respondents gave points, if no hidden option could match it."""
        options = summary.get("options", [])
        top = leader(options, "count", most_hidden(options, k, summary["n"]))
        return option_finding(
            "finding_points", top, summary["n"], self.finding_weight, cells=options
        )

    def figure(self, summary: PointsSummary, words: Wording) -> Figure:
        """One bar per option: its share of all points, most points first."""
        return points_figure(summary, words)

    def alt_text(self, summary: PointsSummary, w: Writer) -> str:
        """Name each option with its share of the points."""
        return points_alt_text(summary, w)

    def summary_table(self, summary: PointsSummary, w: Writer) -> Table:
        """Points, share of points, share who gave points with its interval."""
        return points_table(summary, w)

    def participant_head(self, question: dict[str, Any], w: Writer) -> tuple[list[str], str]:
        """The share of respondents who gave the option any point, said so (not of points)."""
        return [w.texts("option"), word(w, "gave_points")], word(w, "gave_points_note")

    def comparison_columns(self, summary: PointsSummary, w: Writer) -> ShareColumns:
        """The share of respondents who gave points to the options with most points."""
        columns = [(o["key"], w.label(o)) for o in summary["options"][:COLUMNS]]
        return ShareColumns(word(w, "compare_gave_points"), "options", "", [columns])
