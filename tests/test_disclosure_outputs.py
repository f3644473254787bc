"""Small-group protection of what leaves the results engine, attacked as a viewer would.

Each test stores answers to ``fixtures/small-groups.yaml`` in a series, fetches every
output a viewer of the series can get (each workshop, the series, each of them per
breakdown group, the breakdowns, the comparison; some through the JSON API), and
hands all of it to an independent reader (``support.sdc.Reader``). The reader's
unknowns are how many respondents of each kind (workshop, group, answer) there are;
each count, label, share and mean it reads is a constraint on them, and integer
programming gives the range of every count it cannot rule out. A count of 1 to k-1
must keep a range reaching 1 and k-1; an answer every member of a group gave must
not be certain.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text

from survey_app.disclosure import Decision
from survey_app.disclosure.protect import initial_status
from survey_app.extensions import db
from survey_app.instruments import parse_instrument_file
from survey_app.models import Series
from survey_app.results import (
    ResultSettings,
    Scope,
    compare_workshops,
    protection,
    summarize_breakdown,
    summarize_scope,
)

from .conftest import FIXTURES
from .support.attacks import database_url, fresh_decisions  # noqa: F401 (fixtures)
from .support.responses import close_workshops, store_responses
from .support.sdc import (
    Exposure,
    Form,
    Kind,
    Reader,
    exposures,
    numbers_in_hidden,
    read_output,
    shares_agree,
    unanimity_exposures,
)

SMALL_GROUPS = FIXTURES / "small-groups.yaml"
INSTRUMENT, _ = parse_instrument_file(SMALL_GROUPS)
GROUPS = ("x", "y", "z")
LANGUAGES = ("a", "b", "c")
TOPICS = ("t1", "t2", "t3")
POINTS = ("very_dissatisfied", "dissatisfied", "neutral", "satisfied", "very_satisfied")
SCALE = {point: value for value, point in enumerate(POINTS, start=1)}
TOP2 = frozenset({"satisfied", "very_satisfied"})
#: The series' k (the server's floor and a new series' default).
K = 5


@dataclass(frozen=True)
class Person:
    """One respondent's answers (None or empty: skipped)."""

    group: str | None = None
    lang: str | None = None
    topics: frozenset[str] = frozenset()
    rate: str | None = None
    size: int | None = None

    def pairs(self) -> list[tuple[str, str]]:
        pairs = []
        if self.group:
            pairs.append(("q.group", self.group))
        if self.lang:
            pairs.append(("q.lang", self.lang))
        pairs += [("q.topics", topic) for topic in sorted(self.topics)]
        if self.rate:
            pairs.append(("q.rate.city", self.rate))
        if self.size is not None:
            pairs.append(("q.size", str(self.size)))
        return pairs

    def answer(self, question: str) -> Any:
        if question == "topics":
            return self.topics or None
        return getattr(self, question)


def people(count: int, **answers: Any) -> list[Person]:
    if "topics" in answers:
        answers["topics"] = frozenset(answers["topics"])
    return [Person(**answers)] * count


@dataclass
class World:
    """A series of workshops with known respondents."""

    series_id: int
    ids: list[int]
    respondents: dict[int, list[Person]]

    def truth(self, question: str) -> Counter[Kind]:
        return Counter(
            (workshop, person.group, person.answer(question))
            for workshop, persons in self.respondents.items()
            for person in persons
        )


@pytest.fixture
def world(app, make_workshop) -> Callable[..., World]:
    """Return a factory: one workshop of series s1 per list of respondents."""

    def make(*workshops: list[Person]) -> World:
        created = [make_workshop(SMALL_GROUPS) for _ in workshops]
        for workshop, persons in zip(created, workshops, strict=True):
            store_responses(app, workshop, [p.pairs() for p in persons], INSTRUMENT)
        close_workshops(app, *created)  # what viewers get: closed workshops
        return World(
            created[0].series_id,
            [w.id for w in created],
            {w.id: list(p) for w, p in zip(created, workshops, strict=True)},
        )

    return make


