"""single_choice and multi_choice: pick one or several options, maybe "other"."""

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
    COLUMNS,
    ShareColumns,
    Table,
    Writer,
    bars_alt_text,
    counted_head,
    counted_rows,
    join_note,
    rounding_note,
)
from survey_app.questions.base import (
    AnswerRow,
    FieldError,
    Parsed,
    QuestionType,
    first_value,
    text_of,
)
from survey_app.questions.cells import choice_options, option_cells, question_head
from survey_app.questions.data import ScopeData
from survey_app.questions.findings import (
    Candidate,
    leader,
    most_hidden,
    option_finding,
    partition_leader,
)
from survey_app.questions.simulate import skewed
from survey_app.questions.summaries import ChoiceSummary, OptionCell
from survey_app.questions.variables import Variable, choice_variables, option_label

NOT_AN_OPTION = FieldError(N_("Please choose one of the options shown."))
OTHER_NEEDS_TEXT = FieldError(N_("Please say what “other” means for you."))
OTHER_TEXT_UNCHOSEN = N_(
    "You wrote “%(text)s” under “other” but chose another answer: choose “Other” to keep"
    " your text, or delete it."
)
OTHER_TOO_LONG = N_("Please shorten this text to at most %(max)d characters.")
#: Longest text accepted for "other, please specify".
OTHER_MAX_LENGTH = 200


class ChoiceType(QuestionType[ChoiceSummary]):
    """Shared behaviour of the two choice types."""

    participant_results = True

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check ``options`` and ``other``."""
        spec: dict[str, Any] = {}
        if checker.required_field(data, "options", path):
            spec["options"] = checker.options(data["options"], (*path, "options"))
        if "other" in data:
            spec["other"] = checker.boolean(data["other"], (*path, "other"))
        return spec

    def field_names(self, question: Question) -> list[str]:
        """Return ``q.<key>`` and, with ``other: true``, ``q.<key>.other``."""
        names = [f"q.{question.key}"]
        return [*names, f"q.{question.key}.other"] if question.other else names

    def _other_text(self, question: Question, form: MultiDict[str, str]) -> str:
        return first_value(form, f"q.{question.key}.other") if question.other else ""

    def _other_error(self, chosen: list[str], other_text: str) -> FieldError | None:
        if "other" in chosen and not other_text:
            return OTHER_NEEDS_TEXT
        if len(other_text) > OTHER_MAX_LENGTH:
            return FieldError(OTHER_TOO_LONG, {"max": OTHER_MAX_LENGTH})
        return None

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row per chosen option; "other" carries its text."""
        chosen, other_text = value
        return [
            AnswerRow(
                question.key, option_key=key, value_text=other_text if key == "other" else None
            )
            for key in chosen
        ]

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        """Return the chosen keys and the "other" text."""
        values = [(f"q.{question.key}", row.option_key or "") for row in rows]
        values += [
            (f"q.{question.key}.other", row.value_text or "")
            for row in rows
            if row.option_key == "other"
        ]
        return values

    def chosen_keys(self, value: Any) -> set[str]:
        """Return the chosen option keys."""
        return set(value[0]) if value else set()

    def summarize(self, question: Question, data: ScopeData) -> ChoiceSummary:
        """Count each option; shares are of the respondents who answered.

        "other" is counted like an option; its texts never enter the summary.
        """
        n = data.answered(question.key)
        counts = data.option_counts(question.key)
        return {
            **question_head(question, n),
            "options": option_cells(choice_options(question), counts, n),
        }

    def shown_options(self, summary: ChoiceSummary) -> list[OptionCell]:
        """Return the options in the order charts and tables show them."""
        return list(summary["options"])

    def figure(self, summary: ChoiceSummary, words: Wording) -> Figure:
        """Bars of the option shares with their intervals."""
        return share_bars(self.shown_options(summary), summary["n"], words)

    def alt_text(self, summary: ChoiceSummary, w: Writer) -> str:
        """Name each option with its share."""
        return bars_alt_text(self.shown_options(summary), summary["n"], w)

    def summary_table(self, summary: ChoiceSummary, w: Writer) -> Table:
        """Count, share and interval of each option."""
        options = self.shown_options(summary)
        note = w.n_note(summary["n"])
        if self.partitions_respondents:
            note = join_note(note, rounding_note([o.get("share") for o in options], w))
        return Table(counted_head("answer", w), counted_rows(options, w), note=note)

    def comparison_columns(self, summary: ChoiceSummary, w: Writer) -> ShareColumns:
        """The share of the most chosen options (those anybody chose)."""
        chosen = [(share, o) for o in summary["options"] if (share := o.get("share"))]
        chosen.sort(key=lambda pair: pair[0], reverse=True)
        columns = [(o["key"], w.label(o)) for _, o in chosen[:COLUMNS]]
        return ShareColumns(w.texts("compare_share"), "options", "", [columns])

    def export_columns(self, question: Question) -> list[str]:
        """The columns of the chosen options (``chosen_columns``); the "other" text."""
        columns = self.chosen_columns(question)
        return [*columns, f"{question.key}_other"] if question.other else columns

    def export_cells(
        self, question: Question, rows: list[AnswerRow], language: str
    ) -> dict[str, Any]:
        """Fill the columns of the chosen options and the "other" text of one response."""
        if not rows:
            return {}
        chosen = [row.option_key for row in rows]
        cells = self.chosen_cells(question, chosen, language)
        other = [row.value_text for row in rows if row.option_key == "other"]
        if other:
            cells[f"{question.key}_other"] = other[0]
        return cells

    def export_variables(self, question: Question, language: str) -> dict[str, Variable]:
        """The chosen options as coded variables with value labels; the "other" text."""
        return choice_variables(question, language, single=self.partitions_respondents)

    def chosen_columns(self, question: Question) -> list[str]:
        """Return the export columns that say which options were chosen."""
        raise NotImplementedError

    def chosen_cells(
        self, question: Question, chosen: list[str | None], language: str
    ) -> dict[str, Any]:
        """Return the cells of ``chosen_columns`` for the chosen option keys."""
        raise NotImplementedError


