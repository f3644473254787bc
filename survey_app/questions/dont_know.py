"""The "don't know" of a scale (rating, likert): offered after the points, counted apart.

A question with ``dont_know: true`` offers one more choice after its points, in the
same radio group (choosing it replaces a point; Clear empties it). Its form value is
``dont_know``, which no point can take (a rating's points are numbers; a likert
scale point named ``dont_know`` is refused). It is stored as an answer row with
``option_key = 'dont_know'`` and ``value_num`` NULL (with its ``item_key`` on a
likert item): distinct from every point (they have a value) and from no answer (no
row), and left out of any ``AVG(value_num)`` an analyst writes.

In a summary, ``n`` counts everyone who answered (a "don't know" answers a required
question), ``n_scale`` those who chose a point: the base of the points' shares, the
mean, median and top-2 box; ``dont_know`` is a counted cell whose share is of all
``n``. The protection of small groups knows both (``results.cells``): the answers,
points and "don't know", partition ``n``, and ``n_scale`` is their sum without it.
Both fields are there only where the question offers "don't know".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.definition.checker import Checker
from survey_app.definition.errors import S_
from survey_app.definition.model import Question, Text, text_in
from survey_app.definition.source import Path
from survey_app.questions._figures import Wording, chart_label, percent
from survey_app.questions._tables import Cell, Row, Writer
from survey_app.questions.cells import languages_of, option_cell
from survey_app.questions.scales import dont_know_labels
from survey_app.questions.summaries import OptionCell

#: The form value and ``option_key`` of "don't know" (never a point's key).
DONT_KNOW = "dont_know"
#: How often simulated respondents (demo data) answer "don't know" where it is offered.
DONT_KNOW_RATE = 0.08
#: The instrument fields that say whether and how a scale offers "don't know".
FIELDS = ("dont_know", "dont_know_label")


def check_dont_know(data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
    """Check ``dont_know`` (true or false) and its optional ``dont_know_label``."""
    spec: dict[str, Any] = {}
    if "dont_know" in data:
        spec["dont_know"] = checker.boolean(data["dont_know"], (*path, "dont_know"))
    if "dont_know_label" in data:
        spec["dont_know_label"] = checker.text(data["dont_know_label"], (*path, "dont_know_label"))
        if not spec.get("dont_know"):
            checker.error((*path, "dont_know_label"), S_("needs 'dont_know: true'"))
    return spec


def label_of(question: Question) -> Text:
    """Return the label of "don't know" in the question's languages (its own, else ours)."""
    if question.dont_know_label:
        return dict(question.dont_know_label)
    defaults = dont_know_labels()
    return {lang: defaults.get(lang, defaults["en"]) for lang in languages_of(question)}


def label_in(question: Question, language: str) -> str:
    """Return the label of "don't know" in ``language`` (for exports)."""
    return text_in(label_of(question), language, "en")


def dont_know_cell(question: Question, count: int, answered: int) -> OptionCell:
    """Return the counted cell of "don't know": its share is of all ``answered``."""
    return option_cell(DONT_KNOW, label_of(question), count, answered)


def scale_n(summary: Mapping[str, Any]) -> int:
    """Return how many chose a point: the base of the points' shares and statistics."""
    return int(summary.get("n_scale", summary.get("n", 0)) or 0)


def dont_know_row(summary: Mapping[str, Any], w: Writer) -> list[Row]:
    """Return the table row of "don't know" (count, share of all who answered), if offered."""
    cell = summary.get("dont_know")
    if not cell:
        return []
    if cell.get("suppressed"):
        return [Row(w.label(cell), span=w.hidden(cell), apart=True)]
    counted = [Cell(w.numbers.number(cell["count"])), w.share_cell(cell), Cell(w.interval(cell))]
    return [Row(w.label(cell), counted, apart=True)]


def dont_know_share(summary: Mapping[str, Any], w: Writer) -> str:
    """Write "don't know" with its share (or why it is hidden) for a note; "" if not offered."""
    cell = summary.get("dont_know")
    if not cell:
        return ""
    return f"{w.label(cell)}: {w.share(cell)}"


def dont_know_note(summary: Mapping[str, Any], w: Writer) -> str:
    """Say what the shares are of, below a table of a scale that offers "don't know"."""
    if "dont_know" not in summary or "n_scale" not in summary:
        return ""  # not offered, or hidden with the points (no shares to explain)
    return w.texts("dont_know_note", n=w.numbers.number(summary["n_scale"]))


def chart_words(summary: Mapping[str, Any], words: Wording) -> str:
    """Write "don't know" with its share (or why it is hidden) on a chart; "" if not offered."""
    cell = summary.get("dont_know")
    share = cell and (words.hidden(cell) or percent(cell.get("share"), words.language))
    if not cell or not share:  # not offered, or nobody answered
        return ""
    return f"{chart_label(DONT_KNOW, cell.get('label'), words.language)}: {share}"