# --- every output a viewer can get ----------------------------------------------------------

#: ``(what, summary, workshop (some: an earlier series) or None for all, group or None)``
Output = tuple[str, dict[str, Any], int | frozenset[int] | None, str | None]


def viewer_outputs(app, world: World, closed: list[int] | None = None, k: int = K) -> list[Output]:
    """Return every output of the series a viewer can get, with what it covers.

    ``closed``: read while only these workshops were closed (the series is theirs);
    ``k``: the series' k then.
    """
    outputs: list[Output] = []
    ids = world.ids if closed is None else closed
    whole = None if closed is None else frozenset(closed)
    with app.test_request_context("/", method="GET"):  # a viewer's page read
        series = db.session.get(Series, world.series_id)
        settings = ResultSettings.published(app.config, series)
        assert settings.min_group_size == k
        scopes: list[tuple[int | frozenset[int] | None, Scope]]
        scopes = [(w, Scope.workshop(w)) for w in ids]
        scopes.append((whole, Scope.series(db.session, world.series_id)))
        for workshop, scope in scopes:
            name = f"workshop {workshop}" if isinstance(workshop, int) else "series"
            outputs.append((name, summarize_scope(INSTRUMENT, scope, settings), workshop, None))
            for group in GROUPS:
                filtered = summarize_scope(INSTRUMENT, scope.with_group("group", group), settings)
                outputs.append((f"{name} filtered to {group}", filtered, workshop, group))
            split = summarize_breakdown(INSTRUMENT, scope, "group", settings)
            for entry in split["groups"]:
                outputs.append((f"{name} breakdown {entry['key']}", entry, workshop, entry["key"]))
        series_scope = Scope.series(db.session, world.series_id)
        comparison = compare_workshops(INSTRUMENT, series_scope, settings)
        for entry in comparison["workshops"]:
            outputs.append((f"comparison {entry['id']}", entry, entry["id"], None))
    if closed is not None:
        outputs = [(f"{what} (earlier)", *rest) for what, *rest in outputs]
    return outputs


def answers_of(question: str, outputs: list[Output]) -> list[Any]:
    """Return the answers a reader considers for ``question``."""
    if question == "lang":
        return list(LANGUAGES)
    if question == "topics":
        return [frozenset(c) for size in (1, 2, 3) for c in itertools.combinations(TOPICS, size)]
    if question == "rate":
        return list(POINTS)
    assert question == "size"
    edges = [
        edge
        for _, summary, _, _ in outputs
        for q in summary.get("questions", [])
        if q["key"] == "size"
        for b in q.get("histogram", [])
        for edge in (b["low"], b["high"])
    ]
    return list(range(int(min(edges)), int(max(edges)) + 1))


def inside_of(workshop: int | frozenset[int] | None, group: str | None) -> Callable[[Kind], bool]:
    """Respondents of one workshop, of some (an earlier version of the series) or of all."""
    among = workshop if isinstance(workshop, frozenset) else frozenset({workshop})
    return lambda t: (workshop is None or t[0] in among) and (group is None or t[1] == group)


def read_everything(
    world: World, outputs: list[Output], question: str, k_of: Callable[[str], int] | None = None
) -> Reader:
    """Return a reader of ``question`` (and the breakdown) who read every output.

    ``k_of``: the k each output was published with (by its name; default K).
    """
    answers = answers_of(question, outputs)
    kinds = [(w, g, a) for w in world.ids for g in [*GROUPS, None] for a in [*answers, None]]
    reader = Reader(kinds, K)
    readers = {"group": lambda t: t[1], question: lambda t: t[2]}
    for what, summary, workshop, group in outputs:
        reader.k = K if k_of is None else k_of(what)
        whole = workshop is None and group is None
        read_output(
            reader, summary, inside_of(workshop, group), readers, what, SCALE, TOP2, whole=whole
        )
    return reader


