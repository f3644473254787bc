"""Published versions over time: a reader who kept an earlier version learns nothing more.

Published results cover closed workshops, so each close makes a new version of the
series. The difference of two versions is the newly closed workshop; each version
protected alone would give its hidden counts away. The release history
(``results.releases``) keeps what each version told, and the next one is protected
with it in view. Attacked here by the integer-programming reader of every output.
"""

from __future__ import annotations

import json
import time
import zlib
from typing import Any

import pytest
from sqlalchemy import delete, select

from survey_app.extensions import db
from survey_app.models import Release, Series
from survey_app.results.protection import clear_cache

from .support.attacks import database_url, fresh_decisions  # noqa: F401 (fixtures)
from .support.responses import close_workshops, reopen_workshops, store_responses
from .test_disclosure_outputs import (
    INSTRUMENT,
    LANGUAGES,
    SMALL_GROUPS,
    K,
    Output,
    World,
    assert_nothing_narrowed,
    assert_well_formed,
    attack,
    option_of,
    people,
    question_of,
    viewer_outputs,
)


def stored(app) -> list[tuple[list[int], list[list[Any]]]]:
    """Return each release's workshops and stored cells, oldest first."""
    with app.app_context():
        releases = db.session.scalars(select(Release).order_by(Release.id)).all()
        return [(r.workshop_ids, json.loads(zlib.decompress(r.cells))) for r in releases]


def shown_counts(summary: dict[str, Any]) -> dict[str, int]:
    """Return the shown counts of the language options (none where the question is hidden)."""
    options = question_of(summary, "lang").get("options", [])
    return {o["key"]: o["count"] for o in options if "count" in o}


def test_the_series_before_and_after_a_close_does_not_give_the_new_workshop_away(
    app, make_workshop, logged_in_client
):
    """Three workshops closed, the series read (a 31); a fourth closes, the series read
    again (a 34 if shown): the difference would be the fourth workshop's 3, which its own
    results hide."""
    earlier = [
        people(10, lang="a") + people(10, lang="b"),
        people(9, lang="a") + people(9, lang="b"),
        people(12, lang="a") + people(8, lang="b"),
    ]
    last = people(3, lang="a") + people(10, lang="b") + people(10, lang="c")
    created = [make_workshop(SMALL_GROUPS) for _ in [*earlier, last]]
    for workshop, persons in zip(created, [*earlier, last], strict=True):
        store_responses(app, workshop, [p.pairs() for p in persons], INSTRUMENT)
    close_workshops(app, *created[:3])
    viewer = logged_in_client("viewer", created[0].series_id)
    url = f"/api/v1/series/{created[0].series_id}/summary"
    before = viewer.get(url).get_json()
    assert option_of(before, "lang", "a")["count"] == 31  # shown then, known for good
    close_workshops(app, created[3])
    after = viewer.get(url).get_json()
    own = viewer.get(f"/api/v1/workshops/{created[3].id}/summary").get_json()
    assert option_of(own, "lang", "a").get("reason") == "small"

    def count(summary: dict[str, Any], key: str) -> int | None:
        options = question_of(summary, "lang").get("options", [])  # none: hidden whole
        return next((o.get("count") for o in options if o["key"] == key), None)

    told = []
    for key in LANGUAGES:
        counts = [count(summary, key) for summary in (before, after)]
        if None not in counts and 0 < counts[1] - counts[0] < K:
            told.append((key, counts, count(own, key)))
    assert not told, f"(option, series before and after, the workshop's own) {told}"


def stored_world(app, make_workshop, respondents, series: str = "s1") -> tuple[World, list[Any]]:
    """Store each list of respondents in a workshop of ``series``; return the world and them."""
    created = [make_workshop(SMALL_GROUPS, series=series) for _ in respondents]
    for workshop, persons in zip(created, respondents, strict=True):
        store_responses(app, workshop, [p.pairs() for p in persons], INSTRUMENT)
    world = World(
        created[0].series_id,
        [w.id for w in created],
        {w.id: list(p) for w, p in zip(created, respondents, strict=True)},
    )
    return world, created


