"""Applying protection to a summary: shapes, reasons and statistics that would give cells away.

``suppress_summary`` protects one summary on its own (``disclosure.protect`` over its
cells, then ``apply_statuses``); the linked set of a series is tested in
``test_disclosure*.py``. Every hidden cell here is checked for a truthful reason:
"small" only for counts of 1 to k-1.
"""

from __future__ import annotations

from survey_app.results.suppression import suppress_summary

K = 5


def choice(key: str, counts: list[int], kind: str = "single_choice") -> dict:
    """Return a raw choice summary with options a, b, c, ... (shares left out)."""
    options = [{"key": chr(97 + i), "count": c} for i, c in enumerate(counts)]
    return {"key": key, "type": kind, "label": {"en": key}, "n": sum(counts), "options": options}


def scope_summary(*questions: dict, n_responses: int = 100) -> dict:
    return {"n_responses": n_responses, "questions": list(questions)}


def shown(question: dict) -> list[int | None]:
    """Return each option's count, None where suppressed."""
    return [o.get("count") if not o.get("suppressed") else None for o in question["options"]]


def reasons_are_truthful(raw: list[dict], result: list[dict]) -> None:
    """Every hidden cell says "small" exactly when its true count is 1 to k-1."""
    for before, after in zip(raw, result, strict=True):
        if after.get("suppressed"):
            small = 0 < before["count"] < K
            assert after["reason"] == ("small" if small else "protects"), (before, after)


def test_a_small_cell_is_hidden_with_enough_others_and_labelled_truthfully():
    raw = choice("q", [6, 5, 5, 2, 0])
    result = suppress_summary(scope_summary(raw), K)["questions"][0]
    if result.get("suppressed"):  # n = 18 hidden, and all below it: not small
        assert result["reason"] == "protects" and "options" not in result
        return
    assert result["options"][3] == {"key": "d", "suppressed": True, "reason": "small"}
    # n = 18 is shown: with 2 hidden alone it would be 18 - 16; the others hidden with it
    # are labelled as protecting, never as small
    hidden = [o for o in result["options"] if o.get("suppressed")]
    assert len(hidden) >= 2
    reasons_are_truthful(raw["options"], result["options"])
    assert result["options"][4]["count"] == 0  # a zero tells nothing: shown


def test_a_question_below_k_is_hidden_whole_and_k_is_shown():
    small = choice("small", [3, 1])
    result = suppress_summary(scope_summary(small, choice("none", [0, 0])), K)
    assert result["questions"][0] == {
        "key": "small",
        "type": "single_choice",
        "label": {"en": "small"},
        "suppressed": True,
        "reason": "small",
    }
    assert result["questions"][1]["n"] == 0 and "suppressed" not in result["questions"][1]
    assert result["min_group_size"] == K


def test_everyone_giving_one_answer_is_not_shown():
    """100 % of a group of 7: every member's answer would be known."""
    result = suppress_summary(scope_summary(choice("q", [7, 0, 0])), K)["questions"][0]
    assert result.get("suppressed") or result["options"][0].get("suppressed")


def test_did_not_choose_is_a_count_too():
    """88 % of 8 chose an option: the 1 who did not is a small count."""
    chose = {**choice("m", [7, 8], "multi_choice"), "n": 8}
    question = suppress_summary(scope_summary(chose), K)["questions"][0]
    assert question.get("suppressed") or question["options"][0].get("suppressed")


def test_ranking_first_places_hidden_take_borda_with_them():
    options = [
        {"key": key, "count": top, "first_count": first, "first_share": first / 20, "borda": 1.0}
        for key, top, first in (("a", 15, 10), ("b", 12, 3), ("c", 9, 7), ("d", 20, 0))
    ]
    ranking = {"key": "r", "type": "ranking", "label": {}, "n": 20, "options": options}
    result = suppress_summary(scope_summary(ranking), K)["questions"][0]["options"]
    b = result[1]
    if not b.get("suppressed"):
        assert "first_count" not in b and "borda" not in b and b["first_reason"] == "small"


def likert(counts: list[int]) -> dict:
    points = [{"key": f"p{i + 1}", "value": i + 1, "count": c} for i, c in enumerate(counts)]
    item = {"key": "i", "n": sum(counts), "distribution": points, "mean": 3.0}
    item.update({"top2_count": counts[3] + counts[4], "top2_share": 0.5})
    return {
        "key": "l",
        "type": "likert",
        "label": {},
        "n": sum(counts),
        "top2_points": ["p5", "p4"],
        "items": [item],
    }


def test_likert_hidden_points_take_the_mean_and_a_telling_top_box():
    def item(counts):
        question = suppress_summary(scope_summary(likert(counts)), K)["questions"][0]
        if question.get("suppressed"):  # its n (143) hidden with all below it: not small
            assert question["reason"] == "protects"
            return None
        return question["items"][0]

    one = item([20, 30, 40, 3, 50])
    if one is None:
        return
    assert one["distribution"][3]["reason"] == "small" and "mean" not in one
    # top-2 (53) minus p5 (50) would give p4: the top box is not shown as it is
    assert "top2_count" not in one or one["distribution"][4].get("suppressed")
    reasons_are_truthful(
        likert([20, 30, 40, 3, 50])["items"][0]["distribution"], one["distribution"]
    )
    assert item([10, 10, 10, 10, 10])["mean"] == 3.0  # nothing hidden: everything stays


def test_rating_statistics_go_with_hidden_points():
    rating = choice("r", [1, 0, 10, 10, 10], "rating")
    rating.update({"mean": 3.5, "median": 4.0})
    result = suppress_summary(scope_summary(rating), K)["questions"][0]
    assert result["options"][0]["reason"] == "small"
    assert "mean" not in result and "median" not in result