def targets(
    reader: Reader, world: World, question: str, answers: list[Any]
) -> tuple[list[tuple[str, Form]], list[tuple[str, Form, Form]]]:
    """Return the counts that need protecting and the partitions (unanimity) of ``question``.

    For each workshop and the series, whole, per group and for the respondents in no
    group: the group's size, how many answered, each answer's count (each option chosen
    and not chosen, for multi choice; the top-2 count, for likert). How many skipped a
    question (or the breakdown question) tells no answer and is left out.
    """
    cells: list[tuple[str, Form]] = []
    partitions: list[tuple[str, Form, Form]] = []
    for workshop in [*world.ids, None]:
        where = "series" if workshop is None else f"workshop {workshop}"
        whole = inside_of(workshop, None)
        answered_group = reader.form(lambda t, whole=whole: whole(t) and t[1] is not None)
        for group in GROUPS:
            size = reader.form(lambda t, whole=whole, g=group: whole(t) and t[1] == g)
            cells.append((f"{where}: group {group} size", size))
            partitions.append((f"{where}: group {group}", answered_group, size))
        for group in [None, *GROUPS, "none"]:
            if group == "none":
                scope = lambda t, whole=whole: whole(t) and t[1] is None  # noqa: E731
            else:
                scope = inside_of(workshop, group)
            name = f"{where}, {group or 'all'}: {question}"
            answered = reader.form(lambda t, s=scope: s(t) and t[2] is not None)
            cells.append((f"{name} n", answered))
            if question == "topics":
                for topic in TOPICS:
                    chosen = reader.form(lambda t, s=scope, o=topic: s(t) and t[2] and o in t[2])
                    not_chosen = reader.form(
                        lambda t, s=scope, o=topic: s(t) and t[2] and o not in t[2]
                    )
                    cells.append((f"{name} {topic} chosen", chosen))
                    cells.append((f"{name} {topic} not chosen", not_chosen))
                    if group != "none":
                        partitions.append((f"{name} {topic}", answered, chosen))
                continue
            for answer in answers:
                count = reader.form(lambda t, s=scope, a=answer: s(t) and t[2] == a)
                cells.append((f"{name} = {answer}", count))
                if group != "none":
                    partitions.append((f"{name} = {answer}", answered, count))
            if question == "rate":
                top = reader.form(lambda t, s=scope: s(t) and t[2] in TOP2)
                cells.append((f"{name} top-2", top))
    return cells, partitions


def attack(
    app,
    world: World,
    question: str,
    outputs: list[Output] | None = None,
    k_of: Callable[[str], int] | None = None,
) -> list[str]:
    """Return what a viewer of every output can narrow down about ``question``.

    ``k_of``: the k of each output (see ``read_everything``); small counts are then
    those below the smallest k, whose labels a reader may hold.
    """
    outputs = viewer_outputs(app, world) if outputs is None else outputs
    reader = read_everything(world, outputs, question, k_of)
    if k_of is not None:
        reader.k = min(k_of(what) for what, *_ in outputs)
    truth = world.truth(question)
    cells, partitions = targets(reader, world, question, answers_of(question, outputs))
    found: list[Exposure] = exposures(reader, truth, cells)
    found += unanimity_exposures(reader, truth, partitions)
    return [str(e) for e in found]


def assert_nothing_narrowed(
    app, world: World, question: str, outputs: list[Output] | None = None
) -> None:
    """Assert that a reader of every output narrows no small count and tells no unanimity."""
    found = attack(app, world, question, outputs)
    assert not found, "a reader of every output can tell:\n" + "\n".join(found)


def assert_well_formed(outputs: Iterable[Output]) -> None:
    """Hidden things carry no numbers; every share is its count over n."""
    for what, summary, _, _ in outputs:
        assert numbers_in_hidden(summary) == [], what
        assert shares_agree(summary) == [], what