def closing_one_by_one(app, make_workshop, respondents) -> tuple[World, list[Output]]:
    """Close the workshops one after another; return every output of every version."""
    series, created = stored_world(app, make_workshop, respondents)
    kept: list[Output] = []
    for version in range(1, len(created) + 1):
        close_workshops(app, created[version - 1])
        last = version == len(created)
        kept += viewer_outputs(app, series, None if last else series.ids[:version])
    return series, kept


def test_every_output_before_and_after_closes_narrows_nothing(app, make_workshop):
    """A reader who kept every output of each version (one, two, then three workshops
    closed, groups and filters too) narrows no small count of any of them."""
    respondents = [
        people(6, group="x", lang="a") + people(7, group="y", lang="b"),
        people(5, group="x", lang="a") + people(2, group="y", lang="a") + people(8, lang="c"),
        people(3, group="x", lang="b") + people(9, group="y", lang="c") + people(6, lang="a"),
    ]
    series, kept = closing_one_by_one(app, make_workshop, respondents)
    assert_well_formed(kept)
    assert_nothing_narrowed(app, series, "lang", kept)


def test_a_count_once_shown_stays_shown_and_no_hidden_count_is_stored(app, make_workshop):
    respondents = [
        people(8, group="x", lang="a") + people(6, group="y", lang="b"),
        people(7, group="x", lang="a") + people(5, group="y", lang="c"),
        people(2, group="x", lang="a") + people(9, group="y", lang="b") + people(6, lang="c"),
    ]
    series, kept = closing_one_by_one(app, make_workshop, respondents)
    first, second = series.ids[:2]
    by_name = {what: summary for what, summary, _, _ in kept}
    for workshop in (first, second):
        earlier = by_name[f"workshop {workshop} (earlier)"]
        now = by_name[f"workshop {workshop}"]
        shown = shown_counts(earlier)
        assert {key: shown_counts(now).get(key) for key in shown} == shown
    versions = stored(app)
    assert [ids for ids, _ in versions] == [series.ids[:1], series.ids[:2], series.ids]
    hidden = [row for _, rows in versions for row in rows if row[3] != "shown"]
    assert hidden, "the last version hides the third workshop's 2"
    assert all(row[4] is None for row in hidden), hidden[:3]
    assert all(row[4] is not None for _, rows in versions for row in rows if row[3] == "shown")


def test_labels_of_a_version_whose_data_changed_are_not_carried(app, make_workshop):
    """Closed with 3 'a' (hidden as fewer than 5), reopened, 6 more 'a', closed: 9 is shown."""
    workshops = [make_workshop(SMALL_GROUPS) for _ in range(2)]
    store_responses(
        app,
        workshops[0],
        [p.pairs() for p in people(3, lang="a") + people(9, lang="b")],
        INSTRUMENT,
    )
    store_responses(
        app,
        workshops[1],
        [p.pairs() for p in people(7, lang="b") + people(6, lang="c")],
        INSTRUMENT,
    )
    close_workshops(app, *workshops)
    series = World(workshops[0].series_id, [w.id for w in workshops], {})
    first = {what: s for what, s, _, _ in viewer_outputs(app, series)}
    assert option_of(first[f"workshop {workshops[0].id}"], "lang", "a")["reason"] == "small"
    reopen_workshops(app, workshops[0])
    store_responses(app, workshops[0], [p.pairs() for p in people(6, lang="a")], INSTRUMENT)
    close_workshops(app, workshops[0])
    again = {what: s for what, s, _, _ in viewer_outputs(app, series)}
    assert option_of(again[f"workshop {workshops[0].id}"], "lang", "a")["count"] == 9
    assert len(stored(app)) == 2


def test_deleting_a_series_deletes_its_release_history(app, make_workshop):
    workshop = make_workshop(SMALL_GROUPS)
    store_responses(app, workshop, [p.pairs() for p in people(6, lang="a")], INSTRUMENT)
    close_workshops(app, workshop)
    viewer_outputs(app, World(workshop.series_id, [workshop.id], {}))
    assert len(stored(app)) == 1
    with app.app_context():
        db.session.execute(delete(Series).where(Series.id == workshop.series_id))
        db.session.commit()
    assert stored(app) == []


