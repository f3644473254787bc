"""What every question type provides: definition check, parsing, answer rows, and more.

A question type is one class in one module of this package. It checks its part of
an instrument definition, reads its fields from a posted form (``q.<key>...``, as
fixed in the design), turns the value into answer rows, and turns stored rows back
into form values for editing, and summarizes its answers in a scope from the grouped
rows that ``survey_app.results`` fetches (shared helpers live in ``questions.cells``).
It offers its key findings to the briefing (``questions.findings``), explains its
export columns in the codebook and simulates answers for the demo. Class attributes
say what it is (free text, can break results down, partitions its respondents, ...),
so that no code outside this package needs to name a type; its participant template
is ``templates/participate/questions/<name>.html``. ``HOOKS`` lists what a type must
implement.

It also shows its (suppressed) summary: the dashboard/presenter figure (``figure``),
its print version (``print_figure``) and alt text (``alt_text``), its summary table
(``summary_table``) and how it is compared across workshops or groups
(``comparison_columns``). The results engine and the briefing only call these; the
pieces several types share live in ``_figures`` and ``_tables``.

The form is not built from WTForms fields: which questions are required depends on
other answers (``show_if``), and each type needs its own field names. The types
parse the posted ``MultiDict`` themselves; Flask-WTF still guards the form (CSRF).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from werkzeug.datastructures import MultiDict

from survey_app.definition.checker import Checker
from survey_app.definition.model import Question, Text, text_in
from survey_app.definition.source import Path
from survey_app.i18n import N_
from survey_app.models._text import storable
from survey_app.questions._figures import Figure, Wording, print_height
from survey_app.questions._tables import Comparison, Table, Writer
from survey_app.questions.data import ScopeData
from survey_app.questions.findings import Candidate
from survey_app.questions.summaries import OptionTotal
from survey_app.questions.variables import Variable, plain_variables


@dataclass(frozen=True)
class AnswerRow:
    """One row of the ``answer`` table, before it is given its ids."""

    question_key: str
    item_key: str | None = None
    option_key: str | None = None
    value_num: float | None = None
    value_text: str | None = None


@dataclass(frozen=True)
class FieldError:
    """A message for the participant; ``message`` is a translatable msgid.

    A message with a count has its ``plural`` msgid too; ``count`` picks the form.
    """

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    plural: str = ""
    count: int = 0


@dataclass(frozen=True)
class Parsed:
    """A parsed answer: its value (None when unanswered) or an error."""

    value: Any = None
    error: FieldError | None = None


NEEDS_ANSWER = FieldError(N_("Please answer this question."))

#: The hooks every type implements, each with the class attribute that says whether it
#: applies: a type for which that attribute is false may leave the hook to this base
#: class, which then does nothing (``tests/test_question_registry.py`` checks this).
HOOKS: dict[str, str] = {
    "check": "fields",
    "parse": "answerable",
    "rows": "answerable",
    "form_values": "answerable",
    "summarize": "answerable",
    "key_finding_candidates": "has_key_findings",
    "codebook_codes": "has_codes",
    "simulated_fields": "answerable",
    "figure": "answerable",
    "summary_table": "answerable",
    "alt_text": "quantitative",
    "comparison_columns": "quantitative",
}

#: The summary shape of a question type (``questions.summaries``).
SummaryT = TypeVar("SummaryT")


class QuestionType(Generic[SummaryT]):
    """Base of all question types; subclasses set ``name`` and override methods.

    A type is generic in the shape of its summary: ``summarize`` returns it and the
    hooks that show a summary take it.
    """

    #: The ``type:`` of the question in instrument files.
    name: ClassVar[str]
    #: Fields this type accepts beyond the common ones (key, type, label, ...).
    fields: ClassVar[tuple[str, ...]] = ()
    #: Whether participants answer it (``info`` does not).
    answerable: ClassVar[bool] = True
    #: Which grouped rows its summary reads: options, items or values (results.tables).
    summary_family: ClassVar[str | None] = "options"
    #: Whether its n needs COUNT(DISTINCT response_id): one answer is several rows and
    #: no single row stands for it.
    count_distinct: ClassVar[bool] = False
    #: Whether its answers are free text: moderated and coded before a briefing may quote
    #: them, never charted in a briefing, summarized by frequent terms and themes.
    free_text: ClassVar[bool] = False
    #: Whether results may be split by its options (when the question says ``breakdown: true``).
    can_break_down: ClassVar[bool] = False
    #: Whether its options partition its respondents (each chose exactly one), so that
    #: the options add up to the question's n and a hidden one needs a complement.
    partitions_respondents: ClassVar[bool] = False
    #: Summary fields computed from the option counts: left out when an option is hidden
    #: (together with the shown options they would give the hidden count away).
    option_statistics: ClassVar[tuple[str, ...]] = ()
    #: The option field its summary orders options by, most first (None: the
    #: instrument's order). After protection, options without it (hidden) stand among
    #: those with 0, all by key: a hidden option's place between two shown ones would
    #: bound its value.
    ordered_by: ClassVar[str | None] = None
    #: Whether its answers are counted into shares or statistics: charted on paper (with
    #: alt text) and compared across workshops and groups. Free text is not.
    quantitative: ClassVar[bool] = True
    #: Whether its summary can give key findings (``key_finding_candidates``).
    has_key_findings: ClassVar[bool] = True
    #: Whether its export columns hold codes that the codebook explains (``codebook_codes``).
    has_codes: ClassVar[bool] = True
    #: When its key findings take their turn: lower weights first (``questions.findings``).
    finding_weight: ClassVar[int] = 0
    #: Whether its summary bins numbers (``ScopeData.value_spans`` lines the bins up).
    binned: ClassVar[bool] = False

    @property
    def participant_template(self) -> str:
        """Return the template that shows the question in the participant's form."""
        return f"participate/questions/{self.name}.html"

    #: Whether the participants' results page shows it (if the facilitators allow it).
    participant_results: ClassVar[bool] = False

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check the type's own fields; return keyword arguments for ``Question``."""
        return {}

    def field_names(self, question: Question) -> list[str]:
        """Return the names of the form fields the question posts."""
        return [f"q.{question.key}"]

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Read the question's value from a posted form."""
        raise NotImplementedError

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """Turn a parsed value into answer rows."""
        raise NotImplementedError

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        """Turn stored answer rows back into form fields (to edit an answer)."""
        raise NotImplementedError

    def export_columns(self, question: Question) -> list[str]:
        """Return the column names of the question in a raw-data export (one row per response)."""
        return [question.key] if self.answerable else []

    def export_cells(
        self, question: Question, rows: list[AnswerRow], language: str
    ) -> dict[str, Any]:
        """Return the export cells of one response's rows (absent columns stay empty)."""
        for row in rows:
            return {question.key: row.value_text if row.value_text is not None else row.value_num}
        return {}

    def export_variables(self, question: Question, language: str) -> dict[str, Variable]:
        """Say how each export column is kept in a statistics file (SPSS, Stata).

        Numbers stay numbers, free text and the "other" text are text; a type whose
        columns hold codes gives them value labels (``questions.variables``).
        """
        return plain_variables(self.export_columns(question), question, self.free_text)

    def chosen_keys(self, value: Any) -> set[str]:
        """Return the option keys a value stands for (for ``show_if``)."""
        return set()

    def summarize(self, question: Question, data: ScopeData) -> SummaryT | None:
        """Summarize the question's answers in a scope; None if it has no summary.

        ``data`` holds the scope's grouped answer rows, fetched once for all
        questions. Summaries are unsuppressed: ``results.suppression`` hides small
        cells afterwards, in one place, before anything leaves the results engine.
        """
        if self.answerable:
            raise NotImplementedError
        return None

    def option_total(self, summary: SummaryT) -> OptionTotal | None:
        """Say which option field is a total of values, for its protection (None: none)."""
        return None

    def key_finding_candidates(self, summary: SummaryT, k: int) -> list[Candidate]:
        """Return the key findings a suppressed summary of the question offers.

        ``summary`` is the question's summary after suppression, not itself hidden and
        with answers (n > 0); ``k`` is the smallest group shown. A finding may only
        use shown cells, and call something "most" only when no hidden cell could be
        larger. Candidates are data (``questions.findings``); the briefing words them.
        """
        if self.has_key_findings:
            raise NotImplementedError
        return []

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        """Return the codes the codebook gives for one export column of the question.

        ``column`` is one of ``export_columns(question)``; the result is "" for a
        column without codes (a label or an "other" text). Labels in ``language``.
        """
        if self.has_codes:
            raise NotImplementedError
        return ""

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        """Return the posted fields of a plausible answer, for demo data (maybe none).

        ``texts`` are sample free-text answers in the respondent's language. Every draw
        comes from ``rng``: the demo data depend on the exact sequence of draws, so a
        change to it changes every later simulated answer.
        """
        if self.answerable:
            raise NotImplementedError
        return []

    # Showing a summary. ``summary`` is the type's summary after suppression, shown
    # (not suppressed) and answered (n > 0); hidden cells carry ``suppressed``.

    def figure(self, summary: SummaryT, words: Wording) -> Figure | None:
        """Return the dashboard/presenter figure of a summary (None: nothing to draw).

        ``words`` holds the chart words and the language of the labels. The briefing
        prints the same figure (see ``print_figure``).
        """
        if self.answerable:
            raise NotImplementedError
        return None

    def print_figure(self, figure: Figure, extra_height: int) -> Figure | None:
        """Adjust a copy of the type's figure for paper; None: no chart on paper.

        The bar labels are already wrapped; ``extra_height`` is the room the wrapped
        lines need. By default bars are drawn lower than on a screen.
        """
        print_height(figure, extra_height)
        return figure

    def alt_text(self, summary: SummaryT, w: Writer) -> str | None:
        """Describe the printed chart in words with its main numbers (None: "Chart")."""
        if self.quantitative:
            raise NotImplementedError
        return None

    def summary_table(self, summary: SummaryT, w: Writer) -> Table | None:
        """Return the compact table of a summary: head, rows of written cells, note.

        The same table is shown on the dashboard, the participants' results page and
        in the briefing (one macro lays it out); None if the type has none.
        """
        if self.answerable:
            raise NotImplementedError
        return None

    def comparison_columns(self, summary: SummaryT, w: Writer) -> Comparison | None:
        """Say how the question is compared across workshops or breakdown groups.

        ``summary`` is the whole scope's; it picks and labels the columns. None: the
        type is not compared.
        """
        if self.quantitative:
            raise NotImplementedError
        return None

    def participant_head(self, question: dict[str, Any], w: Writer) -> tuple[list[str], str]:
        """Return the head of its participants' results table and a note on what the share is."""
        return [w.texts("answer"), w.texts("share")], ""

    def participant_parts(self, summary: dict[str, Any]) -> list[dict[str, Any]]:
        """Return the parts of a (protected) summary that the participants' results page
        shows, each with ``options`` counted over the same respondents: the summary
        itself, or one part per item of a matrix (``item``: the item's label)."""
        return [summary]


def text_of(text: Text, language: str) -> str:
    """Return an instrument text in ``language``, else in its first language."""
    return text_in(text, language, next(iter(text), ""))


def first_value(form: MultiDict[str, str], name: str) -> str:
    """Return the first non-empty posted value of ``name``, trimmed."""
    for value in form.getlist(name):
        if value.strip():
            return clean_text(value)
    return ""


def clean_text(value: str) -> str:
    """Trim text; drop what cannot be stored (NUL, other control characters, surrogates).

    Line breaks become ``\n`` (a browser sends CRLF), so a length counts what was typed,
    as the browser's ``maxlength`` does.
    """
    value = storable(value.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.encode("utf-8", "replace").decode("utf-8")
    return unicodedata.normalize("NFC", value).strip()


def format_number(value: float) -> str:
    """Write a stored number back the way a participant would type it."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