def question_of(summary: dict[str, Any], key: str) -> dict[str, Any]:
    return next(q for q in summary["questions"] if q["key"] == key)


def option_of(summary: dict[str, Any], key: str, option: str) -> dict[str, Any]:
    return next(o for o in question_of(summary, key)["options"] if o["key"] == option)


# --- subtraction across outputs --------------------------------------------------------------

C = people(3, lang="a") + people(6, lang="b") + people(6, lang="c")
D = people(6, lang="a") + people(6, lang="b") + people(7, lang="c")


def test_series_minus_the_other_workshop_does_not_give_the_small_count(
    app, world, logged_in_client
):
    series = world(C, D)
    c, d = series.ids
    viewer = logged_in_client("viewer", series.series_id)
    whole = viewer.get(f"/api/v1/series/{series.series_id}/summary").get_json()
    of_c = viewer.get(f"/api/v1/workshops/{c}/summary").get_json()
    of_d = viewer.get(f"/api/v1/workshops/{d}/summary").get_json()
    assert (whole["n_responses"], of_c["n_responses"], of_d["n_responses"]) == (34, 15, 19)
    small = option_of(of_c, "lang", "a")
    assert small == {"key": "a", "label": {"de": "A"}, "suppressed": True, "reason": "small"}
    in_series, in_d = option_of(whole, "lang", "a"), option_of(of_d, "lang", "a")
    assert in_series.get("suppressed") or in_d.get("suppressed"), (in_series, in_d)
    api = [
        ("API series", whole, None, None),
        (f"API workshop {c}", of_c, c, None),
        (f"API workshop {d}", of_d, d, None),
    ]
    assert_well_formed(api)
    assert_nothing_narrowed(app, series, "lang", api)
    everything = api + viewer_outputs(app, series)
    assert_well_formed(everything)
    assert_nothing_narrowed(app, series, "lang", everything)


# --- dashboard filters -----------------------------------------------------------------------


def test_a_group_filter_and_the_whole_workshop_do_not_give_the_small_count(app, world):
    """Workshop: 7 speak a; filtered to group x: 6; so group y's 1 must stay hidden."""
    first = (
        people(6, group="x", lang="a")
        + people(6, group="x", lang="b")
        + people(1, group="y", lang="a")
        + people(8, group="y", lang="b")
    )
    second = (
        people(5, group="x", lang="a")
        + people(7, group="x", lang="b")
        + people(6, group="y", lang="a")
        + people(5, group="y", lang="b")
    )
    series = world(first, second)
    outputs = viewer_outputs(app, series)
    assert_well_formed(outputs)
    by_name = {what: summary for what, summary, _, _ in outputs}
    w = series.ids[0]
    hidden = option_of(by_name[f"workshop {w} filtered to y"], "lang", "a")
    assert hidden.get("reason") == "small", hidden
    assert_nothing_narrowed(app, series, "lang", outputs)


def test_a_small_count_in_a_hidden_group_is_not_narrowed_by_the_series(app, world):
    """Group y of the first workshop (4: b 1, c 3) is hidden whole; the series' group y,
    the second workshop and the first one's own counts must not narrow its b below 1..k-1."""
    first = (
        people(1, group="y", lang="b")
        + people(3, group="y", lang="c")
        + people(6, group="x", lang="a")
        + people(7, group="x", lang="c")
    )
    second = people(6, group="y", lang="a") + people(8, group="x", lang="b")
    series = world(first, second)
    outputs = viewer_outputs(app, series)
    assert_nothing_narrowed(app, series, "lang", outputs)
    assert_well_formed(outputs)


# --- shares that are counts in disguise --------------------------------------------------------