def test_a_published_version_is_shown_as_recorded_by_every_server(app, make_workshop):
    """Another server (a cold cache) shows a version with its recorded statuses, not with
    a decision of its own: the same data is never shown two ways."""
    workshops = [make_workshop(SMALL_GROUPS) for _ in range(2)]
    for workshop in workshops:
        persons = people(7, lang="a") + people(8, lang="b") + people(6, lang="c")
        store_responses(app, workshop, [p.pairs() for p in persons], INSTRUMENT)
    close_workshops(app, *workshops)
    series = World(workshops[0].series_id, [w.id for w in workshops], {})
    first = {what: s for what, s, _, _ in viewer_outputs(app, series)}
    assert option_of(first["series"], "lang", "b")["count"] == 16
    with app.app_context():  # as if the first server had withheld the series' b
        release = db.session.scalars(select(Release)).one()
        rows = json.loads(zlib.decompress(release.cells))
        for row in rows:
            if row[:3] == [None, None, ["lang", "option", "b"]]:
                row[3:] = ["withheld", None]
        release.cells = zlib.compress(json.dumps(rows).encode())
        db.session.commit()
    clear_cache()
    again = {what: s for what, s, _, _ in viewer_outputs(app, series)}
    assert option_of(again["series"], "lang", "b") == {
        "key": "b",
        "label": {"de": "B"},
        "suppressed": True,
        "reason": "withheld",
    }


def edges(summary: dict[str, Any]) -> list[float]:
    """Return the bin edges of the number question "size"."""
    question = question_of(summary, "size")
    assert "histogram" in question, question  # shown, not hidden whole
    bins = question["histogram"]
    return [bins[0]["low"], *(b["high"] for b in bins)]


def test_bins_keep_their_edges_across_versions_and_live_answers(
    app, make_workshop, logged_in_client
):
    """The first published version bins sizes 10-17 in steps of 1. A live answer of 95
    elsewhere moves no published edge; once it is published too, the bins grow at the
    top in the same steps. Coarser bins ([0, 20) = 13 beside an earlier [10, 11) "fewer
    than 5" and shown neighbours) would give that bin away by subtraction."""
    first = people(6, lang="a", size=10) + people(7, lang="a", size=12) + people(6, size=17)
    second = people(6, lang="b", size=95) + people(6, lang="b", size=0)
    a, b = make_workshop(SMALL_GROUPS), make_workshop(SMALL_GROUPS)
    store_responses(app, a, [p.pairs() for p in first], INSTRUMENT)
    close_workshops(app, a)
    viewer = logged_in_client("viewer", a.series_id)
    url = f"/api/v1/series/{a.series_id}/summary"
    before = viewer.get(url).get_json()
    assert edges(before)[:2] == [10, 11] and edges(before)[-1] == 18
    store_responses(app, b, [p.pairs() for p in second[:1]], INSTRUMENT)  # b open: live
    assert edges(viewer.get(url).get_json()) == edges(before)
    own = viewer.get(f"/api/v1/workshops/{a.id}/summary").get_json()
    assert edges(own) == edges(before)
    store_responses(app, b, [p.pairs() for p in second[1:]], INSTRUMENT)
    close_workshops(app, b)
    after = viewer.get(url).get_json()
    grown = edges(after)
    assert grown[0] == 0 and grown[-1] == 96
    assert set(edges(before)) <= set(grown)  # every earlier edge is still an edge
    assert {round(high - low, 9) for low, high in zip(grown, grown[1:], strict=False)} == {1}
    own_after = edges(viewer.get(f"/api/v1/workshops/{a.id}/summary").get_json())
    assert set(edges(before)) <= set(own_after) <= set(grown)  # A's bins: the same grid


