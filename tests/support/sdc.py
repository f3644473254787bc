"""Small-group protection under test: linked tables from counts, and a reader who attacks them.

``linked_table`` builds the linked set of a series from counts per (workshop,
breakdown group, answer), the way ``results.linked.linked_cells`` does from the
database (the same part summaries, the same sums across parts), so that the pure
disclosure code can be tested without a database.

``Reader`` is an independent audit: it knows nothing of ``LinkedCells``; its unknowns
are how many respondents of each kind (workshop, group, answer) there are, and every
number or label it reads is a linear constraint on them. Integer programming then
gives the smallest and largest value of any count that is consistent with all it
read. A small count is protected when that range reaches from 1 to k-1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from survey_app.disclosure import LinkedCells, Status
from survey_app.disclosure.protect import cover
from survey_app.results.cells import LEVEL_WEIGHT
from survey_app.results.linked import LinkedTable, _residual, _same_size, _series_sums

#: A kind of respondent: ``(workshop, group or None, answer or None)``.
Kind = tuple[Any, Any, Any]
#: A linear form over kinds: kind index -> coefficient.
Form = dict[int, float]
#: Upper bound of any one count in a reader's programs (and the big M of "0 or k+").
BIG = 100_000.0


# --- linked tables from counts -----------------------------------------------------------


def choice_question(key: str, counts: Mapping[str, int], kind: str = "single_choice") -> dict:
    """Return an unsuppressed single- (or multi-) choice summary with ``counts`` per option."""
    n = sum(counts.values()) if kind == "single_choice" else None
    return {
        "key": key,
        "type": kind,
        "n": n,
        "options": [{"key": option, "count": count} for option, count in counts.items()],
    }


def part_summary(n_responses: int, *questions: dict) -> dict:
    """Return an unsuppressed summary of one part."""
    return {"n_responses": n_responses, "questions": list(questions)}


def linked_table(
    counts: Mapping[Kind, int],
    workshops: Sequence[int],
    groups: Sequence[str],
    options: Sequence[str],
    breakdown: str = "group",
    question: str = "lang",
) -> LinkedTable:
    """Return the linked set of a series from counts per ``(workshop, group, option)``.

    A group or option of None: the breakdown question or the question skipped. The
    parts are those ``linked_cells`` makes: each workshop and (with two or more) the
    series, each of them per group (a group nobody is in too), with the
    respondents in no group implied.
    """
    table = LinkedTable(workshop_ids=tuple(workshops), breakdowns=(breakdown,))

    def total(where: Callable[[Kind], bool]) -> int:
        return sum(count for kind, count in counts.items() if where(kind))

    def summary(inside: Callable[[Kind], bool], with_breakdown: bool) -> dict:
        answered = total(lambda t: inside(t) and t[2] is not None)
        lang = choice_question(
            question, {o: total(lambda t, o=o: inside(t) and t[2] == o) for o in options}
        )
        lang["n"] = answered
        questions = [lang]
        if with_breakdown:
            split = choice_question(
                breakdown, {g: total(lambda t, g=g: inside(t) and t[1] == g) for g in groups}
            )
            questions.insert(0, split)
        return part_summary(total(inside), *questions)

    scopes: list[int | None] = list(workshops) + ([None] if len(workshops) > 1 else [])
    for workshop in scopes:
        level = "series" if workshop is None else "workshop"

        def mine(t: Kind, workshop: int | None = workshop) -> bool:
            return workshop is None or t[0] == workshop

        table.add(None, (workshop, None), summary(mine, True), LEVEL_WEIGHT[level], public=True)
        for group in groups:
            part = (workshop, (breakdown, group))
            grouped = summary(lambda t, g=group: mine(t) and t[1] == g, False)
            table.add(None, part, grouped, LEVEL_WEIGHT[level] / 2)
            _same_size(table, workshop, breakdown, group)
        _residual(table, workshop, breakdown, list(groups))
    if len(workshops) > 1:
        _series_sums(table)
    return table


def kinds_of(workshops: Iterable[Any], groups: Iterable[Any], answers: Iterable[Any]) -> list[Kind]:
    """Return every kind of respondent: each workshop x (each group or none) x (each answer or none)."""
    return [(w, g, a) for w in workshops for g in [*groups, None] for a in [*answers, None]]


def most_hidden(cells: LinkedCells, k: int) -> list[Status]:
    """Return the pattern that hides all it can: only public cells shown, every other
    published cell labelled by its true count, and what lies below a hidden total left
    out. A requirement this pattern does not meet no pattern meets (it is fixed by the
    public totals, e.g. a workshop of fewer than k respondents)."""
    status = []
    for index, value in enumerate(cells.values):
        if not cells.published[index]:
            status.append(Status.UNPUBLISHED)
        elif cells.public[index]:
            status.append(Status.SHOWN)
        else:
            status.append(Status.SMALL if 0 < value < k else Status.PROTECTS)
    cover(cells, status)
    return status


# --- the reader ----------------------------------------------------------------------------


@dataclass
class Reader:
    """Everything a reader of the outputs knows, as constraints on counts of kinds.

    ``shown``: a form has this value; ``small``: 1 to k-1 ("fewer than k");
    ``protects``: 0 or at least k ("not shown (protects a small group)").
    """

    kinds: list[Kind]
    k: int
    #: ``(form, low, high)``: what is known of a form's value.
    known: list[tuple[Form, float, float]] = field(default_factory=list)
    #: Forms labelled "protects", with the k of the label: 0 or at least k.
    protecting: list[tuple[Form, int]] = field(default_factory=list)
    #: What was read, for messages: (description, status, value or None).
    read: list[tuple[str, str, float | None]] = field(default_factory=list)

    def form(
        self, where: Callable[[Kind], bool], weight: Callable[[Kind], float] | None = None
    ) -> Form:
        """Return the count of the kinds ``where`` holds (weighted: a sum of values)."""
        return {
            i: (1.0 if weight is None else float(weight(kind)))
            for i, kind in enumerate(self.kinds)
            if where(kind)
        }

    def true_value(self, form: Form, truth: Mapping[Kind, int]) -> float:
        """Return the value of ``form`` for the true counts."""
        return sum(c * truth.get(self.kinds[i], 0) for i, c in form.items())

    def shown(self, form: Form, value: float, what: str = "") -> None:
        self.known.append((form, float(value), float(value)))
        self.read.append((what, "shown", value))

    def small(self, form: Form, what: str = "") -> None:
        self.known.append((form, 1.0, self.k - 1.0))
        self.read.append((what, "small", None))

    def at_least(self, form: Form, value: float, what: str = "") -> None:
        self.known.append((form, float(value), np.inf))
        self.read.append((what, "at least", value))

    def protects(self, form: Form, what: str = "") -> None:
        self.protecting.append((form, self.k))
        self.read.append((what, "protects", None))

    def label(self, form: Form, reason: str, what: str = "") -> None:
        """Read a hidden cell's label: ``"small"``, ``"protects"`` or ``"withheld"``.

        "withheld" ("not shown") tells nothing of the count.
        """
        if reason == "small":
            self.small(form, what)
        elif reason == "protects":
            self.protects(form, what)
        else:
            assert reason == "withheld", reason

    def range(self, form: Form) -> tuple[float, float]:
        """Return the smallest and largest value of ``form`` in whole numbers.

        Raises AssertionError when what was read is contradictory (a label lied).
        """
        low = self._extreme(form, 1.0)
        high = -self._extreme(form, -1.0)
        return low, high

    def can_exceed(self, form: Form, bound: float) -> bool:
        """Say whether ``form`` can be larger than ``bound``."""
        return -self._extreme(form, -1.0) > bound + 1e-6

    def _extreme(self, form: Form, sign: float) -> float:
        n = len(self.kinds)
        binaries = len(self.protecting)
        width = n + binaries
        rows: list[tuple[Form, float, float]] = list(self.known)
        for number, (protect, k) in enumerate(self.protecting):
            binary = n + number
            rows.append(({**protect, binary: -BIG}, -np.inf, 0.0))  # 0 unless b
            rows.append(({**protect, binary: -float(k)}, 0.0, np.inf))  # >= k if b
        matrix = np.zeros((len(rows), width))
        lows, highs = np.zeros(len(rows)), np.zeros(len(rows))
        for r, (coefficients, low, high) in enumerate(rows):
            for column, coefficient in coefficients.items():
                matrix[r, column] += coefficient
            lows[r], highs[r] = low, high
        cost = np.zeros(width)
        for column, coefficient in form.items():
            cost[column] = sign * coefficient
        upper = np.concatenate([np.full(n, BIG), np.ones(binaries)])
        result = milp(
            cost,
            constraints=[LinearConstraint(matrix, lows, highs)] if rows else [],
            bounds=Bounds(np.zeros(width), upper),
            integrality=np.ones(width, dtype=int),
        )
        assert result.status == 0, f"what was published contradicts itself ({result.message})"
        return round(float(result.fun), 6)


# --- reading protected outputs ------------------------------------------------------------

#: Numbers a hidden thing must not carry (what identifies it may stay: value, low, high).
NUMBERS = (
    "n",
    "n_responses",
    "count",
    "share",
    "ci_low",
    "ci_high",
    "mean",
    "median",
    "q1",
    "q3",
    "top2_count",
    "top2_share",
    "top2_ci_low",
    "top2_ci_high",
    "distribution",
    "options",
    "items",
    "histogram",
    "questions",
)


def numbers_in_hidden(thing: dict, path: str = "$") -> list[str]:
    """Return the paths of numbers that a hidden thing (or anything below it) still carries."""
    found = []
    if thing.get("suppressed"):
        found += [f"{path}.{name}" for name in NUMBERS if name in thing and name != "questions"]
        if "questions" in thing:
            found += [
                f"{path}.questions[{i}].{name}"
                for i, q in enumerate(thing["questions"])
                for name in NUMBERS
                if name in q
            ]
    for name, value in thing.items():
        if isinstance(value, list):
            for i, entry in enumerate(value):
                if isinstance(entry, dict):
                    found += numbers_in_hidden(entry, f"{path}.{name}[{i}]")
    return found


def shares_agree(thing: Any, n: float | None = None, path: str = "$") -> list[str]:
    """Return the paths of shares that are not their count over n (a share must say no more)."""
    bad = []
    if isinstance(thing, dict):
        n = thing.get("n", n)
        for prefix in ("", "top2_", "first_", "top_"):
            count, share = thing.get(f"{prefix}count"), thing.get(f"{prefix}share")
            if share is not None and (count is None or not n or abs(share - count / n) > 1e-9):
                bad.append(f"{path}.{prefix}share")
        for name, value in thing.items():
            if isinstance(value, list | dict):
                bad += shares_agree(value, n, f"{path}.{name}")
    elif isinstance(thing, list):
        for i, entry in enumerate(thing):
            bad += shares_agree(entry, n, f"{path}[{i}]")
    return bad


Answer = Callable[[Kind], Any]


def read_output(
    reader: Reader,
    summary: dict,
    inside: Callable[[Kind], bool],
    questions: Mapping[str, Callable[[Kind], Any]],
    what: str,
    scale: Mapping[str, float] | None = None,
    top2: Iterable[str] = (),
    whole: bool = False,
) -> None:
    """Read one protected summary of the kinds ``inside``: its size and the given questions.

    ``whole``: the summary covers the whole linked set, whose smallest and largest
    numbers set every histogram's edges (so its first and last bins are not empty).

    ``questions``: question key -> the answer a kind gives to it (None: skipped). For a
    choice question an answer is an option key, or a frozenset of them (multi choice);
    for a likert question with one item, a point key; for a number, the number.
    """
    size = reader.form(inside)
    if "n_responses" in summary:
        reader.shown(size, summary["n_responses"], f"{what}: respondents")
    elif summary.get("suppressed"):
        reader.label(size, summary["reason"], f"{what}: respondents")
        return  # its questions are hidden with it: their labels are the group's
    for question in summary.get("questions", []):
        answer = questions.get(question["key"])
        if answer is not None:
            name = f"{what}: {question['key']}"
            read_question(reader, question, inside, answer, name, scale, top2, whole)


def read_question(
    reader: Reader,
    question: dict,
    inside: Callable[[Kind], bool],
    answer: Callable[[Kind], Any],
    what: str,
    scale: Mapping[str, float] | None = None,
    top2: Iterable[str] = (),
    whole: bool = False,
) -> None:
    """Read one question's counts, labels, and means (linear in the counts).

    ``scale`` and ``top2``: a likert question's point values and top-2 points, where the
    summary leaves them out (a comparison's compact summaries do).
    """

    def where(test: Callable[[Any], bool]) -> Form:
        return reader.form(lambda t: inside(t) and answer(t) is not None and test(answer(t)))

    n = where(lambda a: True)
    if question.get("suppressed"):
        reader.label(n, question["reason"], f"{what} n")
        return
    if "n" in question:
        reader.shown(n, question["n"], f"{what} n")
    for option in question.get("options", []):
        key = option["key"]
        form = where(lambda a, key=key: a == key or (isinstance(a, frozenset) and key in a))
        _read_cell(reader, form, option, f"{what} {key}")
    top = set(question.get("top2_points", ())) or set(top2)
    values = {p["key"]: p["value"] for p in question.get("scale", [])} or dict(scale or {})
    for item in question.get("items", []):
        # one item per likert question in these tests: its answer is the point chosen
        if item.get("suppressed"):
            reader.label(n, item["reason"], f"{what} item n")
            continue
        reader.shown(n, item["n"], f"{what} item n")
        for point in item.get("distribution", []):
            key = point["key"]
            _read_cell(reader, where(lambda a, key=key: a == key), point, f"{what} {key}")
        if "top2_count" in item:
            reader.shown(where(lambda a: a in top), item["top2_count"], f"{what} top2")
        if item.get("mean") is not None:
            _read_mean(reader, inside, answer, lambda a: values[a], item["mean"], item["n"], what)
    bins = question.get("histogram", [])
    for number, cell in enumerate(bins):
        low, high, last = cell["low"], cell["high"], number == len(bins) - 1
        form = where(lambda a, lo=low, hi=high, last=last: lo <= a < hi or (last and a == hi))
        _read_cell(reader, form, cell, f"{what} [{low}, {high})")
    if bins:  # nothing outside the bins
        outside = where(lambda a: a < bins[0]["low"] or a > bins[-1]["high"])
        if outside:
            reader.shown(outside, 0, f"{what} outside the bins")
    if bins and whole:  # the edges are the linked set's smallest and largest answers'
        first, last = bins[0], bins[-1]
        reader.at_least(where(lambda a: first["low"] <= a < first["high"]), 1, f"{what} lowest")
        reader.at_least(where(lambda a: last["low"] <= a <= last["high"]), 1, f"{what} highest")
    if question.get("type") == "number" and question.get("mean") is not None:
        _read_mean(reader, inside, answer, float, question["mean"], question["n"], what)


def _read_cell(reader: Reader, form: Form, cell: dict, what: str) -> None:
    if cell.get("suppressed"):
        reader.label(form, cell["reason"], what)
    elif "count" in cell:
        reader.shown(form, cell["count"], what)


def _read_mean(
    reader: Reader,
    inside: Callable[[Kind], bool],
    answer: Answer,
    value: Callable[[Any], float],
    mean: float,
    n: int,
    what: str,
) -> None:
    """A mean of whole values over a shown n is a linear equation: their sum is mean * n."""
    total = reader.form(lambda t: inside(t) and answer(t) is not None, lambda t: value(answer(t)))
    reader.shown(total, round(mean * n), f"{what} mean")


@dataclass
class Exposure:
    """A count the reader narrows below 1..k-1, or a unanimous answer they can tell."""

    what: str
    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.what}: true {self.value:g}, a reader can tell {self.low:g}..{self.high:g}"


def exposures(
    reader: Reader,
    truth: Mapping[Kind, int],
    cells: Iterable[tuple[str, Form]],
) -> list[Exposure]:
    """Return each cell of 1 to k-1 whose feasible range does not reach both 1 and k-1."""
    found = []
    for what, form in cells:
        value = reader.true_value(form, truth)
        if 0 < value < reader.k:
            low, high = reader.range(form)
            if low > 1 or high < reader.k - 1:
                found.append(Exposure(what, value, low, high))
    return found


def unanimity_exposures(
    reader: Reader,
    truth: Mapping[Kind, int],
    partitions: Iterable[tuple[str, Form, Form]],
) -> list[Exposure]:
    """Return each ``(what, total, member)`` where all of a total gave one answer, and a
    reader can tell (no one could have answered otherwise)."""
    found = []
    for what, total, member in partitions:
        value = reader.true_value(total, truth)
        if value > 0 and reader.true_value(member, truth) == value:
            rest = dict(total)
            for column, coefficient in member.items():
                rest[column] = rest.get(column, 0.0) - coefficient
            if not reader.can_exceed(rest, 0.0):
                found.append(Exposure(what + " (everyone)", value, value, value))
    return found


def status_names(status: Sequence[Status]) -> dict[Status, int]:
    """Return how many cells have each status (for messages)."""
    return {s: sum(1 for x in status if x == s) for s in Status}


__all__ = [
    "BIG",
    "Exposure",
    "Form",
    "Kind",
    "Reader",
    "choice_question",
    "exposures",
    "kinds_of",
    "linked_table",
    "most_hidden",
    "numbers_in_hidden",
    "part_summary",
    "read_output",
    "shares_agree",
    "status_names",
    "unanimity_exposures",
]
