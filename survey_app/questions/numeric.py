"""number: a typed number within bounds; what number and rating (``rating.py``) share."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from werkzeug.datastructures import MultiDict

from survey_app.definition.checker import Checker
from survey_app.definition.errors import S_
from survey_app.definition.model import Question, text_in
from survey_app.definition.source import Path
from survey_app.i18n import N_
from survey_app.questions._figures import (
    PALETTE,
    Figure,
    Wording,
    hidden_columns,
    layout,
    plain,
)
from survey_app.questions._figures import number as edge
from survey_app.questions._tables import (
    Cell,
    Row,
    StatisticColumns,
    Table,
    Writer,
)
from survey_app.questions.base import (
    AnswerRow,
    FieldError,
    Parsed,
    QuestionType,
    first_value,
    format_number,
)
from survey_app.questions.cells import question_head
from survey_app.questions.data import ScopeData
from survey_app.questions.findings import (
    Amount,
    Candidate,
    Param,
    Respondents,
    Words,
)
from survey_app.questions.summaries import NumberSummary, RatingSummary
from survey_app.questions.typed_number import unambiguous, understood
from survey_app.stats import histogram, mean, quantile, total

NOT_A_NUMBER = FieldError(N_("Please enter a number, e.g. 12 or 3,5."))
NOT_WHOLE = FieldError(N_("Please enter a whole number."))
TOO_SMALL = N_("Please enter a number of at least %(min)s.")
TOO_LARGE = N_("Please enter a number of at most %(max)s.")

#: The summary shape of a numeric type.
NumericSummaryT = TypeVar("NumericSummaryT", NumberSummary, RatingSummary)


class NumericType(QuestionType[NumericSummaryT], Generic[NumericSummaryT]):
    """What number and rating share: one row with ``value_num``; compared by statistics."""

    summary_family = "values"

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row with ``value_num``."""
        return [AnswerRow(question.key, value_num=float(value))]

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        """Return the number as it reads the same in every language (``2.1250``, not the
        ``2.125`` that German reads as 2125)."""
        return [(f"q.{question.key}", unambiguous(row.value_num or 0)) for row in rows]

    def comparison_columns(self, summary: NumericSummaryT, w: Writer) -> StatisticColumns:
        """n, mean and median of each part."""
        return StatisticColumns()