def test_a_workshop_changed_meanwhile_keeps_the_earlier_series_totals_in_view(
    app, make_workshop, logged_in_client
):
    """Series of A and B read (lang "a": 11); B reopened and closed again unchanged,
    while C (2 of "a") closes: the series now (13) minus before (11) would be C's 2."""
    groups = [
        people(3, lang="a") + people(10, lang="b") + people(10, lang="c"),
        people(8, lang="a") + people(9, lang="b") + people(9, lang="c"),
        people(2, lang="a") + people(8, lang="b") + people(7, lang="c"),
    ]
    a, b, c = (make_workshop(SMALL_GROUPS) for _ in groups)
    for workshop, persons in zip((a, b, c), groups, strict=True):
        store_responses(app, workshop, [p.pairs() for p in persons], INSTRUMENT)
    close_workshops(app, a, b)
    viewer = logged_in_client("viewer", a.series_id)
    url = f"/api/v1/series/{a.series_id}/summary"
    before = shown_counts(viewer.get(url).get_json())
    assert before.get("a") == 11
    reopen_workshops(app, b)
    close_workshops(app, b, c)
    after = shown_counts(viewer.get(url).get_json())
    own = viewer.get(f"/api/v1/workshops/{c.id}/summary").get_json()
    assert option_of(own, "lang", "a").get("reason") == "small"
    told = {key: (before[key], after[key]) for key in before.keys() & after.keys()
            if 0 < after[key] - before[key] < K}  # fmt: skip
    assert not told, f"(series before, after) {told}"


def test_outputs_kept_across_a_reopening_narrow_nothing(app, make_workshop):
    """Versions: A; A and B; B reopened and closed unchanged while C closes. A reader who
    kept every output of each (groups and filters too) narrows no small count."""
    respondents = [
        people(3, group="x", lang="a") + people(7, group="y", lang="b") + people(6, lang="c"),
        people(8, group="x", lang="a") + people(2, group="y", lang="b") + people(9, lang="c"),
        people(2, group="x", lang="a") + people(8, group="y", lang="b") + people(7, lang="c"),
    ]
    series, created = stored_world(app, make_workshop, respondents)
    close_workshops(app, created[0])
    kept = viewer_outputs(app, series, series.ids[:1])
    close_workshops(app, created[1])
    kept += viewer_outputs(app, series, series.ids[:2])
    reopen_workshops(app, created[1])
    close_workshops(app, created[1], created[2])
    kept += viewer_outputs(app, series, None)
    assert_well_formed(kept)
    assert_nothing_narrowed(app, series, "lang", kept)


def test_closing_again_or_reopening_the_first_workshop_keeps_the_bins(
    app, make_workshop, logged_in_client
):
    """A's sizes (10-17) set the grid; B (0-49) closes later. A second "close" of A, or
    A reopened and closed unchanged, must not hand the grid to B: width-5 bins
    [10, 15) = 8 beside A's earlier [12, 13) "fewer than 5" and the mean gave it (2)."""
    a, b = make_workshop(SMALL_GROUPS), make_workshop(SMALL_GROUPS)
    first = people(6, size=10) + people(2, size=12) + people(6, size=17)
    store_responses(app, a, [p.pairs() for p in first], INSTRUMENT)
    later = people(6, size=0) + people(6, size=25) + people(6, size=49)
    store_responses(app, b, [p.pairs() for p in later], INSTRUMENT)
    close_workshops(app, a)
    viewer = logged_in_client("viewer", a.series_id)
    url = f"/api/v1/workshops/{a.id}/summary"
    before = edges(viewer.get(url).get_json())
    time.sleep(1.1)  # closing times differ by whole seconds
    close_workshops(app, b)
    time.sleep(1.1)
    close_workshops(app, a)  # clicked again
    assert set(before) <= set(edges(viewer.get(url).get_json()))
    reopen_workshops(app, a)
    time.sleep(1.1)
    close_workshops(app, a)
    assert set(before) <= set(edges(viewer.get(url).get_json()))


def reopened_between(app, make_workshop, groups, series: str) -> tuple[World, list[Output]]:
    """v1: A and B closed; B reopened and closed unchanged while C closes: v2."""
    world, created = stored_world(app, make_workshop, groups, series)
    a, b, c = created
    close_workshops(app, a, b)
    kept = viewer_outputs(app, world, [a.id, b.id])
    reopen_workshops(app, b)
    time.sleep(1.1)
    close_workshops(app, b, c)
    return world, kept + viewer_outputs(app, world, None)


