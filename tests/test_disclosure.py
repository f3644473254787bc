"""Small-group protection of linked cells, without a database: hand-made tables and random series.

Each protected pattern is audited twice: by the package's own audit
(``feasible_ranges``, ``unmet_requirements``, in whole numbers) and by an independent
reader (``support.sdc.Reader``) whose unknowns are the respondents of each kind
(workshop, group, answer), so that a sum the linked cells forgot would show.
"""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from survey_app.disclosure import LinkedCells, Status, feasible_ranges, protect, unmet_requirements
from survey_app.results.cells import RESPONSES, add_part
from survey_app.results.linked import LinkedTable, _series_sums

from .support.sdc import (
    Form,
    Kind,
    Reader,
    choice_question,
    exposures,
    kinds_of,
    linked_table,
    most_hidden,
    part_summary,
    unanimity_exposures,
)

K = 5


def series_of_two(first: Mapping[str, int], second: Mapping[str, int], kind="single_choice"):
    """Return the linked set of two workshops (1 and 2) and their series, one question ``q``.

    Every respondent answered it (n = respondents); the numbers of respondents are public.
    """
    table = LinkedTable(workshop_ids=(1, 2))

    def summary(counts: Mapping[str, int], n: int) -> dict:
        question = choice_question("q", counts, kind)
        question["n"] = n
        return part_summary(n, question)

    first_n = sum(first.values()) if kind == "single_choice" else 8
    second_n = sum(second.values()) if kind == "single_choice" else 10
    both = {o: first[o] + second[o] for o in first}
    table.add(None, (1, None), summary(first, first_n), 2.0, public=True)
    table.add(None, (2, None), summary(second, second_n), 2.0, public=True)
    table.add(None, (None, None), summary(both, first_n + second_n), 4.0, public=True)
    _series_sums(table)
    return table


def cell(table: LinkedTable, workshop: int | None, *address) -> int:
    index = table.index((workshop, None), tuple(address))
    assert index is not None, (workshop, address)
    return index


def assert_labels_truthful(cells: LinkedCells, status: list[Status], k: int) -> None:
    """Assert that "fewer than k" is only 1..k-1 and "protects a small group" 0 or k and more."""
    for key, value, decided in zip(cells.keys, cells.values, status, strict=True):
        if decided == Status.SMALL:
            assert 1 <= value <= k - 1, f"{key} = {value} labelled fewer than {k}"
        if decided == Status.PROTECTS:
            assert value == 0 or value >= k, f"{key} = {value} labelled protects"


def describe(cells: LinkedCells, status: list[Status]) -> str:
    return "\n".join(
        f"{key}: {value} {decided.value}"
        for key, value, decided in zip(cells.keys, cells.values, status, strict=True)
    )


# --- the C/D example -----------------------------------------------------------------------

C = {"a": 3, "b": 6, "c": 6}
D = {"a": 6, "b": 6, "c": 7}


def test_c_d_small_count_hidden_with_a_complement_and_its_range_covers_one_to_k_minus_one():
    """C: a 3, b 6, c 6; D: a 6, b 6, c 7; the series their sum; k = 5."""
    table = series_of_two(C, D)
    cells = table.cells
    decision = protect(cells, K)
    status = decision.status
    small = cell(table, 1, "q", "option", "a")
    assert status[small] == Status.SMALL, describe(cells, status)
    assert not decision.unmet
    assert_labels_truthful(cells, status, K)
    # the series' 9 minus D's 6 would give C's 3: one of them must be hidden
    assert (
        status[cell(table, None, "q", "option", "a")] != Status.SHOWN
        or status[cell(table, 2, "q", "option", "a")] != Status.SHOWN
    ), describe(cells, status)
    ranges = {r.key: r for r in feasible_ranges(cells, status, K, integer=True)}
    hidden = (Status.SMALL, Status.PROTECTS)
    assert set(ranges) == {key for key, s in zip(cells.keys, status, strict=True) if s in hidden}
    found = ranges[cells.keys[small]]
    assert found.low <= 1 and found.high >= K - 1, found
    assert not any(r.exposed for r in ranges.values()), ranges
    assert unmet_requirements(cells, status, K, integer=True) == []
    # the workshops' and the series' numbers of respondents stay public
    for workshop in (1, 2, None):
        assert status[table.index((workshop, None), RESPONSES)] == Status.SHOWN