class Number(NumericType[NumberSummary]):
    """A number, whole if ``integer: true``, between ``min`` and ``max``."""

    name = "number"
    fields = ("min", "max", "integer", "unit")
    binned = True
    finding_weight = 60

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check ``min``, ``max``, ``integer`` and ``unit``."""
        spec: dict[str, Any] = {}
        for bound in ("min", "max"):
            if bound in data:
                spec[bound] = checker.number(data[bound], (*path, bound))
        if (
            spec.get("min") is not None
            and spec.get("max") is not None
            and spec["min"] > spec["max"]
        ):
            checker.error((*path, "min"), S_("must not be larger than max"))
        if "integer" in data:
            spec["integer"] = checker.boolean(data["integer"], (*path, "integer"))
        if "unit" in data:
            spec["unit"] = checker.text(data["unit"], (*path, "unit"))
        return spec

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Read the number and check it against the bounds."""
        text = first_value(form, f"q.{question.key}")
        if not text:
            return Parsed(None)
        confirmed = form.get(f"q.{question.key}.confirmed")
        number = understood(text, form.get("lang"), question.integer, confirmed)
        if number is None or isinstance(number, FieldError):
            return Parsed(error=number or NOT_A_NUMBER)
        if question.integer and not number.is_integer():
            return Parsed(error=NOT_WHOLE)
        if question.min is not None and number < question.min:
            return Parsed(error=FieldError(TOO_SMALL, {"min": format_number(question.min)}))
        if question.max is not None and number > question.max:
            return Parsed(error=FieldError(TOO_LARGE, {"max": format_number(question.max)}))
        return Parsed(number)

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        """Whether the numbers are whole."""
        return "whole number" if question.integer else "number"

    def key_finding_candidates(self, summary: NumberSummary, k: int) -> list[Candidate]:
        """The median and the middle half of the numbers."""
        if any(summary.get(field) is None for field in ("median", "q1", "q3")):
            return []
        params: dict[str, Param] = {
            "median": Amount(summary["median"]),
            "q1": Amount(summary["q1"]),
            "q3": Amount(summary["q3"]),
            "unit": Words(summary.get("unit")),
            "n": Amount(summary["n"]),
            "respondents": Respondents(),
        }
        return [Candidate("finding_number", params, self.finding_weight)]

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """A whole number: even within narrow bounds, else log-normal (mostly small)."""
        low, high = question.min or 0, question.max if question.max is not None else 1000
        if high - low <= 500 or low >= 1000:
            value = rng.uniform(low, high)
        else:
            value = min(high, max(low, rng.lognormvariate(3.5, 1.0)))
        return [(f"q.{question.key}", str(int(value)))]

    def summarize(self, question: Question, data: ScopeData) -> NumberSummary:
        """Give n, mean, median, quartiles and a histogram of the numbers.

        Quantiles interpolate linearly (numpy's default, ``statistics.quantiles``
        with ``method="inclusive"``), or for whole numbers are one of the answers
        (``stats.quantile`` with ``whole``); they are computed from the frequency table.
        The smallest and largest values are not given: each is one respondent's answer.
        """
        frequencies = data.value_counts(question.key)
        return {
            **question_head(question, total(frequencies)),
            "integer": question.integer,
            "unit": dict(question.unit),
            "mean": mean(frequencies),
            "median": quantile(frequencies, 0.5, question.integer),
            "q1": quantile(frequencies, 0.25, question.integer),
            "q3": quantile(frequencies, 0.75, question.integer),
            "histogram": [
                {"low": b["low"], "high": b["high"], "count": int(b["count"])}
                for b in histogram(
                    frequencies, question.integer, data.value_spans.get(question.key)
                )
            ],
        }

    def figure(self, summary: NumberSummary, words: Wording) -> Figure:
        """A histogram of the answers; a hidden bin has no bar, only why it is hidden."""
        bins = summary["histogram"]
        labels = [f"{edge(b['low'])}–{edge(b['high'])}" for b in bins]
        hidden = [words.hidden(b) for b in bins]
        counts = [None if why else b["count"] for b, why in zip(bins, hidden, strict=True)]
        trace = {
            "type": "bar",
            "x": labels,
            "y": counts,
            "text": [why or str(b["count"]) for b, why in zip(bins, hidden, strict=True)],
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": PALETTE[2]},
            "hovertemplate": "%{x}: %{text}<extra></extra>",
            "showlegend": False,
        }
        top = max((c for c in counts if c), default=0)
        axis: dict[str, Any] = {"title": {"text": words.answers}, "rangemode": "tozero"}
        if not top:  # nothing shown above 0: no scale to read
            axis.update(range=[0, 1], showticklabels=False)
        unit = plain(text_in(summary["unit"], words.language, "en"))
        return layout(
            [trace, *hidden_columns(labels, hidden, top or 1)],
            height=300,
            barmode="overlay",
            xaxis={"title": {"text": unit}, "type": "category"},
            yaxis=axis,
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        )

    def alt_text(self, summary: NumberSummary, w: Writer) -> str:
        """Name each bin of the histogram with its count."""
        n = w.numbers
        parts = [
            f"{n.number(b['low'])}{chr(0x2013)}{n.number(b['high'])}: "
            + (w.hidden(b) or n.number(b["count"]))
            for b in summary["histogram"]
        ]
        head = w.texts("alt_histogram", n=n.number(summary["n"]))
        return f"{head}: {'; '.join(parts)}."

    def summary_table(self, summary: NumberSummary, w: Writer) -> Table:
        """Mean, median and the middle half (quartiles) in the question's unit."""
        t, n = w.texts, w.numbers
        unit = text_in(summary["unit"], w.language, "en")
        average, median = summary.get("mean"), summary.get("median")
        q1, q3 = summary.get("q1"), summary.get("q3")
        values = {
            "mean": None if average is None else n.number(round(average, 1)),
            "median": None if median is None else n.number(median),
            "quartiles": None if q1 is None or q3 is None else f"{n.number(q1)}–{n.number(q3)}",
        }
        # left out with a hidden bin (they would narrow it down): said so, row by row
        rows = [
            Row(t(name), [Cell(value)]) if value is not None else Row(t(name), span=t("not_shown"))
            for name, value in values.items()
        ]
        return Table([t("statistic"), unit or t("value")], rows, note=w.n_note(summary["n"]))
