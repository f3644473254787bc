"""Tables of a briefing: one per question, and per question across workshops or groups.

Every number is written here (in the language's format), so that templates only
lay tables out. Hidden cells are written "fewer than k"; free text never appears.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from survey_app.briefing.figures import TEXT_TYPES, top_labels
from survey_app.briefing.texts import Numbers, Texts
from survey_app.definition.model import text_in

#: At most this many option or item columns in one comparison table.
COLUMNS = 5


@dataclass
class Row:
    """A table row: a label and its cells, or one ``span`` note over all cells."""

    label: str
    cells: list[str] = field(default_factory=list)
    span: str | None = None


@dataclass
class Table:
    """A compact table: the head (label column first), rows and a note below."""

    head: list[str]
    rows: list[Row]
    caption: str = ""
    note: str = ""


@dataclass(frozen=True)
class Writer:
    """Language, texts and number formats of one briefing."""

    language: str
    texts: Texts
    numbers: Numbers
    k: int

    def label(self, thing: dict[str, Any]) -> str:
        """Return the label of an option, item or question in the briefing's language."""
        return text_in(thing.get("label"), self.language, "en") or str(thing.get("key", ""))

    def share(self, cell: dict[str, Any], prefix: str = "") -> str:
        """Write a cell's share, or "fewer than k" when it is hidden."""
        if cell.get("suppressed") or cell.get(f"{prefix}share") is None:
            return self.fewer
        return self.numbers.percent(cell[f"{prefix}share"])

    def interval(self, cell: dict[str, Any], prefix: str = "") -> str:
        """Write a cell's 95 % interval (empty when it has none)."""
        return self.numbers.interval(cell.get(f"{prefix}ci_low"), cell.get(f"{prefix}ci_high"))

    @property
    def fewer(self) -> str:
        """Say "fewer than k"."""
        return self.texts("fewer_than", k=self.k)


def question_table(question: dict[str, Any], w: Writer) -> Table | None:
    """Return the compact table of one (shown) question, or None for free text."""
    t, n = w.texts, w.numbers
    kind = question["type"]
    if question.get("suppressed") or not question.get("n"):
        return None
    note = t("n_note", n=n.number(question["n"]))
    if kind in TEXT_TYPES:  # never the texts; only how many were coded with each theme
        if not question.get("themes"):
            return None
        head = [t("theme"), t("count"), t("share"), t("interval")]
        rows = [
            Row(w.label(c), span=w.fewer)
            if c.get("suppressed")
            else Row(w.label(c), [n.number(c["count"]), w.share(c), w.interval(c)])
            for c in question["themes"]
        ]
        return Table(head, rows, note=note)
    if kind in ("single_choice", "multi_choice", "rating"):
        head = [t("answer"), t("count"), t("share"), t("interval")]
        options = list(question.get("options", []))
        if kind == "multi_choice":  # in the chart's order: most chosen first
            options.sort(key=lambda o: o.get("share") or 0, reverse=True)
        rows = [
            Row(w.label(o), span=w.fewer)
            if o.get("suppressed")
            else Row(w.label(o), [n.number(o["count"]), w.share(o), w.interval(o)])
            for o in options
        ]
        if kind == "rating" and question.get("mean") is not None:
            note += " · " + t("mean_note", mean=n.decimal(question["mean"]))
        if kind == "rating" and question.get("median") is not None:
            note += " · " + t("median_note", median=n.number(question["median"]))
        return Table(head, rows, note=note)
    if kind == "ranking":
        head = [t("option"), t("ranked_first"), t("interval"), t("in_top", rank=question["rank"])]
        head.append(t("points"))
        rows = []
        for o in question.get("options", []):
            if o.get("suppressed"):
                rows.append(Row(w.label(o), span=w.fewer))
                continue
            first = "first_share" in o
            borda = n.decimal(o["borda"], 2) if o.get("borda") is not None else ""
            rows.append(
                Row(
                    w.label(o),
                    [
                        w.share(o, "first_") if first else w.fewer,
                        w.interval(o, "first_") if first else "",
                        w.share(o, "top_"),
                        borda,
                    ],
                )
            )
        return Table(head, rows, note=note + " · " + t("points_note", rank=question["rank"]))
    if kind == "likert":
        head = [t("statement"), "n", t("top2"), t("interval"), t("mean")]
        rows = []
        for item in question.get("items", []):
            if item.get("suppressed"):
                rows.append(Row(w.label(item), span=w.fewer))
                continue
            has_top = item.get("top2_share") is not None
            rows.append(
                Row(
                    w.label(item),
                    [
                        n.number(item["n"]),
                        w.share(item, "top2_") if has_top else t("not_shown"),
                        w.interval(item, "top2_") if has_top else "",
                        n.decimal(item.get("mean")),
                    ],
                )
            )
        top = top_labels(question, w.language, t)
        return Table(head, rows, note=note + " · " + t("top2_note", top=top))
    if kind == "number":
        unit = text_in(question.get("unit"), w.language, "en")
        rows = [
            Row(t("mean"), [n.number(round(question["mean"], 1))])
            if question.get("mean") is not None
            else Row(t("mean"), span=t("not_shown")),
            Row(t("median"), [n.number(question.get("median"))]),
            Row(
                t("quartiles"),
                [f"{n.number(question.get('q1'))}–{n.number(question.get('q3'))}"],
            ),
        ]
        return Table([t("statistic"), unit or t("value")], rows, note=note)
    return None


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
    kind = question["type"]
    if kind in TEXT_TYPES or question.get("suppressed") or not question.get("n"):
        return []
    t = w.texts
    if kind in ("single_choice", "multi_choice"):
        options = [o for o in question.get("options", []) if o.get("share")]
        options.sort(key=lambda o: o["share"], reverse=True)
        columns = [[(o["key"], w.label(o)) for o in options[:COLUMNS]]]
        caption, field, where = t("compare_share"), "share", "options"
    elif kind == "ranking":
        columns = [[(o["key"], w.label(o)) for o in question.get("options", [])[:COLUMNS]]]
        caption, field, where = t("compare_first"), "first_share", "options"
    elif kind == "likert":
        items = [(i["key"], w.label(i)) for i in question.get("items", [])]
        columns = [items[i : i + COLUMNS] for i in range(0, len(items), COLUMNS)]
        top = top_labels(question, w.language, t)
        caption, field, where = t("compare_top2", top=top), "top2_share", "items"
    elif kind in ("rating", "number"):
        return [_statistics_table(question, parts, w, part_name)]
    else:
        return []
    tables = []
    prefix = field.removesuffix("share")
    for chunk in columns:
        head = [part_name, "n", *(label for _, label in chunk)]

        def shares(found: dict[str, Any], chunk: list[tuple[str, str]] = chunk) -> list[str]:
            cells = {c["key"]: c for c in found.get(where, [])}
            return [
                w.numbers.number(found["n"]),
                *(_cell(cells.get(k), prefix, w) for k, _ in chunk),
            ]

        tables.append(Table(head, _part_rows(question, parts, w, shares), caption=caption))
    return tables