def test_c_d_without_secondary_suppression_the_audit_finds_the_subtraction():
    table = series_of_two(C, D)
    cells = table.cells
    small = cell(table, 1, "q", "option", "a")
    status = [Status.SHOWN if published else Status.UNPUBLISHED for published in cells.published]
    status[small] = Status.SMALL
    (found,) = feasible_ranges(cells, status, K, integer=True)
    assert found.key == cells.keys[small]
    assert (found.low, found.high, found.exposed) == (3, 3, True)  # 9 - 6 = 3
    unmet = unmet_requirements(cells, status, K, integer=True)
    assert {(r.cell, r.sense) for r in unmet} == {(small, "max"), (small, "min")}
    # the linear relaxation tells the same here: the sums alone pin it
    (linear,) = feasible_ranges(cells, status, K, integer=False)
    assert (linear.low, linear.high) == (3, 3)


# --- did not choose -----------------------------------------------------------------------


def test_did_not_choose_one_of_eight_is_protected():
    """Multi choice: 7 of 8 (88 %) chose t1, so 1 did not: that 1 is a small count too."""
    table = series_of_two({"t1": 7, "t2": 5, "t3": 0}, {"t1": 5, "t2": 6, "t3": 9}, "multi_choice")
    cells = table.cells
    chosen = cell(table, 1, "q", "option", "t1")
    unchosen = cell(table, 1, "q", "unchosen", "t1")
    assert cells.values[unchosen] == 1 and not cells.published[unchosen]
    decision = protect(cells, K)
    status = decision.status
    n = cell(table, 1, "q")
    assert not (status[n] == Status.SHOWN and status[chosen] == Status.SHOWN), describe(
        cells, status
    )
    ranges = feasible_ranges(cells, status, K, which=(Status.UNPUBLISHED,), integer=True)
    (found,) = [r for r in ranges if r.key == cells.keys[unchosen]]
    assert found.low <= 1 and found.high >= K - 1, found
    assert unmet_requirements(cells, status, K, integer=True) == []
    assert not decision.unmet
    assert_labels_truthful(cells, status, K)


def test_without_protection_did_not_choose_is_exposed():
    table = series_of_two({"t1": 7, "t2": 5, "t3": 0}, {"t1": 5, "t2": 6, "t3": 9}, "multi_choice")
    cells = table.cells
    status = [Status.SHOWN if published else Status.UNPUBLISHED for published in cells.published]
    unchosen = cell(table, 1, "q", "unchosen", "t1")
    unmet = unmet_requirements(cells, status, K, integer=True)
    assert unchosen in {r.cell for r in unmet}


# --- unanimity ----------------------------------------------------------------------------

#: Workshop 1: all 7 of group x speak a; workshop 2 mixed. Group y is large in both.
UNANIMOUS = {
    (1, "x", "a"): 7,
    (1, "y", "b"): 6,
    (1, "y", "c"): 5,
    (2, "x", "a"): 5,
    (2, "x", "b"): 6,
    (2, "y", "a"): 5,
    (2, "y", "c"): 8,
}


def test_unanimous_group_is_not_shown_and_no_requirement_is_unmet():
    table = linked_table(UNANIMOUS, [1, 2], ["x", "y"], ["a", "b", "c"])
    cells = table.cells
    decision = protect(cells, K)
    status = decision.status
    everyone = table.index((1, ("group", "x")), ("lang", "option", "a"))
    size = table.index((1, ("group", "x")), ("lang",))
    assert cells.values[everyone] == cells.values[size] == 7
    assert status[everyone] != Status.SHOWN, describe(cells, status)
    reader = reader_of(table, status, K, UNANIMOUS, ["x", "y"], ["a", "b", "c"])
    assert [str(e) for e in check_reader(reader, table, UNANIMOUS)] == []
    assert unmet_requirements(cells, status, K, integer=True) == []
    assert not decision.unmet
    assert_labels_truthful(cells, status, K)


