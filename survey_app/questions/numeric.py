"""number and rating: a typed number within bounds, or a 1..max rating."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, ClassVar

from werkzeug.datastructures import MultiDict

from survey_app.definition.checker import Checker
from survey_app.definition.model import Question
from survey_app.definition.source import Path
from survey_app.i18n import N_
from survey_app.questions.base import (
    AnswerRow,
    FieldError,
    Parsed,
    QuestionType,
    first_value,
    format_number,
)
from survey_app.questions.cells import languages_of, question_head, share_fields
from survey_app.questions.data import ScopeData
from survey_app.questions.findings import (
    Amount,
    Candidate,
    Decimal,
    Param,
    Respondents,
    Words,
)
from survey_app.stats import histogram, mean, quantile, total

NOT_A_NUMBER = FieldError(N_("Please enter a number, e.g. 12 or 3,5."))
NOT_WHOLE = FieldError(N_("Please enter a whole number."))
TOO_SMALL = N_("Please enter a number of at least %(min)s.")
TOO_LARGE = N_("Please enter a number of at most %(max)s.")
NOT_A_RATING = FieldError(N_("Please choose one of the points shown."))

#: Digit groups such as 1.000, 1,000, 1 000 or 1'000 in a whole number.
THOUSANDS = re.compile(r"^[+-]?\d{1,3}([.,' ]\d{3})+$")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def read_number(text: str, integer: bool = False) -> float | None:
    """Read a number typed on a phone: any script's digits, decimal comma or point."""
    text = "".join(_ascii_digit(ch) for ch in text)
    text = text.replace("\u066b", ",").replace("\u066c", "'").replace("\u2212", "-")
    text = SPACES.sub(" ", text).strip()
    if integer and THOUSANDS.match(text):
        text = re.sub(r"[.,' ]", "", text)
    text = text.replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _ascii_digit(char: str) -> str:
    digit = unicodedata.digit(char, None) if not char.isascii() else None
    return str(digit) if digit is not None else char


class Number(QuestionType):
    """A number, whole if ``integer: true``, between ``min`` and ``max``."""

    name = "number"
    fields: ClassVar[tuple[str, ...]] = ("min", "max", "integer", "unit")
    summary_family = "values"
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
            checker.error((*path, "min"), "must not be larger than max")
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
        number = read_number(text, question.integer)
        if number is None:
            return Parsed(error=NOT_A_NUMBER)
        if question.integer and not number.is_integer():
            return Parsed(error=NOT_WHOLE)
        if question.min is not None and number < question.min:
            return Parsed(error=FieldError(TOO_SMALL, {"min": format_number(question.min)}))
        if question.max is not None and number > question.max:
            return Parsed(error=FieldError(TOO_LARGE, {"max": format_number(question.max)}))
        return Parsed(number)

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row with ``value_num``."""
        return [AnswerRow(question.key, value_num=float(value))]

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        """Return the number as typed."""
        return [(f"q.{question.key}", format_number(row.value_num or 0)) for row in rows]

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        """Whether the numbers are whole."""
        return "whole number" if question.integer else "number"

    def key_finding_candidates(self, summary: dict[str, Any], k: int) -> list[Candidate]:
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

    def summarize(self, question: Question, data: ScopeData) -> dict[str, Any]:
        """Give n, mean, median, quartiles and a histogram of the numbers.

        Quantiles interpolate linearly (numpy's default, ``statistics.quantiles``
        with ``method="inclusive"``); they are computed from the frequency table.
        The smallest and largest values are not given: each is one respondent's answer.
        """
        frequencies = data.value_counts(question.key)
        return {
            **question_head(question, total(frequencies)),
            "integer": question.integer,
            "unit": dict(question.unit),
            "mean": mean(frequencies),
            "median": quantile(frequencies, 0.5),
            "q1": quantile(frequencies, 0.25),
            "q3": quantile(frequencies, 0.75),
            "histogram": histogram(frequencies, question.integer),
        }


class Rating(Number):
    """A rating from 1 to ``max`` (default 5), shown as buttons."""

    name = "rating"
    fields = ("max",)
    partitions_respondents = True
    option_statistics = ("mean",)
    finding_weight = 50

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check ``max`` (2..10)."""
        top = checker.integer(data.get("max", 5), (*path, "max"), minimum=2)
        if top and top > 10:
            checker.error((*path, "max"), "must be at most 10")
        return {"max": float(top or 5), "min": 1.0, "integer": True}

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Read the chosen point."""
        text = first_value(form, f"q.{question.key}")
        if not text:
            return Parsed(None)
        number = read_number(text, integer=True)
        if number is None or not number.is_integer() or not 1 <= number <= (question.max or 5):
            return Parsed(error=NOT_A_RATING)
        return Parsed(number)

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        """The range of points."""
        return f"1 to {int(question.max or 5)}"

    def key_finding_candidates(self, summary: dict[str, Any], k: int) -> list[Candidate]:
        """The mean rating (with the median), if the mean is shown."""
        if summary.get("mean") is None:
            return []
        params: dict[str, Param] = {
            "mean": Decimal(summary["mean"], 1),
            "max": Amount(len(summary.get("options", []))),
            "median": Amount(summary.get("median")),
            "n": Amount(summary["n"]),
            "respondents": Respondents(),
        }
        return [Candidate("finding_rating", params, self.finding_weight)]

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """A point around three quarters of the maximum."""
        top = int(question.max or 5)
        return [(f"q.{question.key}", str(min(top, max(1, round(rng.gauss(top * 0.75, 1.0))))))]

    def points(self, question: Question) -> list[int]:
        """Return the points 1..max for the form."""
        return list(range(1, int(question.max or 5) + 1))

    def summarize(self, question: Question, data: ScopeData) -> dict[str, Any]:
        """Count each point 1..max (options keyed "1".."max"); give mean and median."""
        frequencies = data.value_counts(question.key)
        n = total(frequencies)
        languages = languages_of(question)
        return {
            **question_head(question, n),
            "options": [
                {
                    "key": str(point),
                    "label": {lang: str(point) for lang in languages},
                    "value": point,
                    **share_fields(frequencies.get(float(point), 0), n),
                }
                for point in self.points(question)
            ],
            "mean": mean(frequencies),
            "median": quantile(frequencies, 0.5),
        }