def test_top_2_share_of_a_small_group(app, world):
    """Group x: 2 of 10 satisfied (top-2 = 2): neither the point nor the top-2 share tells it."""
    first = (
        people(4, group="x", rate="very_dissatisfied")
        + people(4, group="x", rate="dissatisfied")
        + people(2, group="x", rate="satisfied")
        + people(6, group="y", rate="neutral")
        + people(5, group="y", rate="very_satisfied")
    )
    second = people(7, group="x", rate="satisfied") + people(6, group="y", rate="neutral")
    series = world(first, second)
    outputs = viewer_outputs(app, series)
    assert_well_formed(outputs)
    by_name = {what: summary for what, summary, _, _ in outputs}
    question = question_of(by_name[f"workshop {series.ids[0]} filtered to x"], "rate")
    for item in question.get("items", []):  # (or the question is hidden whole)
        assert "top2_share" not in item or item.get("top2_count", 0) not in range(1, K), item
    assert_nothing_narrowed(app, series, "rate", outputs)


def test_did_not_choose_is_protected(app, world):
    """7 of 8 (88 %) chose t1, so 1 did not: the shown share must not tell it."""
    first = people(5, topics={"t1", "t2"}) + people(2, topics={"t1"}) + people(1, topics={"t2"})
    second = (
        people(5, topics={"t1", "t3"}) + people(4, topics={"t2", "t3"}) + people(1, topics={"t2"})
    )
    series = world(first, second)
    outputs = viewer_outputs(app, series)
    assert_nothing_narrowed(app, series, "topics", outputs)
    assert_well_formed(outputs)
    by_name = {what: summary for what, summary, _, _ in outputs}
    topics = question_of(by_name[f"workshop {series.ids[0]}"], "topics")
    if not topics.get("suppressed"):  # a hidden question shows no options at all
        t1 = option_of(by_name[f"workshop {series.ids[0]}"], "topics", "t1")
        assert t1.get("suppressed"), (topics, t1)


#: Multi choice: all 9 of group x in the first workshop chose t2 alone.
ALL_CHOSE_T2 = (
    people(9, group="x", topics={"t2"})
    + people(6, group="y", topics={"t1"})
    + people(5, group="y", topics={"t1", "t3"}),
    people(5, group="x", topics={"t1", "t2"})
    + people(6, group="x", topics={"t2"})
    + people(7, group="y", topics={"t3"})
    + people(5, group="y", topics={"t1"}),
)


def test_everyone_choosing_the_one_option_left_is_not_told(app, world):
    """Multi choice, group x of the first workshop: n 9, t1 0, t3 0, t2 hidden; whoever
    answered chose at least one option, so all 9 chose t2 unless more is hidden."""
    series = world(*ALL_CHOSE_T2)
    outputs = viewer_outputs(app, series)
    assert_nothing_narrowed(app, series, "topics", outputs)
    assert_well_formed(outputs)


def test_everyone_in_a_group_giving_one_answer_is_not_told(app, world):
    """All 7 of group x in the first workshop speak a: 100 % must not be shown."""
    first = (
        people(7, group="x", lang="a")
        + people(6, group="y", lang="b")
        + people(5, group="y", lang="c")
    )
    second = (
        people(5, group="x", lang="a")
        + people(6, group="x", lang="b")
        + people(5, group="y", lang="a")
        + people(8, group="y", lang="c")
    )
    series = world(first, second)
    outputs = viewer_outputs(app, series)
    assert_nothing_narrowed(app, series, "lang", outputs)
    assert_well_formed(outputs)
    by_name = {what: summary for what, summary, _, _ in outputs}
    lang = question_of(by_name[f"workshop {series.ids[0]} filtered to x"], "lang")
    assert not any(o.get("share") == 1.0 for o in lang.get("options", [])), lang


def test_histogram_bins_do_not_give_a_hidden_bin(app, world):
    """Sizes 1 x5, 2 x5, 3 x1, 4 x5 in the first workshop: n minus the shown bins is not 1."""
    first = people(5, size=1) + people(5, size=2) + people(1, size=3) + people(5, size=4)
    second = people(6, size=1) + people(7, size=3) + people(6, size=4)
    series = world(first, second)
    outputs = viewer_outputs(app, series)
    assert_nothing_narrowed(app, series, "size", outputs)
    assert_well_formed(outputs)
    by_name = {what: summary for what, summary, _, _ in outputs}
    size = question_of(by_name[f"workshop {series.ids[0]}"], "size")
    assert size.get("suppressed") or sum(b.get("suppressed", False) for b in size["histogram"]) > 1