def assert_protected(counts, workshops, groups, options) -> None:
    """Protect the linked set of ``counts``: nothing unmet, for the audit and for an
    independent reader of the respondents' kinds, and every label truthful."""
    table = linked_table(counts, workshops, groups, options)
    cells = table.cells
    decision = protect(cells, K)
    assert not decision.unmet, [cells.keys[r.cell] for r in decision.unmet]
    assert unmet_requirements(cells, decision.status, K, integer=True) == []
    reader = reader_of(table, decision.status, K, counts, groups, options)
    assert [str(e) for e in check_reader(reader, table, counts)] == []
    assert_labels_truthful(cells, decision.status, K)


def test_a_unanimous_group_of_one_workshop_only_is_protected_in_the_series_too():
    """Group y took part in workshop 1 only (z in 2 only), and all 6 of y chose b: the
    series' group y is the workshop's (a sum of one part), which must be hidden too."""
    counts = {(1, "x", "a"): 5, (1, "x", "b"): 5, (1, "y", "b"): 6, (2, "x", "a"): 6,
              (2, "x", "b"): 7, (2, "z", "a"): 5, (2, "z", "b"): 6}  # fmt: skip
    assert_protected(counts, [1, 2], ["x", "y", "z"], ["a", "b"])


def test_a_breakdown_of_eight_into_five_two_and_one_is_protected():
    """One workshop of 8: types a 5, b 2, c 1. With a shown, b + c = 3, so each is 1 or 2;
    only hiding the breakdown (a reader then allows "protects" to be 0) protects them."""
    counts = {(1, "a", "x"): 3, (1, "a", "y"): 2, (1, "b", "x"): 1, (1, "b", "y"): 1,
              (1, "c", "y"): 1}  # fmt: skip
    assert_protected(counts, [1], ["a", "b", "c"], ["x", "y"])


def test_three_small_workshops_whose_groups_pin_each_other_down_tell_nothing():
    """Types (a, b, c) per workshop: (8, 3, 0), (6, 0, 2), (5, 2, 1). Shown series b = 5
    and workshop 3's b of 1..2 would put workshop 1's b at 3..4: where nothing cheaper
    protects them, the breakdown is not shown anywhere ("not shown" says nothing)."""
    counts = {(1, "a", "x"): 4, (1, "a", "y"): 4, (1, "b", "x"): 2, (1, "b", "y"): 1,
              (2, "a", "x"): 3, (2, "a", "y"): 3, (2, "c", "x"): 1, (2, "c", "y"): 1,
              (3, "a", "x"): 3, (3, "a", "y"): 2, (3, "b", "x"): 1, (3, "b", "y"): 1,
              (3, "c", "x"): 1}  # fmt: skip
    assert_protected(counts, [1, 2, 3], ["a", "b", "c"], ["x", "y"])


def test_a_workshop_of_one_type_only_is_not_told():
    """All 13 of workshop 2 are of type x (the breakdown question): a unanimous answer."""
    counts = {(1, "x", "a"): 5, (1, "x", "b"): 5, (1, "y", "b"): 6, (2, "x", "a"): 6,
              (2, "x", "b"): 7}  # fmt: skip
    table = linked_table(counts, [1, 2], ["x", "y"], ["a", "b"])
    decision = protect(table.cells, K)
    assert not decision.unmet
    assert unmet_requirements(table.cells, decision.status, K, integer=True) == []


def test_without_protection_unanimity_is_unmet():
    table = linked_table(UNANIMOUS, [1, 2], ["x", "y"], ["a", "b", "c"])
    cells = table.cells
    status = [Status.SHOWN if published else Status.UNPUBLISHED for published in cells.published]
    everyone = table.index((1, ("group", "x")), ("lang", "option", "a"))
    unmet = unmet_requirements(cells, status, K, integer=True)
    assert everyone in {r.cell for r in unmet if len(r.terms) == 2}


