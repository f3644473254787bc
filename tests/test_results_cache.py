"""Cached per-workshop parts: the same results as counting afresh, and never stale."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from survey_app.extensions import db
from survey_app.instruments.store import store_instrument_file
from survey_app.models import Answer, AnswerTheme, Response, SummaryPart, Theme, Workshop
from survey_app.responses.answers import answers_hash, read_answers
from survey_app.responses.operations import replace_response
from survey_app.results import (
    ResultSettings,
    Scope,
    compare_workshops,
    summarize_breakdown,
    summarize_scope,
)
from survey_app.results.partial import Partial
from survey_app.workshops.operations import create_workshop, get_or_create_series
from survey_app.workshops.retention import delete_responses

from .results_helpers import ALL_TYPES, INSTRUMENT, W1, W2, answers_of, question, submit


def every_result(app, ids: list[int], k: int, cache: bool) -> dict[str, Any]:
    """Summarize, compare and break down ``ids`` with the cache on or off."""
    settings = ResultSettings(k, cache)
    with app.app_context():
        scope = Scope.of(ids)
        results = {
            "summary": summarize_scope(INSTRUMENT, scope, settings),
            "group": summarize_scope(INSTRUMENT, scope.with_group("org_type", "culture"), settings),
            "comparison": compare_workshops(INSTRUMENT, scope, settings),
            "breakdown": summarize_breakdown(INSTRUMENT, scope, "org_type", settings),
        }
        db.session.commit()  # keep parts written in this (command-like) transaction
        return results


def assert_cached_equals_fresh(app, ids: list[int], k: int = 5) -> dict[str, Any]:
    """Compute everything twice through the cache (cold, then warm) and once without."""
    cold = every_result(app, ids, k, cache=True)
    warm = every_result(app, ids, k, cache=True)
    fresh = every_result(app, ids, k, cache=False)
    assert cold == fresh
    assert warm == fresh
    return fresh


def two_workshops(app, make_workshop) -> tuple[Workshop, Workshop]:
    first = make_workshop(ALL_TYPES)
    second = make_workshop(ALL_TYPES)
    submit(app, first, W1)
    submit(app, second, W2 + W2)
    return first, second


def parts_stored(app) -> list[tuple[int, str, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(SummaryPart.workshop_id, SummaryPart.group_key, SummaryPart.responses)
        )
        return sorted(tuple(row) for row in rows)


def test_cached_results_equal_fresh_counts(app, make_workshop):
    first, second = two_workshops(app, make_workshop)
    for k in (1, 5):
        assert_cached_equals_fresh(app, [first.id, second.id], k)
    stored = parts_stored(app)
    assert (first.id, "", 10) in stored and (second.id, "", 6) in stored
    assert (first.id, "org_type:culture", 10) in stored  # the part's version: all responses


def test_suppression_is_decided_on_the_sum(app, make_workshop):
    """Three 'sports' answers in each workshop: hidden in each, shown for both (k = 5)."""
    first, second = two_workshops(app, make_workshop)
    submit(app, first, [answers_of("sports", ["rooms"], "yes")] * 3)
    submit(app, second, [answers_of("sports", ["rooms"], "yes")])
    fresh = assert_cached_equals_fresh(app, [first.id, second.id], k=5)
    org_type = question(fresh["summary"], "org_type")
    # 3 + 4 + 1 = 8 (workshop 2 has four: W2 twice; workshop 1 three): not small, but
    # hidden with the small ones it would give away by subtraction (or the whole
    # breakdown "not shown", where nothing less protects them)
    for sports in (o for o in org_type.get("options", []) if o["key"] == "sports"):
        assert sports.get("count", 8) == 8 and sports.get("reason", "protects") == "protects"
    assert org_type.get("reason", "withheld") == "withheld"
    by_workshop = {w["id"]: w for w in fresh["comparison"]["workshops"]}
    first_org = question(by_workshop[first.id], "org_type")
    first_sports = [o for o in first_org.get("options", []) if o["key"] == "sports"]
    assert first_org.get("suppressed") or first_sports[0].get("suppressed") is True
    assert all("count" not in o for o in first_sports)


def test_new_responses_are_added_to_the_stored_part(app, make_workshop):
    first, second = two_workshops(app, make_workshop)
    ids = [first.id, second.id]
    assert_cached_equals_fresh(app, ids)
    submit(app, first, [answers_of("religion", ["training"], "no", ("q.overall", "5"))])
    fresh = assert_cached_equals_fresh(app, ids)
    assert fresh["summary"]["n_responses"] == 17
    assert (first.id, "", 11) in parts_stored(app)


def test_an_edit_is_counted_again(app, make_workshop):
    first, second = two_workshops(app, make_workshop)
    ids = [first.id, second.id]
    before = assert_cached_equals_fresh(app, ids, k=1)
    with app.app_context():
        response = db.session.scalar(
            select(Response).where(Response.workshop_id == first.id).order_by(Response.id)
        )
        pairs = answers_of("sports", ["training"], "no", ("q.members", "999"))
        read = read_answers(INSTRUMENT, MultiDict(pairs))
        replace_response(response, "de", read.rows, answers_hash(read.rows))
        db.session.commit()
    after = assert_cached_equals_fresh(app, ids, k=1)
    assert after != before
    assert question(after["summary"], "members")["histogram"][-1]["high"] >= 999


def test_deleted_responses_are_not_counted_even_when_ids_come_back(app, make_workshop):
    """SQLite gives new rows the ids of deleted ones: the parts go with the responses."""
    first, second = two_workshops(app, make_workshop)
    ids = [first.id, second.id]
    assert_cached_equals_fresh(app, ids)
    with app.app_context():
        workshop = db.session.get(Workshop, second.id)
        delete_responses(workshop)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(SummaryPart).where(
            SummaryPart.workshop_id == second.id)) == 0  # fmt: skip
    # As many responses again, so count and (on SQLite) newest id may be as before.
    submit(app, second, [answers_of("religion", ["volunteers"], "no")] * 6)
    fresh = assert_cached_equals_fresh(app, ids, k=1)
    org = {o["key"]: o for o in question(fresh["summary"], "org_type")["options"]}
    assert org["religion"]["count"] == 3 + 6


def test_theme_changes_show_at_once(app, make_workshop):
    first, second = two_workshops(app, make_workshop)
    ids = [first.id, second.id]
    assert_cached_equals_fresh(app, ids, k=1)
    with app.app_context():
        workshop = db.session.get(Workshop, first.id)
        theme = Theme(series_id=workshop.series_id, label="Räume", keywords="räume")
        db.session.add(theme)
        db.session.flush()
        texts = db.session.scalars(
            select(Answer.id).where(
                Answer.workshop_id == first.id, Answer.question_key == "expectations"
            )
        ).all()
        db.session.add_all(AnswerTheme(answer_id=i, theme_id=theme.id) for i in texts[:2])
        db.session.commit()
    fresh = assert_cached_equals_fresh(app, ids, k=1)
    themes = question(fresh["summary"], "expectations")["themes"]
    assert [(t["label"]["und"], t["count"]) for t in themes] == [("Räume", 2)]


def test_a_workshop_on_another_instrument_version_keeps_its_own_parts(app, make_workshop):
    first, _ = two_workshops(app, make_workshop)
    with app.app_context():
        snapshot, _ = store_instrument_file(str(ALL_TYPES))
        other = create_workshop(snapshot, "Empty", get_or_create_series("s1"), "X")
        db.session.commit()
        other_id = other.id
    assert_cached_equals_fresh(app, [first.id, other_id])


def test_partial_json_round_trip_and_sum():
    one = Partial(
        2, {"q": {("a",): 1, (None,): 1}, "n": {(None, 3.0): 2}}, {"m": 2},
        {"t": Counter({"räume": 2})}, Counter({"2026-03-01T10:00:00Z": 2}),
    )  # fmt: skip
    again = Partial.from_json(one.to_json())
    assert again == one
    total = Partial()
    total.add(one)
    total.add(again)
    assert total.n_responses == 4
    assert total.counts["n"][(None, 3.0)] == 4
    assert total.terms["t"]["räume"] == 4
    assert total.arrival_list() == [{"minute": "2026-03-01T10:00:00Z", "count": 4}]
    assert one.n_responses == 2  # adding never changes the parts


def test_parts_counted_while_reading_a_page_are_stored_by_a_short_write(app, make_workshop):
    """A GET only reads (on SQLite: DEFERRED); the parts go in a transaction of their own."""
    first, second = two_workshops(app, make_workshop)
    with app.test_request_context("/", method="GET"):
        result = summarize_scope(INSTRUMENT, Scope.of([first.id, second.id]), ResultSettings(5))
        db.session.rollback()  # the page's own transaction writes nothing
    assert result["n_responses"] == 16
    stored = [(w, g) for w, g, _ in parts_stored(app)]
    assert (first.id, "") in stored and (second.id, "") in stored  # and each group's part
    assert {w for w, _ in stored} == {first.id, second.id}