#: Numbers: all 6 of group x in the first workshop (and all 8 of y in the second) have 3.
ALL_SAY_3 = (
    people(6, group="x", size=3) + people(5, group="y", size=2) + people(6, group="y", size=5),
    people(7, group="x", size=2) + people(5, group="x", size=4) + people(8, group="y", size=3),
)


def test_a_number_everyone_in_a_group_gave_is_not_told(app, world):
    """All 6 of group x in the first workshop have 3 members: a histogram of one bin (and a
    mean, median and quartiles of 3) must not say so."""
    series = world(*ALL_SAY_3)
    outputs = viewer_outputs(app, series)
    assert_nothing_narrowed(app, series, "size", outputs)
    assert_well_formed(outputs)


#: Numbers: group y of the second workshop has 5 with 2 and 4 with 6 (the only 2s there).
OWN_EDGES = (
    people(6, group="x", size=2)
    + people(3, group="x", size=3)
    + people(1, group="x", size=9)
    + people(7, group="y", size=4)
    + people(2, group="y", size=5)
    + people(4, group="z")
    + people(2, size=5)
    + people(1),
    people(9, group="x", size=3)
    + people(4, group="y", size=6)
    + people(5, group="y", size=2)
    + people(6, group="z", size=4),
)


def test_group_histograms_with_edges_of_their_own_still_add_up(app, world):
    """Each part's histogram has its own edges (from its smallest and largest answer), so
    no bin of a group is linked to its workshop's; but a group's count between two values
    is at most its workshop's. Second workshop: [2, 3) 5 shown; its group y: [2, 3) hidden,
    [6, 7) "fewer than k", the rest 0, n 9: so the hidden 2s are 5 and the 6s are 4."""
    series = world(*OWN_EDGES)
    outputs = viewer_outputs(app, series)
    assert_nothing_narrowed(app, series, "size", outputs)
    assert_well_formed(outputs)


# --- labels ---------------------------------------------------------------------------------

#: A small series with a breakdown: counts from 1 to 9 in every kind of cell.
MIXED = (
    people(6, group="x", lang="a", topics={"t1"}, rate="satisfied", size=2)
    + people(3, group="x", lang="b", topics={"t1", "t2"}, rate="neutral", size=3)
    + people(1, group="x", lang="c", rate="very_satisfied", size=9)
    + people(7, group="y", lang="b", topics={"t2"}, rate="dissatisfied", size=4)
    + people(2, group="y", lang="a", topics={"t3"}, size=4)
    + people(4, group="z", lang="c", topics={"t1", "t3"}, rate="satisfied")
    + people(2, lang="a", rate="neutral", size=5)
    + people(1)
)
MIXED_TOO = (
    people(9, group="x", lang="b", topics={"t2"}, rate="satisfied", size=3)
    + people(4, group="y", lang="a", topics={"t1"}, rate="neutral", size=6)
    + people(5, group="y", lang="c", topics={"t1", "t3"}, rate="very_dissatisfied", size=2)
    + people(6, group="z", lang="c", topics={"t3"}, rate="satisfied", size=4)
)