# --- labels and k -------------------------------------------------------------------------


def test_labels_truthful_in_a_mixed_series():
    counts = {
        (1, "x", "a"): 1,
        (1, "x", "b"): 9,
        (1, "y", "a"): 6,
        (1, "y", "c"): 2,
        (1, None, "b"): 3,
        (2, "x", "a"): 4,
        (2, "x", "c"): 12,
        (2, "y", "b"): 7,
        (2, "y", None): 2,
    }
    table = linked_table(counts, [1, 2], ["x", "y"], ["a", "b", "c"])
    for k in (3, 5, 8):
        status = protect(table.cells, k).status
        assert_labels_truthful(table.cells, status, k)
        assert Status.SMALL in status


def test_k_below_two_turns_protection_off():
    table = linked_table(UNANIMOUS | {(1, "y", "a"): 1}, [1, 2], ["x", "y"], ["a", "b", "c"])
    cells = table.cells
    for k in (1, 0, -3):
        decision = protect(cells, k)
        expected = [Status.SHOWN if p else Status.UNPUBLISHED for p in cells.published]
        assert decision.status == expected
        assert not decision.unmet


# --- the independent reader ---------------------------------------------------------------


def kind_form(reader: Reader, key) -> Form:
    """Return the form over kinds of a linked cell ``(part, address)`` of ``linked_table``."""
    (workshop, group), address = key

    def inside(t: Kind) -> bool:
        if workshop is not None and t[0] != workshop:
            return False
        return group is None or t[1] == group[1]

    question = address[0]
    answer = (lambda t: t[1]) if question == "group" else (lambda t: t[2])
    if address == RESPONSES:
        return reader.form(inside)
    if len(address) == 1:
        return reader.form(lambda t: inside(t) and answer(t) is not None)
    if address[1] == "skipped":
        return reader.form(lambda t: inside(t) and answer(t) is None)
    assert address[1] == "option", address
    return reader.form(lambda t: inside(t) and answer(t) == address[2])


def reader_of(
    table: LinkedTable,
    status: list[Status],
    k: int,
    counts: Mapping[Kind, int],
    groups: list[str],
    options: list[str],
) -> Reader:
    """Return a reader who sees every published cell of ``table`` with its status."""
    reader = Reader(kinds_of(table.workshop_ids, groups, options), k)
    for key, decided in zip(table.cells.keys, status, strict=True):
        form = kind_form(reader, key)
        value = table.cells.values[table.cells.index[key]]
        assert reader.true_value(form, counts) == value, key
        if decided == Status.SHOWN:
            reader.shown(form, value, str(key))
        elif decided in (Status.SMALL, Status.PROTECTS):
            reader.label(form, decided.value, str(key))
    return reader


def check_reader(reader: Reader, table: LinkedTable, counts: Mapping[Kind, int]) -> list:
    """Return what the reader can narrow: small protected counts, unanimous answers."""
    cells = table.cells
    targets = [
        (str(key), kind_form(reader, key))
        for i, key in enumerate(cells.keys)
        if cells.protected[i] and not cells.public[i]
    ]
    partitions = [
        (
            str(cells.keys[member]),
            kind_form(reader, cells.keys[total]),
            kind_form(reader, cells.keys[member]),
        )
        for total, member, _ in cells.unanimity
    ]
    return exposures(reader, counts, targets) + unanimity_exposures(reader, counts, partitions)


@st.composite
def series(draw) -> tuple[dict[Kind, int], list[int], list[str], list[str]]:
    """A small series: 2-4 workshops, 2-3 groups, 2-4 options, 0..12 per cell; a few
    respondents in no group or skipping the question."""
    workshops = list(range(1, draw(st.integers(2, 4)) + 1))
    groups = ["x", "y", "z"][: draw(st.integers(2, 3))]
    options = ["a", "b", "c", "d"][: draw(st.integers(2, 4))]
    counts: dict[Kind, int] = {}
    for workshop in workshops:
        for group in [*groups, None]:
            for option in [*options, None]:
                most = 12 if group is not None and option is not None else 2
                counts[(workshop, group, option)] = draw(st.integers(0, most))
    return counts, workshops, groups, options