def _part_rows(
    question: dict[str, Any],
    parts: list[tuple[str, dict[str, Any]]],
    w: Writer,
    cells: Callable[[dict[str, Any]], list[str]],
) -> list[Row]:
    """One row per part: its ``cells`` of the question, or a note if it has no numbers."""
    rows = []
    for label, part in parts:
        found = _question_of(part, question["key"])
        span = _span(part, found, w)
        rows.append(Row(label, span=span) if span or found is None else Row(label, cells(found)))
    return rows


def _cell(cell: dict[str, Any] | None, prefix: str, w: Writer) -> str:
    """Write one comparison cell: its share, "fewer than k" if hidden, "–" if empty."""
    if cell is None or (not cell.get("suppressed") and cell.get("n") == 0):
        return "–"  # a likert item nobody in this part answered
    return w.share(cell, prefix)


def _statistics_table(
    question: dict[str, Any], parts: list[tuple[str, dict[str, Any]]], w: Writer, part_name: str
) -> Table:
    t, n = w.texts, w.numbers

    def statistics(found: dict[str, Any]) -> list[str]:
        mean = found.get("mean")
        return [
            n.number(found["n"]),
            n.decimal(mean) if mean is not None else t("not_shown"),
            n.number(found.get("median")),
        ]

    rows = _part_rows(question, parts, w, statistics)
    note = t("not_shown_note") if any(t("not_shown") in r.cells for r in rows) else ""
    return Table([part_name, "n", t("mean"), t("median")], rows, note=note)


def _span(part: dict[str, Any], question: dict[str, Any] | None, w: Writer) -> str | None:
    """Return the note of a row that has no numbers (hidden or empty), else None."""
    if part.get("suppressed"):
        return w.texts("fewer_than_responses", k=w.k)
    if question is None or not part.get("n_responses"):
        return w.texts("no_answers")
    if question.get("suppressed"):
        return w.texts("fewer_than_answers", k=w.k)
    if not question.get("n"):
        return w.texts("no_answers")
    return None


def _question_of(part: dict[str, Any], key: str) -> dict[str, Any] | None:
    for question in part.get("questions", []):
        if question["key"] == key:
            return question
    return None