def true_count(app, ids: list[int], group: str | None, question: str, **where: Any) -> int:
    """Count respondents in the database (raw SQL): who answered ``question`` as ``where`` says."""
    clauses = ["a.workshop_id IN ({})".format(",".join(str(i) for i in ids))]
    clauses.append("a.question_key = :question")
    parameters: dict[str, Any] = {"question": question}
    if "option" in where:
        clauses.append("a.option_key = :option")
        parameters["option"] = where["option"]
    if "item" in where:
        clauses.append("a.item_key = :item")
        parameters["item"] = where["item"]
    if "low" in where:
        clauses.append("a.value_num >= :low")
        clauses.append("a.value_num <= :high" if where["last"] else "a.value_num < :high")
        parameters["low"], parameters["high"] = where["low"], where["high"]
    if group is not None:
        clauses.append(
            "a.response_id IN (SELECT g.response_id FROM answer g"
            " WHERE g.question_key = 'group' AND g.option_key = :group)"
        )
        parameters["group"] = group
    sql = "SELECT count(DISTINCT a.response_id) FROM answer a WHERE " + " AND ".join(clauses)
    with app.app_context():
        return db.session.execute(text(sql), parameters).scalar_one()


def group_size(app, ids: list[int], group: str) -> int:
    return true_count(app, ids, None, "group", option=group)


def hidden_cells(app, world: World, output: Output) -> Iterable[tuple[str, str, int, bool]]:
    """Yield ``(what, reason, true count, inherited)`` for each hidden cell of an output.

    ``inherited``: a question hidden with its hidden group, under the group's label.
    """
    what, summary, workshop, group = output
    ids = world.ids if workshop is None else [workshop]
    if summary.get("suppressed"):
        yield f"{what} respondents", summary["reason"], group_size(app, ids, group), False
        for question in summary.get("questions", []):
            key = question["key"]
            count = true_count(app, ids, group, key)
            yield f"{what}: {key} n (with its group)", question["reason"], count, True
        return
    for question in summary.get("questions", []):
        key = question["key"]
        name = f"{what}: {key}"
        if question.get("suppressed"):
            yield f"{name} n", question["reason"], true_count(app, ids, group, key), False
            continue
        for option in question.get("options", []):
            if option.get("suppressed"):
                count = true_count(app, ids, group, key, option=option["key"])
                yield f"{name} {option['key']}", option["reason"], count, False
        for item in question.get("items", []):
            if item.get("suppressed"):
                count = true_count(app, ids, group, key, item=item["key"])
                yield f"{name} item {item['key']}", item["reason"], count, False
                continue
            for point in item.get("distribution", []):
                if point.get("suppressed"):
                    count = true_count(app, ids, group, key, item=item["key"], option=point["key"])
                    yield f"{name} {point['key']}", point["reason"], count, False
        bins = question.get("histogram", [])
        for number, cell in enumerate(bins):
            if cell.get("suppressed"):
                last = number == len(bins) - 1
                count = true_count(
                    app, ids, group, key, low=cell["low"], high=cell["high"], last=last
                )
                yield f"{name} [{cell['low']}, {cell['high']}]", cell["reason"], count, False


def test_labels_tell_the_truth_in_every_output(app, world):
    """Every hidden cell's label against its count in the database: "fewer than k" only for
    1 to k-1, "not shown (protects a small group)" only for 0 or k and more. A question
    hidden with its group carries the group's label: never "fewer than k" for k or more."""
    series = world(MIXED, MIXED_TOO)
    outputs = viewer_outputs(app, series)
    assert_well_formed(outputs)
    checked: Counter[str] = Counter()
    wrong = []
    for output in outputs:
        for what, reason, count, inherited in hidden_cells(app, series, output):
            checked[reason] += 1
            if reason == "small" and count >= K:
                wrong.append(f"{what}: {count} labelled fewer than {K}")
            if inherited:
                continue
            if reason == "small" and count < 1:
                wrong.append(f"{what}: {count} labelled fewer than {K}")
            if reason == "protects" and 0 < count < K:
                wrong.append(f"{what}: {count} labelled protects a small group")
    assert wrong == []
    assert checked["small"] and checked["protects"], checked


