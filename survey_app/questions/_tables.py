"""Table pieces the question types share: cells, rows, tables and the writer.

Each question type builds its summary table (``QuestionType.summary_table``) and
says its comparison columns (``QuestionType.comparison_columns``) with these. One
Jinja macro lays a ``Table`` out in the dashboard, the participants' results page
and the PDF briefing; every number is written here, in the reader's language
(through ``Writer``), so that templates only lay tables out. The briefing passes
its own texts (``texts.yaml``), the web pages their translated interface strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from survey_app.definition.model import text_in
from survey_app.questions._figures import wording
from survey_app.questions.hidden import hidden_key

#: At most this many option or item columns in one comparison table.
COLUMNS = 5


class TableTexts(Protocol):
    """The words of tables and alt texts, by key (``texts.yaml`` keys of the briefing).

    Texts may lack words ("" or the key itself): those of hidden cells
    (``hidden_small``, ``hidden_protects``, ``hidden_answers_small``,
    ``hidden_answers_protects``) then come from the chart words (``_figures.WORDS``),
    so that a table says what the chart beside it says (the web pages' texts and
    briefing templates from before these keys have none).
    """

    def __call__(self, key: str, **values: Any) -> str:
        """Return the text ``key`` with its ``{placeholders}`` filled."""
        ...

    def quote(self, text: str) -> str:
        """Put ``text`` in the language's quotation marks."""
        ...


class TableNumbers(Protocol):
    """How numbers, shares and intervals are written in one language."""

    def percent(self, share: float | None) -> str:
        """Write a share 0..1 as a whole percentage."""
        ...

    def interval(self, low: float | None, high: float | None) -> str:
        """Write an interval of shares."""
        ...

    def decimal(self, value: float | None, digits: int = 1) -> str:
        """Write a number with ``digits`` decimals."""
        ...

    def number(self, value: float | None) -> str:
        """Write a count or a measured number."""
        ...


@dataclass(frozen=True)
class Cell:
    """A written table cell; ``bar`` is the share (0..1) it writes, if it writes one."""

    text: str
    bar: float | None = None

    def __str__(self) -> str:
        """Return the text (templates write ``{{ cell }}``)."""
        return self.text

    @property
    def words(self) -> bool:
        """Say whether the cell writes words, no number (e.g. why it is hidden): may wrap."""
        return not any(character.isdigit() for character in self.text)


@dataclass
class Row:
    """A table row: a label and its cells, or one ``span`` note over all cells.

    ``apart``: the row is set apart from those above it (a scale's "don't know"
    after its points: another base of shares).
    """

    label: str
    cells: list[Cell] = field(default_factory=list)
    span: str | None = None
    apart: bool = False


@dataclass
class Table:
    """A compact table: the head (label column first), rows, a caption and a note below."""

    head: list[str]
    rows: list[Row]
    caption: str = ""
    note: str = ""


@dataclass(frozen=True)
class Writer:
    """Language, texts and number formats of one reader (a briefing or a web page)."""

    language: str
    texts: TableTexts
    numbers: TableNumbers
    k: int

    def label(self, thing: Mapping[str, Any]) -> str:
        """Return the label of an option, item or question in the reader's language."""
        return text_in(thing.get("label"), self.language, "en") or str(thing.get("key", ""))

    def share(self, cell: Mapping[str, Any], prefix: str = "") -> str:
        """Write a cell's share, or why it is hidden (``hidden``).

        A share left out without a reason (a statistic that would give a hidden cell
        away, such as a likert item's top two) is "not shown"; "" if there is none.
        """
        if hidden_key(cell, prefix):
            return self.hidden(cell, prefix)
        if f"{prefix}share" not in cell:
            return self.texts("not_shown")
        return self.numbers.percent(cell[f"{prefix}share"])

    def share_cell(self, cell: Mapping[str, Any], prefix: str = "") -> Cell:
        """Return a cell's share as a cell that may be drawn as a bar (never when hidden)."""
        share = cell.get(f"{prefix}share")
        shown = hidden_key(cell, prefix) is None and share is not None
        return Cell(self.share(cell, prefix), share if shown else None)

    def interval(self, cell: Mapping[str, Any], prefix: str = "") -> str:
        """Write a cell's 95 % interval (empty when it has none)."""
        return self.numbers.interval(cell.get(f"{prefix}ci_low"), cell.get(f"{prefix}ci_high"))

    def n_note(self, n: int) -> str:
        """Say how many answered, below a table."""
        return self.texts("n_note", n=self.numbers.number(n))

    def hidden(self, thing: Mapping[str, Any], prefix: str = "", answers: bool = False) -> str:
        """Say why a hidden cell is hidden, from its ``reason``; "" if it is shown.

        "fewer than k" (``reason: small``: a count of 1 to k-1) or "not shown (protects
        a small group)" (``protects``: not small, hidden so that a small count elsewhere
        cannot be worked out). ``prefix`` asks about the fields with that prefix
        (``first_``); ``answers`` words a whole question, likert item, group or workshop:
        "Fewer than k answered: not shown" or "Not shown, to protect a small group".
        """
        key = hidden_key(thing, prefix, answers)
        if key is None:
            return ""
        text = self.texts(key, k=self.k)
        return text if text not in ("", key) else wording(self.language, self.k).say(key)


def join_note(*parts: str) -> str:
    """Join the parts of a note with " · " (parts a reader has no words for are left out)."""
    return " · ".join(part for part in parts if part)


def rounding_note(shares: Sequence[float | None], w: Writer) -> str:
    """Say what rounded shares of one whole add up to where that is not 100 % ("" else).

    For shares that split a whole (a single choice's options, a rating's points, the
    points of a points allocation): 6, 6 and 7 of 19 are written 32 + 32 + 37 = 101 %,
    which a reader should not take for an error. Only where every share is shown: a
    hidden one is no rounding matter.
    """
    if not shares or any(share is None for share in shares):
        return ""
    written = [re.search(r"\d+", w.numbers.percent(share)) for share in shares]
    total = sum(int(found.group()) for found in written if found)
    if total == 100:
        return ""
    return w.texts("rounded_total", total=w.numbers.percent(total / 100))


def counted_rows(cells: list[Any], w: Writer) -> list[Row]:
    """Return a row per counted cell (option or theme): count, share and interval."""
    return [
        Row(w.label(c), span=w.hidden(c))
        if c.get("suppressed")
        else Row(
            w.label(c),
            [Cell(w.numbers.number(c["count"])), w.share_cell(c), Cell(w.interval(c))],
        )
        for c in cells
    ]


def counted_head(first: str, w: Writer) -> list[str]:
    """Return the head of a table of counted cells."""
    t = w.texts
    return [t(first), t("count"), t("share"), t("interval")]


@dataclass(frozen=True)
class ShareColumns:
    """Compare parts by one share of some options or items, in column groups.

    ``where`` names the list of the summary ("options" or "items"), ``prefix`` the
    share's field prefix ("", "first_", "top2_"), ``groups`` the ``(key, label)``
    columns of each table.
    """

    caption: str
    where: str
    prefix: str
    groups: list[list[tuple[str, str]]]


@dataclass(frozen=True)
class StatisticColumns:
    """Compare parts by n, mean and median."""


#: How a question is compared across workshops or breakdown groups.
Comparison = ShareColumns | StatisticColumns


def bars_alt_text(options: list[Any], n: int, w: Writer) -> str:
    """Describe a bar chart of option shares in words (the chart's alt text)."""
    parts = [f"{w.label(o)} {w.share(o)}" for o in options]
    return f"{w.texts('alt_bars', n=w.numbers.number(n))}: {'; '.join(parts)}."