def test_a_workshop_reopened_unchanged_keeps_what_was_published_of_it(app, make_workshop):
    """Two layouts where the earlier version, dropped because B was reopened (though
    unchanged), let a reader pin A's group-y "a" to 1 and B's own "a" to 25-13-8 = 4."""
    layouts = [
        [people(3, group="x", lang="a") + people(7, group="x", lang="b")
         + people(1, group="y", lang="a") + people(5, group="y", lang="c"),
         people(3, group="x", lang="a") + people(4, group="x", lang="b")
         + people(4, group="y", lang="a") + people(1, group="y", lang="b")
         + people(5, group="y", lang="c"),
         people(3, group="x", lang="a") + people(5, group="x", lang="b")
         + people(7, group="y", lang="a") + people(6, group="y", lang="b")
         + people(8, group="y", lang="c")],
        [people(4, group="x", lang="a") + people(4, group="x", lang="b")
         + people(7, group="x", lang="c") + people(5, group="y", lang="b")
         + people(3, group="y", lang="c"),
         people(5, group="x", lang="b") + people(4, group="y", lang="a")
         + people(8, group="y", lang="b") + people(8, group="y", lang="c"),
         people(1, group="x", lang="b") + people(2, group="x", lang="c")
         + people(7, group="y", lang="a") + people(6, group="y", lang="b")
         + people(6, group="y", lang="c")],
    ]  # fmt: skip
    for number, groups in enumerate(layouts):
        world, kept = reopened_between(app, make_workshop, groups, f"layout-{number}")
        assert_well_formed(kept)
        assert_nothing_narrowed(app, world, "lang", kept)


def test_group_sizes_kept_across_versions_tell_no_unanimity(app, make_workshop):
    """v1 (A, B) showed B's group x with n = 0; v2 (A, B, C) would show the series'
    group z with n = 0: together, everyone in B is in group y."""
    respondents = [
        people(2, group="x", lang="a") + people(3, group="x", lang="b")
        + people(5, group="y", lang="a") + people(6, group="y", lang="b")
        + people(1, group="y", lang="c"),
        people(5, group="y", lang="a") + people(7, group="y", lang="b")
        + people(3, group="y", lang="c"),
        people(2, group="x", lang="b") + people(7, group="x", lang="c")
        + people(7, group="y", lang="a") + people(4, group="y", lang="b")
        + people(3, group="y", lang="c"),
    ]  # fmt: skip
    world, kept = versions_of(app, make_workshop, 2, respondents, "unanimous")
    assert_well_formed(kept)
    assert_nothing_narrowed(app, world, "lang", kept)


def test_labels_given_under_an_earlier_k_are_kept_when_k_changes(app, make_workshop):
    """v1 at k=5: B's "a" and "b" are "fewer than 5"; k becomes 6 and C closes: v2 would
    show B's c = 7 of 13, so a + b = 6 with each at most 4: both pinned to 2..4."""
    respondents = [
        people(6, group="x", lang="a") + people(7, group="y", lang="b")
        + people(8, group="y", lang="c"),
        people(3, group="x", lang="a") + people(3, group="y", lang="b")
        + people(7, group="y", lang="c"),
        people(9, group="x", lang="a") + people(8, group="y", lang="b")
        + people(7, group="x", lang="c"),
    ]  # fmt: skip
    world, created = stored_world(app, make_workshop, respondents, "k-change")
    a, b, c = created
    close_workshops(app, a, b)
    kept = viewer_outputs(app, world, [a.id, b.id])
    earlier = shown_counts(next(o for o in kept if o[2] == b.id)[1])
    assert "a" not in earlier and "b" not in earlier  # hidden at k=5
    with app.app_context():
        db.session.get(Series, world.series_id).min_group_size = 6
        db.session.commit()
    close_workshops(app, c)
    kept += viewer_outputs(app, world, None, k=6)
    assert_well_formed(kept)
    found = attack(app, world, "lang", kept, k_of=lambda what: 5 if "(earlier)" in what else 6)
    assert not found, "a reader of both versions can tell:\n" + "\n".join(found)


def layout(*workshops: list[tuple[str, str, int]]) -> list[list[Any]]:
    """Respondents per workshop from ``(group, lang, count)`` triples."""
    return [
        [person for group, lang, count in cells for person in people(count, group=group, lang=lang)]
        for cells in workshops
    ]


