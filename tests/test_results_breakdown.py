"""Breakdown by a question and comparison across workshops, on stored answers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from survey_app.extensions import db
from survey_app.models import Workshop
from survey_app.results import (
    ResultSettings,
    Scope,
    compare_workshops,
    summarize_breakdown,
    summarize_scope,
)
from survey_app.results.comparison import compact

from .results_helpers import ALL_TYPES, INSTRUMENT, W1, W2, answers_of, question, submit


def breakdown(app, scope: Scope, k: int, key: str = "org_type") -> dict:
    with app.app_context():
        return summarize_breakdown(INSTRUMENT, scope, key, ResultSettings(k))


def test_breakdown_groups_by_chosen_option(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    result = breakdown(app, Scope.workshop(workshop.id), k=1)
    assert result["breakdown"] == "org_type" and result["label"] == {"de": "Art", "ar": "النوع"}
    groups = {g["key"]: g for g in result["groups"]}
    assert [(g["key"], g["n_responses"]) for g in result["groups"]] == [
        ("culture", 6), ("religion", 3), ("sports", 0), ("other", 1),
    ]  # fmt: skip
    assert groups["other"]["label"] == {"de": "Andere", "ar": "أخرى"}
    culture, religion = groups["culture"], groups["religion"]
    assert "org_type" not in [q["key"] for q in culture["questions"]]
    # agreement: culture r1-r6 yes yes yes yes no yes; religion r7-r9 no yes yes
    assert [p["count"] for p in question(culture, "agreement")["items"][0]["distribution"]] == [
        1,
        5,
    ]
    assert [p["count"] for p in question(religion, "agreement")["items"][0]["distribution"]] == [
        1,
        2,
    ]
    # ranking within religion (n = 3): volunteers 1st r7 r9 -> (3 + 3) / 3; training
    # 1st r8, 2nd r7 -> 5 / 3; funding 3rd r7, 2nd r9 -> 3 / 3
    ranking = question(religion, "top_needs")["options"]
    assert [(o["key"], o["first_count"]) for o in ranking[:3]] == [
        ("volunteers", 2), ("training", 1), ("funding", 0),
    ]  # fmt: skip
    assert [o["borda"] for o in ranking[:3]] == pytest.approx([2.0, 5 / 3, 1.0])
    # numbers and texts are summarized per group too; texts by their n (groups list no
    # terms: those are cells of the workshops and the series only)
    members = question(culture, "members")
    assert (members["n"], members["median"]) == (6, 20)  # 10 20 20 35 50 100: 3rd value
    assert question(religion, "members")["n"] == 0
    assert question(religion, "religion_detail")["n"] == 2
    assert question(culture, "expectations")["n"] == 5
    assert question(culture, "expectations")["terms"] == []
    assert all(q["n"] == 0 for q in groups["sports"]["questions"])
    assert "arrivals" not in culture


def test_breakdown_suppresses_small_groups(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    result = breakdown(app, Scope.workshop(workshop.id), k=5)
    assert result["min_group_size"] == 5
    culture, religion, sports, other = result["groups"]
    # religion 3 and other 1 are hidden as small, with every question of theirs; 0 is shown
    for group in (religion, other):
        assert group["suppressed"] and group["reason"] == "small"
        assert "n_responses" not in group and all(q["suppressed"] for q in group["questions"])
    assert religion["label"] == {"de": "Religion", "ar": "دين"}
    assert sports["n_responses"] == 0
    # culture (6) is not small, but the workshop's 10 minus it would leave religion and
    # other together 4, so religion could only be 1-3: it is hidden to protect them
    assert culture["suppressed"] and culture["reason"] == "protects"
    assert all(q["suppressed"] for q in culture["questions"])


def test_breakdown_with_every_group_suppressed(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W2)  # culture 1, sports 2
    result = breakdown(app, Scope.workshop(workshop.id), k=5)
    groups = {g["key"]: g for g in result["groups"]}
    for key in ("culture", "sports"):  # 1 and 2 of 3: "fewer than 5", or "not shown" where
        assert groups[key]["reason"] in ("small", "withheld")  # those labels narrow each other
    for key in ("religion", "other"):  # nobody: 0, shown or hidden as what 0 is not ("small")
        empty = groups[key]
        assert empty.get("n_responses") == 0 or empty["reason"] in ("protects", "withheld")


def test_breakdown_needs_a_breakdown_question(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    for key in ("fields", "missing"):
        with pytest.raises(ValueError):
            breakdown(app, Scope.workshop(workshop.id), k=5, key=key)
    with pytest.raises(ValueError), app.app_context():
        summarize_breakdown(
            INSTRUMENT,
            Scope.workshop(workshop.id).with_group("org_type", "culture"),
            "org_type",
            ResultSettings(),
        )


def test_scope_narrowed_to_one_group(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    with app.app_context():
        result = summarize_scope(
            INSTRUMENT,
            Scope.workshop(workshop.id).with_group("org_type", "religion"),
            ResultSettings(1),
        )
    assert result["n_responses"] == 3 and "arrivals" not in result
    assert [o["count"] for o in question(result, "org_type")["options"]] == [0, 3, 0, 0]
    assert question(result, "fields")["n"] == 2  # r7 r8


def make_series(app, make_workshop) -> tuple[Workshop, Workshop, Workshop]:
    """Three workshops of series s1: W1 (10 responses), W2 (3), and 6 more."""
    one, two, three = (make_workshop(ALL_TYPES) for _ in range(3))
    submit(app, one, W1)
    submit(app, two, W2)
    submit(app, three, [answers_of("culture", ["funding"], "yes")] * 6)
    with app.app_context():
        for workshop, on in ((one, date(2026, 5, 10)), (two, date(2026, 4, 1))):
            db.session.execute(update(Workshop).where(Workshop.id == workshop.id).values(date=on))
        db.session.commit()
    return one, two, three


def test_comparison_gives_compact_figures_per_workshop(app, make_workshop):
    one, two, three = make_series(app, make_workshop)
    with app.app_context():
        scope = Scope.series(db.session, one.series_id)
        result = compare_workshops(INSTRUMENT, scope, ResultSettings(1))
        alone = summarize_scope(INSTRUMENT, Scope.workshop(one.id), ResultSettings(1))
    assert result["n_responses"] == 19
    # by date, undated last
    assert [(w["id"], w["date"], w["n_responses"]) for w in result["workshops"]] == [
        (two.id, "2026-04-01", 3), (one.id, "2026-05-10", 10), (three.id, None, 6),
    ]  # fmt: skip
    second = result["workshops"][1]
    assert (second["title"], second["municipality"]) == ("Test workshop", "Teststadt")
    org_type = question(second, "org_type")
    assert set(org_type) == {"key", "type", "n", "options"}
    assert set(org_type["options"][0]) == {"key", "count", "share", "ci_low", "ci_high"}
    members = question(second, "members")
    assert "histogram" not in members and members["median"] == 20  # whole numbers
    assert set(question(second, "support")["items"][0]) == {
        "key", "n", "mean", "top2_count", "top2_share", "top2_ci_low", "top2_ci_high",
    }  # fmt: skip
    assert question(second, "expectations") == {"key": "expectations", "type": "long_text", "n": 5}
    # the same numbers as the workshop's own summary, made compact
    expected = [q for q in (compact(q) for q in alone["questions"]) if q["type"] != "long_text"]
    assert [q for q in second["questions"] if q["type"] not in ("long_text", "short_text")] == [
        q for q in expected if q["type"] != "short_text"
    ]
    assert [o["count"] for o in question(result["workshops"][2], "org_type")["options"]] == [
        6,
        0,
        0,
        0,
    ]


def test_comparison_hides_small_workshops_and_a_complement(app, make_workshop):
    one, two, three = make_series(app, make_workshop)
    with app.app_context():
        scope = Scope.of([one.id, two.id, three.id])
        result = compare_workshops(INSTRUMENT, scope, ResultSettings(5))
        alone = summarize_scope(INSTRUMENT, Scope.workshop(one.id), ResultSettings(5))
    assert result["n_responses"] == 19 and result["min_group_size"] == 5
    small, shown, other = result["workshops"]
    # How many took part in a workshop is public; the 3 answers of workshop two are
    # each fewer than 5, and hidden as such.
    assert small["id"] == two.id and small["n_responses"] == 3
    # (or "not shown" where the breakdown of such small workshops is withheld whole)
    assert all(q.get("reason") in ("small", "withheld") or q["n"] == 0 for q in small["questions"])
    assert shown["n_responses"] == 10 and other["n_responses"] == 6
    # what a workshop shows in the comparison is what it shows alone
    assert shown["questions"] == [compact(q) for q in alone["questions"]]
