"""Tables of a briefing: one per question, and per question across workshops or groups.

Every number is written here (in the language's format), so that templates only
lay tables out. A hidden cell, group or question says why it is hidden (``Writer.hidden``:
"fewer than k" only where its count is 1 to k-1); free text never appears.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from survey_app.briefing.texts import Numbers, Texts
from survey_app.questions import question_type
from survey_app.questions._tables import Cell, Row, ShareColumns, Table
from survey_app.questions._tables import Writer as TableWriter

__all__ = ["Writer", "part_tables"]


@dataclass(frozen=True)
class Writer(TableWriter):
    """Language, texts (``texts.yaml``) and number formats of one briefing."""

    texts: Texts
    numbers: Numbers


def part_tables(
    question: dict[str, Any],
    parts: list[tuple[str, dict[str, Any]]],
    w: Writer,
    part_name: str,
) -> list[Table]:
    """Return tables comparing ``question`` across parts (workshops or breakdown groups).

    ``question`` is the whole scope's summary (it picks and labels the columns);
    ``parts`` are ``(row label, part)`` with the part's ``n_responses`` and
    ``questions`` (full or compact), or ``suppressed``.
    """
    if question.get("suppressed") or not question.get("n"):
        return []
    columns = question_type(question["type"]).comparison_columns(question, w)
    if columns is None:
        return []
    if not isinstance(columns, ShareColumns):
        return [_statistics_table(question, parts, w, part_name)]
    tables = []
    for group in columns.groups:
        head = [part_name, "n", *(label for _, label in group)]

        def shares(found: dict[str, Any], group: list[tuple[str, str]] = group) -> list[Cell]:
            cells = {c["key"]: c for c in found.get(columns.where, [])}
            return [
                Cell(w.numbers.number(found["n"])),
                *(_cell(cells.get(k), columns.prefix, w) for k, _ in group),
            ]

        tables.append(Table(head, _part_rows(question, parts, w, shares), caption=columns.caption))
    return tables


def _part_rows(
    question: dict[str, Any],
    parts: list[tuple[str, dict[str, Any]]],
    w: Writer,
    cells: Callable[[dict[str, Any]], list[Cell]],
) -> list[Row]:
    """One row per part: its ``cells`` of the question, or a note if it has no numbers."""
    rows = []
    for label, part in parts:
        found = _question_of(part, question["key"])
        span = _span(part, found, w)
        rows.append(Row(label, span=span) if span or found is None else Row(label, cells(found)))
    return rows


def _cell(cell: dict[str, Any] | None, prefix: str, w: Writer) -> Cell:
    """Write one comparison cell: its share, why it is hidden, or "–" if empty."""
    if cell is None or (not cell.get("suppressed") and cell.get("n") == 0):
        return Cell("–")  # a likert item nobody in this part answered
    return w.share_cell(cell, prefix)


def _statistics_table(
    question: dict[str, Any], parts: list[tuple[str, dict[str, Any]]], w: Writer, part_name: str
) -> Table:
    t, n = w.texts, w.numbers

    def statistics(found: dict[str, Any]) -> list[Cell]:
        mean = found.get("mean")
        return [
            Cell(n.number(found["n"])),
            Cell(n.decimal(mean) if mean is not None else t("not_shown")),
            Cell(n.number(found.get("median"))),
        ]

    rows = _part_rows(question, parts, w, statistics)
    hidden = any(cell.text == t("not_shown") for r in rows for cell in r.cells)
    note = t("not_shown_note") if hidden else ""
    return Table([part_name, "n", t("mean"), t("median")], rows, note=note)


def _span(part: dict[str, Any], question: dict[str, Any] | None, w: Writer) -> str | None:
    """Return the note of a row that has no numbers (hidden or empty), else None."""
    if part.get("suppressed"):
        return w.hidden(part, answers=True)
    if question is None or not part.get("n_responses"):
        return w.texts("no_answers")
    if question.get("suppressed"):
        return w.hidden(question, answers=True)
    if not question.get("n"):
        return w.texts("no_answers")
    return None


def _question_of(part: dict[str, Any], key: str) -> dict[str, Any] | None:
    for question in part.get("questions", []):
        if question["key"] == key:
            return question
    return None