@settings(max_examples=40, deadline=None, derandomize=True)
@given(drawn=series(), k=st.sampled_from([3, 5]))
def test_random_series_are_protected(drawn, k):
    """Every requirement some pattern can meet, protect()'s pattern meets (in whole numbers)."""
    counts, workshops, groups, options = drawn
    table = linked_table(counts, workshops, groups, options)
    cells = table.cells
    assume(not unmet_requirements(cells, most_hidden(cells, k), k, integer=True))
    decision = protect(cells, k)
    status = decision.status
    unmet = unmet_requirements(cells, status, k, integer=True)
    assert [(cells.keys[r.cell], r.sense, r.bound) for r in unmet] == [], describe(cells, status)
    assert not decision.unmet
    assert_labels_truthful(cells, status, k)
    for found in feasible_ranges(cells, status, k, which=(Status.SMALL,), integer=True):
        assert found.low <= 1 and found.high >= k - 1, found
    for workshop in [*workshops, None]:  # how many took part stays public
        assert status[table.index((workshop, None), RESPONSES)] == Status.SHOWN


@settings(max_examples=15, deadline=None, derandomize=True)
@given(drawn=series(), k=st.sampled_from([3, 5]))
def test_random_series_the_audit_misses_nothing_an_independent_reader_finds(drawn, k):
    """What a reader of the respondents' kinds can narrow, the audit reports as unmet."""
    counts, workshops, groups, options = drawn
    table = linked_table(counts, workshops, groups, options)
    cells = table.cells
    status = protect(cells, k).status
    flagged = {
        str(cells.keys[r.cell]) + (" (everyone)" if len(r.terms) == 2 else "")
        for r in unmet_requirements(cells, status, k, integer=True)
    }
    found = check_reader(reader_of(table, status, k, counts, groups, options), table, counts)
    assert [str(e) for e in found if e.what not in flagged] == []


def test_skipping_the_breakdown_question_needs_no_protection():
    """One respondent answered nothing: that tells no answer, so nothing need be hidden.

    (How many skipped a question is not protected; those in no breakdown group are
    exactly those who skipped the breakdown question.)
    """
    counts = {
        (1, "x", "a"): 6,
        (1, "x", "b"): 6,
        (1, "y", "a"): 7,
        (1, "y", "b"): 5,
        (1, None, None): 1,
        (2, "x", "a"): 8,
        (2, "x", "b"): 5,
        (2, "y", "a"): 6,
        (2, "y", "b"): 9,
    }
    table = linked_table(counts, [1, 2], ["x", "y"], ["a", "b"])
    cells = table.cells
    decision = protect(cells, K)
    hidden = [
        (key, value, s.value)
        for key, value, s, published in zip(
            cells.keys, cells.values, decision.status, cells.published, strict=True
        )
        if published and s != Status.SHOWN
    ]
    assert hidden == []
    assert unmet_requirements(cells, decision.status, K, integer=True) == []


def test_a_workshop_of_one_respondent_leaves_unmet_only_what_no_pattern_meets():
    """A workshop of one respondent: its public size bounds its counts by 1. What protect()
    leaves unmet, hiding everything could not meet either; the lone answer is not shown."""
    counts = {(1, "x", "a"): 1, (2, "x", "a"): 6, (2, "x", "b"): 7, (2, "y", "a"): 5}
    counts[(2, "y", "b")] = 6
    table = linked_table(counts, [1, 2], ["x", "y"], ["a", "b"])
    cells = table.cells
    unavoidable = {(r.terms, r.sense) for r in unmet_requirements(cells, most_hidden(cells, K), K)}
    decision = protect(cells, K)
    assert [
        (cells.keys[r.cell], r.sense, r.bound)
        for r in decision.unmet
        if (r.terms, r.sense) not in unavoidable
    ] == []
    one = table.index((1, None), ("lang", "option", "a"))
    assert decision.status[one] != Status.SHOWN
    assert_labels_truthful(cells, decision.status, K)


