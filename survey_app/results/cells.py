"""The count cells of one summary: what ``disclosure`` protects, named by address.

A summary (a workshop, a series, a breakdown group) publishes counts: the number
of respondents, each question's n, its options, first places, likert points and
top-2 counts, "don't know" and who chose a point of a scale that offers it,
histogram bins, coded themes and free-text terms. ``add_part`` adds
them to a ``LinkedCells`` under ``(part, address)`` with the sums a reader knows
inside the summary (options add up to n, points to an item's n, top-2 to the top
points, bins to n; how many did not choose an option, or skipped a question, did
not use a term, is implied).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from survey_app.disclosure import LinkedCells
from survey_app.questions import question_type
from survey_app.questions.ranking import borda_points
from survey_app.questions.summaries import OptionTotal

#: A cell within a part's summary, e.g. ``("q1", "option", "a")``.
Address = tuple[Any, ...]
RESPONSES: Address = ("responses",)
#: Hiding cost per part level: a group's cell is cheapest, the series' dearest.
LEVEL_WEIGHT = {"group": 1.0, "workshop": 2.0, "series": 4.0}
#: Totals (n of a question or a group) cost this much more than the cells below them.
TOTAL_WEIGHT = 3.0


@dataclass
class PartCells:
    """The cells of one part: address -> cell index."""

    cells: LinkedCells
    part: Hashable
    #: Questions whose cells link the others (breakdown questions): the backbone.
    backbone: frozenset[str] = frozenset()
    addresses: dict[Address, int] = field(default_factory=dict)

    def block(self, address: Address) -> str | None:
        """Each question is a block; group sizes and breakdown questions link them."""
        if address == RESPONSES or address[0] in self.backbone:
            return None
        return str(address[0])


def add_part(
    cells: LinkedCells,
    part: Hashable,
    summary: dict[str, Any],
    weight: float,
    public_responses: bool = False,
    backbone: frozenset[str] = frozenset(),
) -> dict[Address, int]:
    """Add the cells of one part's summary and the sums inside it; return them by address.

    ``public_responses``: the part's number of respondents is public (a workshop's or
    a series'), not a group's size to protect.
    """
    target = PartCells(cells, part, backbone)

    def add(
        address: Address,
        value: int,
        *,
        published: bool = True,
        extra: float = 1.0,
        protected: bool = True,
    ) -> int:
        index = cells.add(
            (part, address),
            value,
            published=published,
            public=public_responses and address == RESPONSES,
            weight=weight * extra,
            block=target.block(address),
            protected=protected,
        )
        target.addresses[address] = index
        return index

    responses = add(RESPONSES, summary.get("n_responses", 0), extra=TOTAL_WEIGHT)
    for question in summary.get("questions", []):
        _add_question(cells, add, responses, question)
    return target.addresses


Add = Callable[..., int]


def _add_question(cells: LinkedCells, add: Add, responses: int, question: dict[str, Any]) -> None:
    """Add one question's cells: n, options, first places, items, points, bins, themes, terms."""
    key = question["key"]
    n = add((key,), question["n"], extra=TOTAL_WEIGHT)
    cells.below(n, responses)
    rest = cells.values[responses] - question["n"]
    skipped = add((key, "skipped"), rest, published=False, protected=False)
    cells.sum_of(responses, [n, skipped])
    _add_options(cells, add, n, question)
    _add_items(cells, add, n, question)
    bins = [
        add((key, "bin", b["low"], b["high"]), b["count"]) for b in question.get("histogram", [])
    ]
    if bins:
        cells.partition(n, bins)
    for theme in question.get("themes", []):
        coded = add((key, "theme", theme["key"]), theme["count"])
        _at_most(cells, add, coded, n, (key, "uncoded", theme["key"]))
    for term in question.get("terms", []):
        # each answer uses a term or not, like a multiple-choice option: every answer
        # using it is a unanimous answer, protected as such
        used = add((key, "term", term["term"]), term["count"])
        cells.below(used, n)
        _chosen_or_not(cells, add, n, used, (key, "without", term["term"]))