def test_histogram_bins_take_the_number_statistics_and_terms_need_k():
    number = {
        "key": "x",
        "type": "number",
        "label": {},
        "n": 20,
        "mean": 4.0,
        "median": 1.0,
        "q1": 0.0,
        "q3": 2.0,
        "histogram": [
            {"low": 0, "high": 1, "count": 12},
            {"low": 1, "high": 2, "count": 6},
            {"low": 2, "high": 3, "count": 2},
        ],
        "terms": [{"term": "a", "count": 7}, {"term": "b", "count": 5}, {"term": "c", "count": 4}],
    }
    result = suppress_summary(scope_summary(number), K)["questions"][0]
    assert result["histogram"][2] == {"low": 2, "high": 3, "suppressed": True, "reason": "small"}
    assert result["histogram"][1]["suppressed"]  # 20 - 12 - 6 would give it
    assert not {"mean", "median", "q1", "q3"} & set(result)
    assert [t["term"] for t in result["terms"]] == ["a", "b"]


def test_small_bins_that_narrow_each_other_down_are_not_shown_and_n_stays():
    """14 answers in twelve bins: labelled "fewer than 5" each, a bin would hold at most 3
    (14 minus eleven others of at least 1). "not shown" tells nothing, and n stays shown."""
    counts = [1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1]
    assert sum(counts) == 14
    number = {
        "key": "x",
        "type": "number",
        "label": {},
        "n": 14,
        "histogram": [{"low": i, "high": i + 1, "count": c} for i, c in enumerate(counts)],
    }
    result = suppress_summary(scope_summary(number, n_responses=14), K)["questions"][0]
    assert result["n"] == 14 and not result.get("suppressed")
    reasons = [b.get("reason") for b in result["histogram"]]
    assert reasons.count("withheld") >= 2 and None not in reasons, reasons
    assert "small" not in reasons or reasons.count("small") <= 1, reasons


def test_a_question_is_not_hidden_where_hiding_options_will_do():
    """Hiding the n of 40 would leave out the whole question: two options cost less."""
    raw = choice("q", [20, 10, 8, 2])
    result = suppress_summary(scope_summary(raw, n_responses=60), K)["questions"][0]
    assert result["n"] == 40 and not result.get("suppressed")
    assert result["options"][3] == {"key": "d", "suppressed": True, "reason": "small"}
    assert sum(1 for o in result["options"] if o.get("suppressed")) == 2
    reasons_are_truthful(raw["options"], result["options"])


def ranking_of(places: dict[str, list[int]]) -> dict:
    """A ranking of 20 respondents, 3 places: option key -> how many put it 1st, 2nd, 3rd."""
    options = [
        {
            "key": key,
            "count": sum(counts),
            "first_count": counts[0],
            "borda": (3 * counts[0] + 2 * counts[1] + counts[2]) / 20,
            "place_counts": counts,
        }
        for key, counts in places.items()
    ]
    return {"key": "r", "type": "ranking", "label": {}, "n": 20, "rank": 3, "options": options}


def test_borda_points_do_not_give_later_places_away():
    """r2: count 18, first 6, and 2.0 points per respondent of 20 = 40 points, so
    3*6 + 2*second + third = 40 with second + third = 12: second 10, third 2."""
    places = {"r1": [10, 5, 0], "r2": [6, 10, 2], "r3": [4, 2, 6], "r4": [0, 3, 7]}
    result = suppress_summary(scope_summary(ranking_of(places), n_responses=20), K)["questions"][0]
    r2 = next(o for o in result["options"] if o["key"] == "r2")
    told = {"count", "first_count", "borda"} <= set(r2)
    assert not told, r2
    r1 = next(o for o in result["options"] if o["key"] == "r1")  # places 10, 5, 0: no secret
    assert r1["borda"] == 2.0
    assert all("place_counts" not in o for o in result["options"])


def test_a_ranking_option_without_points_does_not_keep_its_place_between_others():
    """Ordered by Borda points, an option whose points are hidden would be bounded by its
    neighbours' points: such options follow the others, by key (here against the order)."""
    places = {"r4": [10, 5, 0], "r3": [6, 10, 2], "r2": [4, 2, 6], "r1": [0, 3, 7]}
    result = suppress_summary(scope_summary(ranking_of(places), n_responses=20), K)["questions"][0]
    with_points = [o["key"] for o in result["options"] if "borda" in o]
    assert "r3" not in with_points and with_points[0] == "r4"
    order = [o["key"] for o in result["options"]]
    assert order[: len(with_points)] == with_points
    assert order[len(with_points) :] == sorted(set(places) - set(with_points))


def test_a_hidden_ranking_option_stands_among_those_nobody_ranked():
    """Not after them: listed below an option without points it would read as the least
    ranked of all. r0 (2 third places) is hidden, r9 nobody ranked: both by key."""
    places = {"r1": [8, 4, 2], "r2": [6, 6, 4], "r3": [6, 4, 4], "r4": [0, 6, 8],
              "r0": [0, 0, 2], "r9": [0, 0, 0]}  # fmt: skip
    result = suppress_summary(scope_summary(ranking_of(places), n_responses=20), K)["questions"][0]
    order = [o["key"] for o in result["options"]]
    ranked = [o["key"] for o in result["options"] if (o.get("borda") or 0) > 0]
    assert ranked and order[: len(ranked)] == ranked
    assert order[len(ranked) :] == sorted(set(places) - set(ranked))
    assert order.index("r0") < order.index("r9")


def test_k_below_two_hides_nothing():
    result = suppress_summary(scope_summary(choice("q", [1, 2, 0])), 1)["questions"][0]
    assert shown(result) == [1, 2, 0]
