"""Small-cell suppression: the one place where results are made safe to show.

Every summary, breakdown and comparison passes through one of the three public
functions here before it leaves the results engine (dashboard, API, PDF, exports).
They are pure: they take the unsuppressed dicts and return new ones.

Rules, with k = ``min_group_size``:

- A count cell (a question's n, an option, a ranking first place, a likert item's
  n, a likert point, a histogram bin, a breakdown group's or a workshop's
  responses) with ``0 < count < k`` is hidden. Zero is never hidden.
- Whatever lies below a hidden cell is hidden too (a hidden question hides its
  options, statistics and terms; a hidden item its distribution, mean, top-2).
- Complementary suppression: where cells add up to a shown total (the options of
  a type whose options partition its respondents, e.g. single choice and rating,
  vs the question's n, ranking first places vs n, a likert
  item's points vs its n, histogram bins vs n, and, across the parts of a split,
  each cell of the breakdown groups or workshops vs the whole), if exactly one
  non-zero cell is hidden, the next-smallest non-zero cell is hidden as well, so
  that the hidden one cannot be found by subtraction. Ties go to the earlier cell.
  This repeats until nothing changes (hiding a cell in one direction may require
  another in the other direction). A hidden cell that can be worked out anyway
  (the only non-zero one of its line, or a required question's n, which equals
  its part's n_responses) protects nothing; if what it should protect is small,
  the total above is hidden instead.
- Text terms are listed only if at least k answers use them.

This is a greedy heuristic, not an audited (linear programming) cell suppression:
in sparse tables with many zeros, sums combined over several rows and columns
can still pin down a small cell (see the random-table test). Scopes compared with
each other (e.g. workshops {A, B} and {A}) are not protected against each other
either: offer whole workshops and series, not arbitrary sets, to outsiders.
- Text terms are listed only if at least k answers use them.

A hidden thing keeps only what identifies it (key, type, label, value, bin edges,
workshop id/title/...) and gets ``"suppressed": true``; its numbers (n, count,
share, ci_low, ci_high, means, ...) are absent, never null. Statistics of a shown
thing that would give away a hidden cell are left out too (absent, no flag):

- a ranking option whose first places alone are hidden loses ``first_*`` and
  ``borda`` (top count and Borda points give first places away);
- a likert item with hidden points loses ``mean`` (mean and n pin down two hidden
  cells), and ``top2_*`` when the top box holds, or leaves out, exactly one hidden
  point (the top-2 count minus the shown points would give it away);
- a question with hidden options loses the statistics its type computes from the
  option counts (``option_statistics``: a rating's ``mean``; the median stays).

The n_responses of a whole scope is always shown; a breakdown group's or a
workshop's is a cell like any other. Every result carries ``"min_group_size": k``,
so readers can say "fewer than k".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from survey_app.questions import question_type

#: A count cell: ("responses",), (question,), (question, "option", key),
#: (question, "first", key), (question, "item", key),
#: (question, "point", item, key), (question, "bin", index).
Address = tuple[Any, ...]
RESPONSES: Address = ("responses",)
#: Fields a hidden thing keeps.
IDENTITY = ("key", "type", "label", "value", "low", "high", "id", "title", "municipality", "date")
#: Ranking fields derived from first places.
FIRST_FIELDS = ("first_count", "first_share", "first_ci_low", "first_ci_high", "borda")
#: Likert item fields of the top box.
TOP2_FIELDS = ("top2_count", "top2_share", "top2_ci_low", "top2_ci_high")


@dataclass
class Layout:
    """The count cells of one scope summary and how they relate."""

    counts: dict[Address, int] = field(default_factory=dict)
    parent: dict[Address, Address] = field(default_factory=dict)
    partitions: list[tuple[Address, list[Address]]] = field(default_factory=list)

    def add(self, address: Address, count: int, parent: Address | None) -> Address:
        """Record a cell below ``parent``; return its address."""
        self.counts[address] = count
        if parent is not None:
            self.parent[address] = parent
        return address


def suppress_summary(summary: dict[str, Any], k: int) -> dict[str, Any]:
    """Hide the small cells of a scope summary."""
    layout = layout_of(summary)
    hidden = decide(layout, k, set(), protect_responses=False)
    return {**apply(summary, hidden, k), "min_group_size": k}


def suppress_breakdown(breakdown: dict[str, Any], k: int) -> dict[str, Any]:
    """Hide small groups and small cells of a breakdown, also across its groups."""
    return {**breakdown, "groups": suppress_parts(breakdown["groups"], k), "min_group_size": k}


def suppress_comparison(comparison: dict[str, Any], k: int) -> dict[str, Any]:
    """Hide small workshops and small cells of a comparison, also across workshops."""
    workshops = suppress_parts(comparison["workshops"], k)
    return {**comparison, "workshops": workshops, "min_group_size": k}


def suppress_parts(parts: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """Hide small cells of parts that add up to a shown whole (groups, workshops)."""
    layouts = [layout_of(part) for part in parts]
    hidden = [decide(layout, k, set(), protect_responses=True) for layout in layouts]
    exposed: list[set[Address]] = [set() for _ in parts]
    while (changed := _complement_across(layouts, hidden, exposed, k)) is not None:
        hidden[changed] = decide(
            layouts[changed], k, hidden[changed], protect_responses=True, exposed=exposed[changed]
        )
    return [
        _hidden(part) if RESPONSES in cells else apply(part, cells, k)
        for part, cells in zip(parts, hidden, strict=True)
    ]


def layout_of(summary: dict[str, Any]) -> Layout:
    """Return the count cells of a summary (``n_responses`` + ``questions``)."""
    layout = Layout()
    layout.add(RESPONSES, summary.get("n_responses", 0), None)
    for question in summary.get("questions", []):
        key = question["key"]
        top = layout.add((key,), question["n"], RESPONSES)
        options, firsts = [], []
        for option in question.get("options", []):
            address = layout.add((key, "option", option["key"]), option["count"], top)
            options.append(address)
            if "first_count" in option:
                first = (key, "first", option["key"])
                firsts.append(layout.add(first, option["first_count"], address))
        if question_type(question["type"]).partitions_respondents and options:
            layout.partitions.append((top, options))
        if firsts:
            layout.partitions.append((top, firsts))
        for item in question.get("items", []):
            item_address = layout.add((key, "item", item["key"]), item["n"], top)
            points = [
                layout.add((key, "point", item["key"], p["key"]), p["count"], item_address)
                for p in item.get("distribution", [])
            ]
            if points:
                layout.partitions.append((item_address, points))
        bins = [
            layout.add((key, "bin", index), b["count"], top)
            for index, b in enumerate(question.get("histogram", []))
        ]
        if bins:
            layout.partitions.append((top, bins))
    return layout


def decide(
    layout: Layout,
    k: int,
    forced: set[Address],
    protect_responses: bool,
    exposed: set[Address] | None = None,
) -> set[Address]:
    """Return the cells to hide: small ones, forced ones, their children, complements.

    ``exposed`` collects hidden cells that can be worked out all the same: the only
    non-zero hidden cell of a shown total, or (in a part of a split) a question's
    n equal to the part's shown n_responses. They protect nothing, so the
    complement rules do not count them.
    """
    hidden = set(forced)
    exposed = exposed if exposed is not None else set()
    for address, count in layout.counts.items():
        if 0 < count < k and (protect_responses or address != RESPONSES):
            hidden.add(address)
    while True:
        before = len(hidden), len(exposed)
        for address, parent in layout.parent.items():  # parents come first
            if parent in hidden:
                hidden.add(address)
            elif (
                protect_responses
                and parent == RESPONSES
                and address in hidden
                and layout.counts[address] == layout.counts[RESPONSES]
            ):
                exposed.add(address)  # a required question: n_responses tells its n
        for total, members in layout.partitions:
            if total not in hidden or total in exposed:
                _complement(total, members, layout, hidden, exposed, k)
        if (len(hidden), len(exposed)) == before:
            return hidden


def _complement(
    total: Address,
    members: list[Address],
    layout: Layout,
    hidden: set[Address],
    exposed: set[Address],
    k: int,
) -> None:
    """Hide the next-smallest non-zero member if exactly one non-zero one is hidden.

    With no such member left, the total gives the hidden one away: if that one is
    small, the total is hidden too (or, if the total is exposed, what is above
    it); if not (it was only hidden as a complement), it is exposed.
    """
    counts = layout.counts
    shut = [m for m in members if m in hidden and m not in exposed]
    if len(shut) != 1 or counts[shut[0]] <= 0:
        return
    candidates = [m for m in members if m not in hidden and counts[m] > 0]
    if candidates:
        hidden.add(min(candidates, key=lambda m: counts[m]))
    elif counts[shut[0]] >= k:
        exposed.add(shut[0])
    elif total not in hidden:
        hidden.add(total)
    elif total in layout.parent:
        hidden.add(layout.parent[total])


def _complement_across(
    layouts: list[Layout], hidden: list[set[Address]], exposed: list[set[Address]], k: int
) -> int | None:
    """Hide or expose one cell by the complement rule across parts; return its part.

    If exactly one part hides a non-zero cell of an address, the smallest other
    non-zero cell of that address is hidden too. If there is none (the others are
    zero), the whole's cell equals the hidden one: at k or more the whole shows it,
    so it is exposed and its part must protect its neighbours without it. One cell
    at a time: the caller spreads it within its part before the next decision.
    """
    addresses = dict.fromkeys(a for layout in layouts for a in layout.counts)
    for address in addresses:
        if len(address) > 1 and address[1] == "bin":
            continue  # bin edges differ between parts: no common total
        members = [i for i, layout in enumerate(layouts) if address in layout.counts]
        shut = [i for i in members if address in hidden[i] and address not in exposed[i]]
        if len(shut) != 1 or layouts[shut[0]].counts[address] <= 0:
            continue
        candidates = [
            i for i in members if address not in hidden[i] and layouts[i].counts[address] > 0
        ]
        if candidates:
            pick = min(candidates, key=lambda i: layouts[i].counts[address])
            hidden[pick].add(address)
            return pick
        if layouts[shut[0]].counts[address] >= k:
            exposed[shut[0]].add(address)
            return shut[0]
    return None


def apply(summary: dict[str, Any], hidden: set[Address], k: int) -> dict[str, Any]:
    """Return a copy of ``summary`` with the ``hidden`` cells removed, terms >= k."""
    result = dict(summary)
    result["questions"] = [
        _apply_question(question, hidden, k) for question in summary.get("questions", [])
    ]
    return result


def _apply_question(question: dict[str, Any], hidden: set[Address], k: int) -> dict[str, Any]:
    key = question["key"]
    if (key,) in hidden:
        return _hidden(question)
    result = dict(question)
    if "options" in question:
        result["options"] = [_apply_option(key, o, hidden) for o in question["options"]]
        if any(o.get("suppressed") for o in result["options"]):
            for name in question_type(question["type"]).option_statistics:
                result.pop(name, None)
    if "items" in question:
        top = set(question.get("top2_points", ()))
        result["items"] = [_apply_item(key, item, hidden, top) for item in question["items"]]
    if "histogram" in question:
        result["histogram"] = [
            _hidden(b) if (key, "bin", i) in hidden else dict(b)
            for i, b in enumerate(question["histogram"])
        ]
    if "terms" in question:
        result["terms"] = [dict(t) for t in question["terms"] if t["count"] >= k]
    if "themes" in question:  # themes overlap, so no complement: each small count is hidden
        themes = question["themes"]
        result["themes"] = [_hidden(t) if 0 < t["count"] < k else dict(t) for t in themes]
    return _hide_small_counts_elsewhere(result, k)


#: The summary fields whose count cells the layout above knows (and complements).
KNOWN_CELLS = frozenset({"options", "items", "histogram", "terms", "themes"})


def _hide_small_counts_elsewhere(question: dict[str, Any], k: int) -> dict[str, Any]:
    """Hide small counts in any other list of cells a question type's summary carries.

    A type with a summary shape of its own is protected at least by the primary rule
    (counts of 1 to k-1 hidden) until the layout knows its cells and complements them.
    """
    for name, value in question.items():
        if name in KNOWN_CELLS or not isinstance(value, list):
            continue
        question[name] = [
            _hidden(cell) if isinstance(cell, dict) and _is_small(cell.get("count"), k) else cell
            for cell in value
        ]
    return question


def _is_small(count: Any, k: int) -> bool:
    return isinstance(count, int | float) and 0 < count < k


def _apply_option(key: str, option: dict[str, Any], hidden: set[Address]) -> dict[str, Any]:
    if (key, "option", option["key"]) in hidden:
        return _hidden(option)
    result = dict(option)
    if (key, "first", option["key"]) in hidden:
        for name in FIRST_FIELDS:
            result.pop(name, None)
    return result


def _apply_item(
    key: str, item: dict[str, Any], hidden: set[Address], top: set[str]
) -> dict[str, Any]:
    if (key, "item", item["key"]) in hidden:
        return _hidden(item)
    result = dict(item)
    if "distribution" not in item:
        return result
    shut = [
        p["key"] for p in item["distribution"] if (key, "point", item["key"], p["key"]) in hidden
    ]
    result["distribution"] = [
        _hidden(p) if p["key"] in shut else dict(p) for p in item["distribution"]
    ]
    if shut:
        result.pop("mean", None)
        inside = sum(1 for point in shut if point in top)
        if inside == 1 or len(shut) - inside == 1:
            for name in TOP2_FIELDS:
                result.pop(name, None)
    return result


def _hidden(thing: dict[str, Any]) -> dict[str, Any]:
    """Return what identifies ``thing``, marked suppressed, without its numbers."""
    return {**{name: thing[name] for name in IDENTITY if name in thing}, "suppressed": True}