#: Layouts a random search over three-workshop series found leaking across versions
#: (each clean when the three close at once): (name, scenario, workshops, what leaked).
#: Scenario 1: A, then B, then C close; 2: A and B, then C; 4: A and B, then B
#: reopened unchanged and closed with C. The first four leaked because a later
#: "not shown" replaced an earlier "protects" in the model of what a reader knows;
#: s2-41 because a hiding pattern chosen as enough was not checked again.
FOUND_ACROSS_VERSIONS = [
    ("s1-131", 1, layout([("x", "b", 1), ("x", "c", 2), ("y", "a", 1), ("y", "b", 1)],
                         [("y", "a", 10)], [("x", "a", 4), ("x", "c", 1)]),
     "series lang c: 3, read as 2..8"),
    ("s1-30", 1, layout([("z", "b", 1), ("z", "c", 4)], [("y", "a", 2), ("y", "b", 8)],
                        [("x", "b", 6)]),
     "everyone in A is in group z"),
    ("s1-82", 1, layout([("x", "b", 1), ("x", "c", 8)],
                        [("x", "a", 5), ("z", "a", 2), ("z", "b", 3), ("z", "c", 1)],
                        [("y", "a", 2), ("y", "c", 7)]),
     "series lang b: 4, read as 2..7"),
    ("s4-96", 4, layout([("y", "a", 1), ("y", "b", 4)],
                        [("z", "a", 4), ("z", "b", 1), ("z", "c", 1), ("y", "b", 1)],
                        [("y", "b", 3), ("z", "c", 2)]),
     "series lang c: 3, read as 2..7"),
    ("s2-41", 2, layout([("x", "a", 1), ("x", "c", 9), ("z", "c", 5)], [("z", "a", 5)],
                        [("x", "a", 4), ("x", "c", 1), ("z", "b", 5)]),
     "everyone of C's group z answered b"),
]  # fmt: skip
#: Still open (README, Known limits): each version alone narrows nothing.
STILL_LEAKING = [
    ("s2-41-whole", 2, layout([("x", "a", 4), ("x", "c", 10), ("z", "b", 2), ("z", "c", 6)],
                              [("z", "a", 6), ("z", "c", 1)],
                              [("x", "a", 4), ("x", "c", 1), ("z", "b", 5), ("z", "c", 4)]),
     "everyone in B is in group z"),
]  # fmt: skip


def versions_of(app, make_workshop, scenario: int, respondents, name: str):
    """Publish the versions of a scenario; return the world and every output kept."""
    if scenario == 1:
        return closing_one_by_one(app, make_workshop, respondents)
    if scenario == 2:
        world, created = stored_world(app, make_workshop, respondents, name)
        close_workshops(app, *created[:2])
        kept = viewer_outputs(app, world, world.ids[:2])
        close_workshops(app, created[2])
        return world, kept + viewer_outputs(app, world, None)
    return reopened_between(app, make_workshop, respondents, name)


def each_layout(cases: list[tuple[str, int, list[list[Any]], str]]) -> Any:
    """Parametrize a test with ``(scenario, respondents)`` of each case, named by it."""
    return pytest.mark.parametrize(
        "scenario, respondents", [(s, r) for _, s, r, _ in cases],
        ids=[name for name, *_ in cases],
    )  # fmt: skip


def assert_versions_narrow_nothing(app, make_workshop, scenario, respondents) -> None:
    world, kept = versions_of(app, make_workshop, scenario, respondents, "layout")
    assert_nothing_narrowed(app, world, "lang", kept)


@each_layout(FOUND_ACROSS_VERSIONS)
def test_layouts_found_across_versions_narrow_nothing(app, make_workshop, scenario, respondents):
    assert_versions_narrow_nothing(app, make_workshop, scenario, respondents)


@each_layout(STILL_LEAKING)
def test_layouts_still_leaking_across_versions(app, make_workshop, scenario, respondents):
    """Open leaks across versions (README, Known limits): a strict expected failure."""
    assert_versions_narrow_nothing(app, make_workshop, scenario, respondents)
