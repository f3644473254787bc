"""rating: a point from 1 to ``max``, maybe "don't know" (``questions.dont_know``)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from werkzeug.datastructures import MultiDict

from survey_app.definition.checker import Checker
from survey_app.definition.errors import S_
from survey_app.definition.model import Question
from survey_app.definition.source import Path
from survey_app.i18n import N_
from survey_app.questions._figures import Figure, Wording, share_bars
from survey_app.questions._tables import (
    Table,
    Writer,
    bars_alt_text,
    counted_head,
    counted_rows,
    join_note,
    rounding_note,
)
from survey_app.questions.base import AnswerRow, FieldError, Parsed, first_value
from survey_app.questions.cells import counts, languages_of, question_head
from survey_app.questions.data import ScopeData
from survey_app.questions.dont_know import (
    DONT_KNOW,
    DONT_KNOW_RATE,
    FIELDS,
    chart_words,
    check_dont_know,
    dont_know_cell,
    dont_know_note,
    dont_know_row,
    dont_know_share,
    label_in,
    scale_n,
)
from survey_app.questions.findings import Amount, Candidate, Decimal, Param, Respondents
from survey_app.questions.numeric import NumericType
from survey_app.questions.summaries import RatingPoint, RatingSummary
from survey_app.questions.typed_number import read_number
from survey_app.questions.variables import Variable, dont_know_variable
from survey_app.stats import mean, quantile, total

NOT_A_RATING = FieldError(N_("Please choose one of the points shown."))


class Rating(NumericType[RatingSummary]):
    """A rating from 1 to ``max`` (default 5), shown as buttons; maybe "don't know"."""

    name = "rating"
    fields = ("max", *FIELDS)
    participant_results = True
    partitions_respondents = True
    option_statistics = ("mean", "median")
    finding_weight = 50

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check ``max`` (2..10) and ``dont_know``."""
        top = checker.integer(data.get("max", 5), (*path, "max"), minimum=2)
        if top and top > 10:
            checker.error((*path, "max"), S_("must be at most 10"))
        spec = {"max": float(top or 5), "min": 1.0, "integer": True}
        return spec | check_dont_know(data, path, checker)

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Read the chosen point, or ``dont_know`` where the question offers it."""
        text = first_value(form, f"q.{question.key}")
        if not text:
            return Parsed(None)
        if text == DONT_KNOW and question.dont_know:
            return Parsed(DONT_KNOW)
        number = read_number(text, integer=True)
        if number is None or not number.is_integer() or not 1 <= number <= (question.max or 5):
            return Parsed(error=NOT_A_RATING)
        return Parsed(number)

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row: ``value_num`` = the point, or ``option_key`` = ``dont_know`` (no value)."""
        if value == DONT_KNOW:
            return [AnswerRow(question.key, option_key=DONT_KNOW)]
        return [AnswerRow(question.key, value_num=float(value))]

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        """Return the point (or ``dont_know``) as the form posts it."""
        return [
            (f"q.{question.key}", DONT_KNOW)
            if row.option_key == DONT_KNOW
            else (f"q.{question.key}", str(int(row.value_num or 0)))
            for row in rows
        ]

    def export_columns(self, question: Question) -> list[str]:
        """The point; with "don't know" offered, a 0/1 column saying whether it was chosen."""
        columns = [question.key]
        return [*columns, f"{question.key}_dont_know"] if question.dont_know else columns

    def export_cells(
        self, question: Question, rows: list[AnswerRow], language: str
    ) -> dict[str, Any]:
        """The point (empty for "don't know"), and 1/0 in the "don't know" column."""
        cells: dict[str, Any] = {}
        for row in rows[:1]:
            chose = row.option_key == DONT_KNOW
            cells[question.key] = None if chose else row.value_num
            if question.dont_know:
                cells[f"{question.key}_dont_know"] = int(chose)
        return cells

    def export_variables(self, question: Question, language: str) -> dict[str, Variable]:
        """The point as a number; the "don't know" column labelled 1 / 0."""
        found = {question.key: Variable()}
        if question.dont_know:
            found[f"{question.key}_dont_know"] = dont_know_variable(
                label_in(question, language), rating_point(question)
            )
        return found

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        """The range of points; what the "don't know" column holds."""
        top = int(question.max or 5)
        if column == f"{question.key}_dont_know":
            return (
                f"1 = {label_in(question, language)} (the point column is then empty); "
                f"0 = {rating_point(question)}; empty = not answered"
            )
        if question.dont_know:
            return f"1 to {top}; empty = not answered or {label_in(question, language)}"
        return f"1 to {top}"

    def key_finding_candidates(self, summary: RatingSummary, k: int) -> list[Candidate]:
        """The mean rating (with the median), if the mean is shown."""
        if summary.get("mean") is None:
            return []
        params: dict[str, Param] = {
            "mean": Decimal(summary["mean"], 1),
            "max": Amount(len(summary.get("options", []))),
            "median": Amount(summary.get("median")),
            "n": Amount(scale_n(summary)),
            "respondents": Respondents(),
        }
        return [Candidate("finding_rating", params, self.finding_weight)]

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """A point around three quarters of the maximum; "don't know" now and then, if offered.

        The extra draw is made only where "don't know" is offered, so that every other
        questionnaire's simulated answers stay as they were.
        """
        if question.dont_know and rng.random() < DONT_KNOW_RATE:
            return [(f"q.{question.key}", DONT_KNOW)]
        top = int(question.max or 5)
        return [(f"q.{question.key}", str(min(top, max(1, round(rng.gauss(top * 0.75, 1.0))))))]

    def points(self, question: Question) -> list[int]:
        """Return the points 1..max for the form."""
        return list(range(1, int(question.max or 5) + 1))

    def summarize(self, question: Question, data: ScopeData) -> RatingSummary:
        """Count each point 1..max (options keyed "1".."max"); give mean and median.

        "Don't know" (where offered) counts into ``n`` and nothing else: the points'
        shares, mean and median are of those who chose a point (``n_scale``).
        """
        frequencies = data.value_counts(question.key)
        on_scale = total(frequencies)
        # rows of a version that offered it count only where this one does
        dont_know = data.option_counts(question.key).get(DONT_KNOW, 0) if question.dont_know else 0
        languages = languages_of(question)
        summary: RatingSummary = {
            **question_head(question, on_scale + dont_know),
            "options": [
                _rating_point(point, languages, frequencies.get(float(point), 0), on_scale)
                for point in self.points(question)
            ],
            "mean": mean(frequencies),
            "median": quantile(frequencies, 0.5),
        }
        if question.dont_know:
            summary["n_scale"] = on_scale
            summary["dont_know"] = dont_know_cell(question, dont_know, on_scale + dont_know)
        return summary

    def figure(self, summary: RatingSummary, words: Wording) -> Figure:
        """Bars of the points' shares with their intervals; "don't know" named apart."""
        figure = share_bars(list(summary["options"]), scale_n(summary), words)
        apart = chart_words(summary, words)
        if apart:  # its share is of everyone who answered: not a bar among the points
            figure["layout"]["xaxis"]["title"]["text"] += " · " + apart
        return figure

    def alt_text(self, summary: RatingSummary, w: Writer) -> str:
        """Name each point with its share, and "don't know" with its own."""
        text = bars_alt_text(list(summary["options"]), scale_n(summary), w)
        extra = dont_know_share(summary, w)
        return f"{text[:-1]}; {extra}." if extra else text

    def summary_table(self, summary: RatingSummary, w: Writer) -> Table:
        """Count, share and interval of each point, then "don't know"; mean and median below."""
        t, n = w.texts, w.numbers
        note = w.n_note(summary["n"])
        if summary.get("mean") is not None:
            note = join_note(note, t("mean_note", mean=n.decimal(summary["mean"])))
        if summary.get("median") is not None:
            note = join_note(note, t("median_note", median=n.number(summary["median"])))
        options = list(summary["options"])
        note = join_note(note, rounding_note([o.get("share") for o in options], w))
        note = join_note(note, dont_know_note(summary, w))
        rows = counted_rows(options, w) + dont_know_row(summary, w)
        return Table(counted_head("answer", w), rows, note=note)


def _rating_point(point: int, languages: list[str], count: int, n: int) -> RatingPoint:
    count, share, low, high = counts(count, n)
    return {
        "key": str(point),
        "label": {lang: str(point) for lang in languages},
        "value": point,
        "count": count,
        "share": share,
        "ci_low": low,
        "ci_high": high,
    }


def rating_point(question: Question) -> str:
    """Return what 0 in the "don't know" column means, as the codebook says it."""
    return f"a point 1 to {int(question.max or 5)}"