def _add_options(cells: LinkedCells, add: Add, n: int, question: dict[str, Any]) -> None:
    """Options (a partition of n, or each chosen or not) and ranking first places."""
    key = question["key"]
    options, firsts, totals = [], [], []
    kind = question_type(question["type"])
    partitions = kind.partitions_respondents
    spec = kind.option_total(question)
    base, answers = _dont_know(cells, add, n, question, (key,))
    for option in question.get("options", []):
        cell = add((key, "option", option["key"]), option["count"])
        cells.below(cell, base)
        options.append(cell)
        if spec is not None and option.get(spec.field) is not None:
            totals.append(_add_total(cells, add, (key, option["key"]), option, cell, spec))
        if not partitions:  # each option: chosen or not
            _chosen_or_not(cells, add, n, cell, (key, "unchosen", option["key"]))
        if "first_count" in option:
            first = add((key, "first", option["key"]), option["first_count"])
            rest = _at_most(cells, add, first, cell, (key, "later", option["key"]))
            firsts.append(first)
            _add_places(cells, add, key, option, first, rest)
    if partitions and options:
        cells.partition(n, options + answers)
        if base != n:  # who chose a point: the points' sum, without "don't know"
            cells.sum_of(base, options)
    elif options:
        _at_least_one(cells, add, n, options, key)
    if firsts:
        cells.partition(n, firsts)
    if spec is not None and spec.per_respondent and totals:  # the totals add up to N per answer
        value = sum(cells.values[total] for total in totals)
        everything = add((key, "total", "*"), value, published=False, protected=False)
        cells.sum_of(everything, totals)
        cells.weighted_sum(everything, [n], [float(spec.per_respondent)])


def _add_total(
    cells: LinkedCells, add: Add, at: tuple[str, str], option: dict[str, Any], count: int,
    spec: OptionTotal,
) -> int:  # fmt: skip
    """An option's total of values (printed) and its bounds: low to high per respondent.

    total = low * count + extra and extra + slack = (high - low) * count, with extra
    and slack never printed: a total of 1 point tells that one respondent gave it.
    """
    key, option_key = at
    total = add((key, "total", option_key), int(option[spec.field]), protected=False)
    cells.below(total, count)
    counted = cells.values[count]
    extra_value = cells.values[total] - spec.low * counted
    extra = add((key, "total above low", option_key), extra_value, published=False,
                protected=False)  # fmt: skip
    cells.weighted_sum(total, [count, extra], [float(spec.low), 1.0])
    width = spec.high - spec.low
    room = add((key, "total room", option_key), width * counted, published=False,
               protected=False)  # fmt: skip
    cells.weighted_sum(room, [count], [float(width)])
    slack = add((key, "total below high", option_key), width * counted - extra_value,
                published=False, protected=False)  # fmt: skip
    cells.sum_of(room, [extra, slack])
    return total


def _add_items(cells: LinkedCells, add: Add, n: int, question: dict[str, Any]) -> None:
    """Likert items: n, points (a partition of it) and the top-2 count (a sum of points)."""
    key = question["key"]
    top_points = set(question.get("top2_points", ()))
    for item in question.get("items", []):
        item_n = add((key, "item", item["key"]), item["n"], extra=TOTAL_WEIGHT)
        _at_most(cells, add, item_n, n, (key, "item skipped", item["key"]), protected=False)
        base, answers = _dont_know(cells, add, item_n, item, (key, item["key"]))
        points = {
            p["key"]: add((key, "point", item["key"], p["key"]), p["count"])
            for p in item.get("distribution", [])
        }
        for point in points.values():
            cells.below(point, base)
        cells.partition(item_n, list(points.values()) + answers)
        if base != item_n:
            cells.sum_of(base, list(points.values()))
        if "top2_count" in item:
            top = add((key, "top2", item["key"]), item["top2_count"])
            cells.below(top, base)
            cells.sum_of(top, [cell for point, cell in points.items() if point in top_points])