class SingleChoice(ChoiceType):
    """Choose exactly one option."""

    name = "single_choice"
    fields = ("options", "other", "breakdown")
    can_break_down = True
    partitions_respondents = True
    finding_weight = 40

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check options, ``other`` and ``breakdown``."""
        spec = super().check(data, path, checker)
        if "breakdown" in data:
            spec["breakdown"] = checker.boolean(data["breakdown"], (*path, "breakdown"))
        return spec

    def chosen_columns(self, question: Question) -> list[str]:
        """The chosen key and its label."""
        return [question.key, f"{question.key}_label"]

    def chosen_cells(
        self, question: Question, chosen: list[str | None], language: str
    ) -> dict[str, Any]:
        """The chosen key and its label in ``language``."""
        return {
            question.key: chosen[0],
            f"{question.key}_label": option_label(question, chosen[0] or "", language),
        }

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        """The options' keys and labels, for the code column."""
        if column != question.key:
            return ""
        codes = [f"{o.key} = {text_of(o.label, language)}" for o in question.options]
        return "; ".join([*codes, "other = other"] if question.other else codes)

    def key_finding_candidates(self, summary: ChoiceSummary, k: int) -> list[Candidate]:
        """The most frequent option, if no hidden option could be as frequent."""
        options = summary.get("options", [])
        top = partition_leader(options, "count", summary["n"])
        return option_finding(
            "finding_single_choice", top, summary["n"], self.finding_weight, cells=options
        )

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """One option, earlier ones more likely."""
        return [(f"q.{question.key}", skewed([o.key for o in question.options], rng)[0])]

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Read the one chosen key; typing an "other" text alone chooses "other"."""
        chosen = [v for v in dict.fromkeys(form.getlist(f"q.{question.key}")) if v]
        other_text = self._other_text(question, form)
        if not chosen and other_text:
            chosen = ["other"]
        if not chosen:
            return Parsed(None)
        if len(chosen) > 1 or chosen[0] not in question.option_keys:
            return Parsed(error=NOT_AN_OPTION)
        if other_text and chosen != ["other"]:  # never drop the text without a word
            return Parsed(error=FieldError(OTHER_TEXT_UNCHOSEN, {"text": other_text}))
        error = self._other_error(chosen, other_text)
        if error:
            return Parsed(error=error)
        return Parsed((chosen, other_text if chosen == ["other"] else None))


class MultiChoice(ChoiceType):
    """Choose any number of options within ``min_choices``..``max_choices``."""

    name = "multi_choice"
    fields = ("options", "other", "min_choices", "max_choices")
    count_distinct = True
    finding_weight = 30

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check options, ``other`` and the choice limits."""
        spec = super().check(data, path, checker)
        for limit in ("min_choices", "max_choices"):
            if limit in data:
                spec[limit] = checker.integer(data[limit], (*path, limit), minimum=1)
        low, high = spec.get("min_choices"), spec.get("max_choices")
        if low and high and low > high:
            checker.error((*path, "min_choices"), S_("must not be larger than max_choices"))
        count = len(spec.get("options", ())) + (1 if spec.get("other") else 0)
        if spec.get("options") and low and low > count:
            checker.error(
                (*path, "min_choices"), S_("is larger than the %(count)d options"), count=count
            )
        return spec

    def chosen_columns(self, question: Question) -> list[str]:
        """One 0/1 column per option."""
        return [f"{question.key}.{option}" for option in question.option_keys]

    def chosen_cells(
        self, question: Question, chosen: list[str | None], language: str
    ) -> dict[str, Any]:
        """1 for each chosen option, 0 for the others."""
        keys = question.option_keys
        return {f"{question.key}.{option}": int(option in chosen) for option in keys}

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        """What 1 and 0 mean, for the option columns."""
        if column.startswith(f"{question.key}."):
            return "1 = chosen; 0 = not chosen; empty = not answered"
        return ""

    def key_finding_candidates(self, summary: ChoiceSummary, k: int) -> list[Candidate]:
        """The option chosen most often, if no hidden option could be chosen as often."""
        options = summary.get("options", [])
        top = leader(options, "count", most_hidden(options, k, summary["n"]))
        return option_finding(
            "finding_multi_choice", top, summary["n"], self.finding_weight, cells=options
        )

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """Some options within the limits, earlier ones more likely."""
        keys = [o.key for o in question.options]
        high = min(question.max_choices or len(keys), len(keys))
        low = min(question.min_choices or 1, high)
        return [(f"q.{question.key}", key) for key in skewed(keys, rng, rng.randint(low, high))]

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Read every chosen key, in the order of the options."""
        posted = {v for v in form.getlist(f"q.{question.key}") if v}
        other_text = self._other_text(question, form)
        if other_text:
            posted.add("other")
        if not posted:
            return Parsed(None)
        if not posted <= set(question.option_keys):
            return Parsed(error=NOT_AN_OPTION)
        chosen = [key for key in question.option_keys if key in posted]
        error = self._other_error(chosen, other_text)
        if error:
            return Parsed(error=error)
        if question.min_choices and len(chosen) < question.min_choices:
            message = N_("Please choose at least %(min)d of the options.")
            return Parsed(error=FieldError(message, {"min": question.min_choices}))
        if question.max_choices and len(chosen) > question.max_choices:
            message = N_("Please choose no more than %(max)d of the options.")
            return Parsed(error=FieldError(message, {"max": question.max_choices}))
        return Parsed((chosen, other_text or None))

    def shown_options(self, summary: ChoiceSummary) -> list[OptionCell]:
        """Return the options most chosen first (several may be chosen: no natural order)."""
        return sorted(summary["options"], key=lambda o: o.get("share") or 0, reverse=True)