def test_add_part_cells_and_sums_of_one_summary():
    """The cells of a single part: options add up to n, n and skipped to the respondents."""
    cells = LinkedCells()
    question = choice_question("q", {"a": 2, "b": 5})
    question["n"] = 7
    addresses = add_part(cells, "whole", part_summary(9, question), 1.0, public_responses=True)
    assert cells.values[addresses[("q", "skipped")]] == 2
    assert not cells.published[addresses[("q", "skipped")]]
    assert not cells.protected[addresses[("q", "skipped")]]  # skipping tells no answer
    status = protect(cells, K).status
    # 7 - 2 = 5: b is hidden with a, or the question as a whole
    assert status[addresses[("q", "option", "a")]] in (Status.SMALL, Status.UNPUBLISHED)
    assert status[addresses[("q", "option", "b")]] != Status.SHOWN
    assert unmet_requirements(cells, status, K) == []


def test_hiding_totals_one_by_one_leaves_out_what_covering_everything_would():
    """``hide`` covers only below the cells it hides; the result is the full ``cover``'s."""
    from survey_app.disclosure.escalate import cover, hide
    from survey_app.disclosure.protect import initial_status

    table = linked_table(UNANIMOUS | {(1, None, "b"): 2}, [1, 2], ["x", "y"], ["a", "b", "c"])
    cells = table.cells
    status = initial_status(cells, K)
    cover(cells, status)
    totals = sorted(set(cells.parent.values()), key=lambda t: len(cells.keys[t][1]), reverse=True)
    changed_from = {c: status[c] for c in range(len(cells))}
    for total in totals[::2]:
        changed = hide(cells, status, [total])
        everything = list(status)
        assert cover(cells, everything) == []  # nothing left to cover
        assert status[total] == Status.PROTECTS or cells.public[total]
        below = [c for c in cells.children().get(total, []) if not cells.public[c]]
        if status[total] != Status.SHOWN:
            assert all(status[c] == Status.UNPUBLISHED for c in below)
        assert all(before != status[c] for c, before in changed_from.items() if c in changed)
        changed_from = {c: status[c] for c in range(len(cells))}
    assert Status.UNPUBLISHED in status


def test_a_reader_model_remembers_each_cells_extremes_found():
    """The points the linear programs found answer a one-cell question without solving."""
    from survey_app.disclosure.program import Blocks
    from survey_app.disclosure.reader import ReaderModel

    table = linked_table(UNANIMOUS, [1, 2], ["x", "y"], ["a", "b", "c"])
    cells = table.cells
    status = most_hidden(cells, K)
    program = Blocks(cells).program("lang")
    model = ReaderModel(program, status, K)
    cell = table.index((1, ("group", "y")), ("lang", "option", "b"))
    assert model.seen_extreme(((cell, 1.0),), "max") is None  # nothing solved yet
    highest = model.extreme(((cell, 1.0),), "max")
    assert highest is not None and highest >= cells.values[cell]
    assert model.seen_extreme(((cell, 1.0),), "max") == highest
    assert model.seen_extreme(((cell, 1.0), (cell, 1.0)), "max") is None  # one cell only


def test_a_small_groups_range_need_not_exceed_its_workshops_public_size():
    """A group's size is its breakdown option's count, below the workshop's public
    respondents: in a workshop of 3, "fewer than 5" need only reach 1..3."""
    from survey_app.disclosure.protect import public_cap

    counts = {(1, "x", "a"): 1, (1, "y", "b"): 2, (2, "x", "a"): 6, (2, "x", "b"): 5}
    counts |= {(2, "y", "a"): 7, (2, "y", "b"): 6}
    table = linked_table(counts, [1, 2], ["x", "y"], ["a", "b"])
    cells = table.cells
    size = table.index((1, ("group", "x")), RESPONSES)
    answer = table.index((1, ("group", "x")), ("lang", "option", "a"))
    assert public_cap(cells, size) == 3
    assert public_cap(cells, answer) == 3
    decision = protect(cells, K)
    assert [(cells.keys[r.cell], r.bound) for r in decision.unmet if r.bound > 3] == []
