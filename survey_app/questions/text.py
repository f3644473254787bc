"""short_text and long_text: free text, stored as typed (trimmed)."""

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
from survey_app.questions._figures import PALETTE, Figure, Wording, bar_height, layout, plain
from survey_app.questions._tables import Table, Writer, counted_head, counted_rows
from survey_app.questions.base import AnswerRow, FieldError, Parsed, QuestionType, first_value
from survey_app.questions.cells import question_head
from survey_app.questions.data import ScopeData
from survey_app.questions.summaries import TextSummary

TOO_LONG = N_("Please shorten this text to at most %(max)d characters.")
#: The longest ``max_length`` an instrument may set.
MAX_LENGTH_LIMIT = 20000


class ShortText(QuestionType[TextSummary]):
    """One line of text (at most ``max_length`` characters, default 2000)."""

    name = "short_text"
    fields = ("max_length",)
    free_text = True
    quantitative = False
    has_key_findings = False
    has_codes = False
    default_max_length = 2000

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check ``max_length``."""
        length = data.get("max_length", self.default_max_length)
        length = checker.integer(length, (*path, "max_length"), minimum=1)
        if length and length > MAX_LENGTH_LIMIT:
            checker.error(
                (*path, "max_length"), S_("must be at most %(most)d"), most=MAX_LENGTH_LIMIT
            )
        return {"max_length": length or self.default_max_length}

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Read the trimmed text and check its length."""
        text = first_value(form, f"q.{question.key}")
        if not text:
            return Parsed(None)
        if len(text) > question.max_length:
            return Parsed(error=FieldError(TOO_LONG, {"max": question.max_length}))
        return Parsed(text)

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row with ``value_text``."""
        return [AnswerRow(question.key, value_text=value)]

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        """Return the stored text."""
        return [(f"q.{question.key}", row.value_text or "") for row in rows]

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """None: the demo leaves short texts empty."""
        return []

    def summarize(self, question: Question, data: ScopeData) -> TextSummary:
        """Count the answers and their most frequent terms (texts are never quoted)."""
        n = data.answered(question.key)
        terms = data.top_terms(question.key) if n and data.include_terms else []
        return {**question_head(question, n), "terms": terms}

    def figure(self, summary: TextSummary, words: Wording) -> Figure | None:
        """Bars of the ten most frequent terms (None without terms)."""
        terms = list(summary["terms"])[:10]
        if not terms:
            return None
        terms.reverse()
        trace = {
            "type": "bar",
            "orientation": "h",
            "y": [plain(t["term"]) for t in terms],
            "x": [t["count"] for t in terms],
            "text": [str(t["count"]) for t in terms],
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": PALETTE[3]},
            "hovertemplate": "%{y}: %{x}<extra></extra>",
        }
        return layout(
            [trace],
            height=bar_height(len(terms)),
            xaxis={"title": {"text": words.answers_using_term}},
        )

    def print_figure(self, figure: Figure, extra_height: int) -> None:
        """No chart on paper: frequent words could still point at people."""
        return None

    def summary_table(self, summary: TextSummary, w: Writer) -> Table | None:
        """How many answers were coded with each theme (never the texts); None without themes."""
        if not summary.get("themes"):
            return None
        rows = counted_rows(summary["themes"], w)
        return Table(counted_head("theme", w), rows, note=w.n_note(summary["n"]))


class LongText(ShortText):
    """Several paragraphs in a text area."""

    name = "long_text"

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """One of the sample ``texts`` for every other respondent."""
        if rng.random() < 0.5:
            return [(f"q.{question.key}", rng.choice(texts)[: question.max_length])]
        return []