def _dont_know(
    cells: LinkedCells, add: Add, n: int, counted: dict[str, Any], at: Address
) -> tuple[int, list[int]]:
    """Add "don't know" and who chose a point, where a scale offers it (rating, likert item).

    Returns the total the points are shown under (who chose a point, ``n_scale``, or
    ``n`` itself) and the "don't know" cell to add to the answers that partition ``n``.
    ``n_scale`` is printed (the points' shares are of it): with ``n`` it would give a
    hidden "don't know" away, so the two are protected together.
    """
    cell = counted.get("dont_know")
    if cell is None or "n_scale" not in counted:
        return n, []
    scale = add((*at, "scale"), counted["n_scale"], extra=TOTAL_WEIGHT)
    cells.below(scale, n)
    dont_know = add((*at, "dont_know"), cell["count"])
    cells.below(dont_know, n)
    return scale, [dont_know]


def _add_places(
    cells: LinkedCells, add: Add, key: str, option: dict[str, Any], first: int, rest: int | None
) -> None:
    """A ranking option's places (never printed) and its Borda points (printed as a mean).

    The points are a weighted sum of the places (N for first, N-1 for second, ...), so
    with the first places and the count shown they would give the later places away:
    the places are protected cells, the points a cell that can be hidden.
    """
    places = option.get("place_counts")
    if not places or option.get("borda") is None:
        return
    size = len(places)
    later = [
        add((key, "place", option["key"], place), count, published=False)
        for place, count in enumerate(places[1:], start=2)
    ]
    if rest is not None and later:
        cells.sum_of(rest, later)
    total = add((key, "points", option["key"]), borda_points(places), protected=False)
    cells.below(total, first)
    weights = [float(size - place) for place in range(1, size)]
    cells.weighted_sum(total, [first, *later], [float(size), *weights])


def _chosen_or_not(cells: LinkedCells, add: Add, n: int, chosen: int, rest: Address) -> None:
    """Record that each of n answers chose ``chosen`` or not; ``rest``: those who did not.

    The two partition n (never printed, the rest is protected): where all n chose
    it, that is an answer everyone gave.
    """
    value = cells.values[n] - cells.values[chosen]
    cells.partition(n, [chosen, add(rest, value, published=False)])


def _at_least_one(cells: LinkedCells, add: Add, n: int, options: list[int], key: str) -> None:
    """Record that whoever answered a multiple-choice question chose at least one option.

    The choices made (never printed) are the sum of the options' counts and at least
    n: with 9 answers, none for t1 and t3, all 9 chose t2. Skipped where the counts
    add up to less (answers to options no longer listed).
    """
    choices = sum(cells.values[o] for o in options)
    surplus = choices - cells.values[n]
    if surplus < 0:
        return
    made = add((key, "choices"), choices, published=False, protected=False)
    cells.sum_of(made, options)
    extra = add((key, "choices beyond one"), surplus, published=False, protected=False)
    cells.sum_of(made, [n, extra])


def _at_most(
    cells: LinkedCells,
    add: Add,
    part: int,
    total: int,
    rest: Address,
    protected: bool = True,
) -> int | None:
    """Record that ``part`` is shown under ``total`` and is at most it.

    The difference is an implied cell ``rest`` (never printed): e.g. an item's n is
    at most its question's n (some skipped the item), a theme's count at most the
    answers coded. ``protected``: a rest of 1 to k-1 tells about someone's answer.
    """
    cells.below(part, total)
    value = cells.values[total] - cells.values[part]
    if value < 0:  # not a part of it after all (e.g. counted over other answers)
        return None
    slack = add(rest, value, published=False, protected=protected)
    cells.sum_of(total, [part, slack])
    cells.below(slack, total)
    return slack