def test_a_selection_of_workshops_labels_its_hidden_sums_truthfully(app, world):
    """Two workshops of three: a sum of cells hidden in different ways (one "fewer than
    k", one "protects") is "not shown", which claims nothing; "fewer than k" stays only
    on sums of 1 to k-1 and "protects" only on 0 or k and more."""
    series = world(MIXED, MIXED_TOO, MIXED_TOO)
    chosen = series.ids[:2]
    with app.app_context():
        settings = ResultSettings.published(app.config, db.session.get(Series, series.series_id))
        summary = summarize_scope(INSTRUMENT, Scope.of(chosen), settings)
    part = World(series.series_id, chosen, {i: series.respondents[i] for i in chosen})
    reasons: Counter[str] = Counter()
    wrong = []
    for what, reason, count, inherited in hidden_cells(app, part, ("two", summary, None, None)):
        reasons[reason] += 1
        if reason == "small" and not 0 < count < K and not inherited:
            wrong.append(f"{what}: {count} labelled fewer than {K}")
        if reason == "protects" and 0 < count < K and not inherited:
            wrong.append(f"{what}: {count} labelled protects a small group")
    assert wrong == [] and sum(reasons.values()), reasons


@pytest.mark.parametrize("question", ["lang", "topics", "rate", "size"])
def test_a_mixed_series_gives_nothing_away(app, world, question):
    series = world(MIXED, MIXED_TOO)
    assert_nothing_narrowed(app, series, question)


# --- survey-app audit --------------------------------------------------------------------------


def test_audit_command_prints_ranges_and_exits_0_on_a_protected_series(app, world):
    series = world(C, D)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "--series", str(series.series_id)])
    assert result.exit_code == 0, result.output
    assert re.search(r"workshops \d+, \d+: k = 5, \d+ cells", result.output), result.output
    assert "hidden small counts, each with a range reaching 1..4" in result.output
    everything = runner.invoke(args=["audit", "--series", "s1", "--all"])
    assert everything.exit_code == 0, everything.output
    small = f"workshop {series.ids[0]}: lang option a [fewer than k] range "
    assert re.search(re.escape(small) + r"(\d+)\.\.(\d+) ok", everything.output), everything.output
    low, high = map(
        float, re.search(re.escape(small) + r"(\S+)\.\.(\S+) ok", everything.output).groups()
    )
    assert low <= 1 and high >= K - 1
    exact = runner.invoke(args=["audit", "--series", "s1", "--all", "--integer"])
    assert exact.exit_code == 0, exact.output
    assert small in exact.output
    assert "EXPOSED" not in everything.output + exact.output


def test_audit_command_exits_1_and_names_what_a_pattern_leaves_exposed(app, world, monkeypatch):
    """Without secondary suppression (only the primary pattern), C's 3 is the series' 9
    minus D's 6: the audit says so and exits 1."""

    def primary_only(cells, k, exact=None):
        return Decision(initial_status(cells, k))

    monkeypatch.setattr(protection, "protect", primary_only)
    series = world(C, D)
    result = app.test_cli_runner().invoke(args=["audit", "--series", str(series.series_id)])
    assert result.exit_code == 1, result.output
    exposed = f"workshop {series.ids[0]}: lang option a [fewer than k] range 3..3 EXPOSED"
    assert exposed in result.output
    assert "NOT PROTECTED: 1 exposed" in result.output


@pytest.mark.parametrize(
    ("workshops", "question"),
    [(ALL_CHOSE_T2, "topics"), (ALL_SAY_3, "size"), (OWN_EDGES, "size")],
    ids=["multi", "number", "histogram"],
)
def test_audit_command_does_not_pass_a_series_a_reader_can_narrow(app, world, workshops, question):
    """The audit is sound: where a reader of every output narrows a count or tells a
    unanimous answer, `survey-app audit` does not exit 0."""
    series = world(*workshops)
    found = attack(app, series, question)
    result = app.test_cli_runner().invoke(args=["audit", "--series", str(series.series_id)])
    assert not found or result.exit_code == 1, (
        "the audit passes, but a reader can tell:\n" + "\n".join(found) + "\n" + result.output
    )
