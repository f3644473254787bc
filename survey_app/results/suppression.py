"""Applying a protection decision to an output: the one place results are made safe to show.

Every summary, breakdown and comparison passes through ``apply_statuses`` before it
leaves the results engine (dashboard, API, PDF, exports). It is pure: it takes the
unsuppressed summary and a ``Lookup`` that gives each cell's status (from the
linked set's decision, ``results.protection``) and returns a new summary.

A hidden thing keeps only what identifies it (key, type, label, value, bin edges,
workshop id/title/...) and gets ``"suppressed": true`` with ``"reason"``:
``"small"`` (a count of 1 to k-1: "fewer than k"), ``"protects"`` (0 or at least k,
hidden so that a small group elsewhere cannot be worked out: "not shown (protects a
small group)") or ``"withheld"`` (any count: "not shown"; where labels of small
counts side by side would narrow each other down, and for sums of parts hidden
in different ways). Its numbers (n, count, share, ci_low, ci_high, means, ...) are absent,
never null. Below a hidden total (a question's n, a likert item's n, a group's
size) nothing is shown. Statistics of a shown thing that would give a hidden cell
away are left out too (absent, no flag):

- a ranking option whose first places are hidden loses ``first_*`` and ``borda``, and
  options without Borda points go last (by key): their place would bound them;
- an option's total of values (``option_total``: points given to it) that is hidden
  takes the fields computed from it along (share of points, mean points);
- a likert item with hidden points loses ``mean``; one whose top-2 count is hidden
  loses ``top2_*``;
- a rating or likert item that offers "don't know" has it protected as a cell; where
  the count of those who chose a point (``n_scale``) is hidden, so are its points;
- a question with hidden options loses the statistics its type computes from the
  option counts (``option_statistics``, e.g. a rating's mean and median); one with
  hidden histogram bins loses its mean, median and quartiles.

A free-text term is listed only where its count is shown (terms are cells of the
linked set's whole parts; a group lists none). Every result carries
``"min_group_size": k``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from survey_app.disclosure import LinkedCells, Status, protect
from survey_app.questions import question_type
from survey_app.questions.ranking import borda_points
from survey_app.questions.summaries import OptionTotal
from survey_app.results.cells import RESPONSES, Address, add_part

#: A cell's status in an output, given its address and count (None: no count).
Lookup = Callable[[Address, int | None], Status]
#: Fields a hidden thing keeps.
IDENTITY = ("key", "type", "label", "value", "low", "high", "id", "title", "municipality", "date")
#: Ranking fields derived from first places.
FIRST_FIELDS = ("first_count", "first_share", "first_ci_low", "first_ci_high", "borda")
#: Likert item fields of the top box.
TOP2_FIELDS = ("top2_count", "top2_share", "top2_ci_low", "top2_ci_high")
#: Number statistics that bins and n would narrow down.
NUMBER_STATISTICS = ("mean", "median", "q1", "q3")
REASONS = {
    Status.SMALL: "small",
    Status.PROTECTS: "protects",
    Status.WITHHELD: "withheld",
    Status.UNPUBLISHED: "protects",
}


def apply_statuses(summary: dict[str, Any], decided: Lookup, k: int) -> dict[str, Any]:
    """Return a copy of ``summary`` (``n_responses`` + ``questions``) with hidden cells hidden.

    A count of 1 to k-1 of this output's k is hidden as small whatever ``decided``
    says (an output covering series with different k takes the strictest).
    """

    def lookup(address: Address, value: int | None) -> Status:
        status = decided(address, value)
        if status == Status.SHOWN and address != RESPONSES and value is not None:
            return Status.SMALL if 0 < value < k else status
        return status

    status = lookup(RESPONSES, summary.get("n_responses"))
    if status != Status.SHOWN:  # a hidden group: its questions are hidden with it
        # "not shown": any count (neither "fewer than k" nor "protects" holds for each)
        questions = [hidden(q, Status.WITHHELD) for q in summary.get("questions", [])]
        return {**hidden(summary, status), "questions": questions, "min_group_size": k}
    result = dict(summary)
    result["questions"] = [_question(q, lookup, k) for q in summary.get("questions", [])]
    result["min_group_size"] = k
    return result


def suppress_summary(summary: dict[str, Any], k: int) -> dict[str, Any]:
    """Protect a summary on its own (no other output linked to it): for tests and previews."""
    cells = LinkedCells()
    addresses = add_part(cells, "whole", summary, 1.0, public_responses=True)
    status = protect(cells, k).status

    def lookup(address: Address, value: int | None) -> Status:
        index = addresses.get(address)
        return Status.PROTECTS if index is None else status[index]

    return apply_statuses(summary, lookup, k)


def hidden(thing: dict[str, Any], status: Status = Status.PROTECTS) -> dict[str, Any]:
    """Return what identifies ``thing``, marked suppressed with its reason, without numbers."""
    kept = {name: thing[name] for name in IDENTITY if name in thing}
    return {**kept, "suppressed": True, "reason": REASONS.get(status, "protects")}


def _question(question: dict[str, Any], lookup: Lookup, k: int) -> dict[str, Any]:
    key = question["key"]
    status = lookup((key,), question.get("n"))
    if status != Status.SHOWN:
        return hidden(question, status)
    result = dict(question)
    if "options" in question:
        kind = question_type(question["type"])
        total = kind.option_total(question)
        result["options"] = [_option(key, o, lookup, total) for o in question["options"]]
        if kind.ordered_by is not None:
            result["options"] = _in_published_order(result["options"], kind.ordered_by)
        _dont_know(result, question, lookup, (key,), "options")
        if any(o.get("suppressed") for o in result["options"]):
            for name in kind.option_statistics:
                result.pop(name, None)
    if "items" in question:
        result["items"] = [_item(key, item, lookup) for item in question["items"]]
    if "histogram" in question:
        result["histogram"] = [
            _cell(b, lookup((key, "bin", b["low"], b["high"]), b.get("count")))
            for b in question["histogram"]
        ]
        if any(b.get("suppressed") for b in result["histogram"]):
            for name in NUMBER_STATISTICS:
                result.pop(name, None)
    if "terms" in question:
        result["terms"] = [
            dict(t)
            for t in question["terms"]
            if lookup((key, "term", t["term"]), t["count"]) == Status.SHOWN
        ]
    if "themes" in question:
        result["themes"] = [
            _cell(t, lookup((key, "theme", t["key"]), t.get("count"))) for t in question["themes"]
        ]
    return _hide_small_counts_elsewhere(result, k)


#: The summary fields whose count cells the protection knows.
KNOWN_CELLS = frozenset({"options", "items", "histogram", "terms", "themes"})


def _hide_small_counts_elsewhere(question: dict[str, Any], k: int) -> dict[str, Any]:
    """Hide small counts in any other list of cells a question type's summary carries.

    A type with a summary shape of its own is protected at least by the primary rule
    (counts of 1 to k-1 hidden) until ``results.cells`` knows its cells.
    """
    for name, value in question.items():
        if name in KNOWN_CELLS or not isinstance(value, list):
            continue
        question[name] = [
            hidden(cell, Status.SMALL)
            if isinstance(cell, dict) and _is_small(cell.get("count"), k)
            else cell
            for cell in value
        ]
    return question


def _is_small(count: Any, k: int) -> bool:
    return isinstance(count, int | float) and 0 < count < k


def _cell(cell: dict[str, Any], status: Status) -> dict[str, Any]:
    return dict(cell) if status == Status.SHOWN else hidden(cell, status)


def _option(
    key: str, option: dict[str, Any], lookup: Lookup, total: OptionTotal | None = None
) -> dict[str, Any]:
    status = lookup((key, "option", option["key"]), option.get("count"))
    if status != Status.SHOWN:
        return hidden(option, status)
    result = dict(option)
    if total is not None and option.get(total.field) is not None:
        shown = lookup((key, "total", option["key"]), int(option[total.field]))
        if shown != Status.SHOWN:  # the total would narrow down a hidden count
            for name in (total.field, *total.derived):
                result.pop(name, None)
    places = result.pop("place_counts", None)
    if "first_count" in option:
        first = lookup((key, "first", option["key"]), option["first_count"])
        if first != Status.SHOWN:
            for name in FIRST_FIELDS:
                result.pop(name, None)
            result["first_reason"] = REASONS.get(first, "protects")
    if places is not None and "borda" in result:
        points = lookup((key, "points", option["key"]), borda_points(places))
        if points != Status.SHOWN:  # the points would tell how many ranked it 2nd, 3rd, ...
            result.pop("borda", None)
    return result


def _dont_know(
    result: dict[str, Any], counted: dict[str, Any], lookup: Lookup, at: Address, points: str
) -> None:
    """Protect "don't know" and who chose a point (``n_scale``) of a rating or likert item.

    Where ``n_scale`` is hidden, the points below it are hidden too ("not shown"):
    their shares are of it and would give it away.
    """
    cell = counted.get("dont_know")
    if cell is None:
        return
    result["dont_know"] = _cell(cell, lookup((*at, "dont_know"), cell.get("count")))
    if "n_scale" not in counted:
        return
    if lookup((*at, "scale"), counted["n_scale"]) != Status.SHOWN:
        del result["n_scale"]
        result[points] = [hidden(p, Status.WITHHELD) for p in result[points]]


def _in_published_order(options: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """Keep the order of the options that show ``field`` above 0; the others follow, by key.

    A ranking lists options by Borda points, a points question by points. An option whose
    value is hidden stands among those with none, ordered by key with them, whatever its
    value (as a choice question's hidden option stands among the options nobody chose):
    left between two shown ones it would tell that its value lies between theirs, and
    listed after those with none it would read as the smallest of all.
    """
    ordered = [o for o in options if (o.get(field) or 0) > 0]
    rest = sorted((o for o in options if not (o.get(field) or 0) > 0), key=lambda o: str(o["key"]))
    return ordered + rest


def _item(key: str, item: dict[str, Any], lookup: Lookup) -> dict[str, Any]:
    status = lookup((key, "item", item["key"]), item.get("n"))
    if status != Status.SHOWN:
        return hidden(item, status)
    result = dict(item)
    if "distribution" not in item:
        return result
    result["distribution"] = [
        _cell(p, lookup((key, "point", item["key"], p["key"]), p.get("count")))
        for p in item["distribution"]
    ]
    _dont_know(result, item, lookup, (key, item["key"]), "distribution")
    if "n_scale" in item and "n_scale" not in result:  # top-2 is of it too
        for name in TOP2_FIELDS:
            result.pop(name, None)
    if any(p.get("suppressed") for p in result["distribution"]):
        result.pop("mean", None)
    if "top2_count" in item:
        top = lookup((key, "top2", item["key"]), item["top2_count"])
        if top != Status.SHOWN:
            for name in TOP2_FIELDS:
                result.pop(name, None)
    return result
