"""Scope summaries of choice, ranking and likert questions, checked by hand."""

from __future__ import annotations

import json

import pytest

from survey_app.results import Scope

from .results_helpers import (
    ALL_TYPES,
    INSTRUMENT,
    W1,
    answers_of,
    assert_close,
    cell,
    question,
    submit,
    summary,
)


def test_choice_summaries(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    result = summary(app, Scope.workshop(workshop.id))
    assert result["n_responses"] == 10
    assert_close(
        question(result, "org_type"),
        {
            "key": "org_type",
            "type": "single_choice",
            "label": {"de": "Art", "ar": "النوع"},
            "n": 10,
            "options": [
                # culture 6/10: Wilson (0.3127, 0.8318)
                {
                    "key": "culture",
                    "label": {"de": "Kultur", "ar": "ثقافة"},
                    **cell(6, 10, 0.3127, 0.8318),
                },
                {
                    "key": "religion",
                    "label": {"de": "Religion", "ar": "دين"},
                    **cell(3, 10, 0.1078, 0.6032),
                },
                {
                    "key": "sports",
                    "label": {"de": "Sport", "ar": "رياضة"},
                    **cell(0, 10, 0.0, 0.2775),
                },
                {
                    "key": "other",
                    "label": {"de": "Andere", "ar": "أخرى"},
                    **cell(1, 10, 0.0179, 0.4042),
                },
            ],
        },
    )
    # multi_choice: 6 respondents (r1-r4, r7, r8); shares of those 6
    fields = question(result, "fields")
    assert fields["n"] == 6
    assert_close(
        [
            {k: o[k] for k in ("key", "count", "share", "ci_low", "ci_high")}
            for o in fields["options"]
        ],
        [
            {"key": "youth", **cell(4, 6, 0.3, 0.9032)},  # r1 r2 r3 r7
            {"key": "education", **cell(2, 6, 0.0968, 0.7)},  # r1 r4
            {"key": "health", **cell(2, 6, 0.0968, 0.7)},  # r3 r8
            {"key": "other", **cell(1, 6, 0.0301, 0.5635)},  # r8
        ],
    )
    # "other" texts never leave the engine
    text = json.dumps(result, ensure_ascii=False)
    assert "Verein" not in text and "Senioren" not in text and "Markt" not in text


def test_ranking_summary(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    ranking = question(summary(app, Scope.workshop(workshop.id)), "top_needs")
    labels = {o.key: dict(o.label) for o in INSTRUMENT.question("top_needs").options}

    def option(key, top, first, top_ci, first_ci, borda):
        return {
            "key": key,
            "label": labels[key],
            **cell(top, 10, *top_ci),
            **cell(top, 10, *top_ci, prefix="top_"),
            **cell(first, 10, *first_ci, prefix="first_"),
            "borda": borda,
        }

    assert_close(
        ranking,
        {
            "key": "top_needs",
            "type": "ranking",
            "label": {"de": "Wichtigste Bedarfe", "ar": "أهم الاحتياجات"},
            "n": 10,
            "rank": 3,
            "options": [
                # funding: 1st r1 r2 r5 r10, 2nd r3 r4 r9, 3rd r7: (4*3 + 3*2 + 1*1) / 10
                option("funding", 8, 4, (0.4902, 0.9433), (0.1682, 0.6873), 1.9),
                # rooms: 1st r3 r4 r6, 2nd r1 r2, 3rd r10: (9 + 4 + 1) / 10
                option("rooms", 6, 3, (0.3127, 0.8318), (0.1078, 0.6032), 1.4),
                # volunteers: 1st r7 r9, 2nd r10, 3rd r1: (6 + 2 + 1) / 10
                option("volunteers", 4, 2, (0.1682, 0.6873), (0.0567, 0.5098), 0.9),
                # training: 1st r8, 2nd r7, 3rd r4: (3 + 2 + 1) / 10
                option("training", 3, 1, (0.1078, 0.6032), (0.0179, 0.4042), 0.6),
            ],
        },
    )


def test_ranking_ties_go_to_first_places_then_instrument_order(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(
        app,
        workshop,
        [
            answers_of("culture", ["volunteers", "training", "funding"], "yes"),
            answers_of("culture", ["funding", "training"], "yes"),
            answers_of("culture", ["rooms"], "yes"),
        ],
    )
    options = question(summary(app, Scope.workshop(workshop.id)), "top_needs")["options"]
    # funding 3 + 1 = 4 points (one 1st), training 2 + 2 = 4 (no 1st);
    # rooms and volunteers 3 each with one 1st: instrument order puts rooms first
    assert [o["key"] for o in options] == ["funding", "training", "rooms", "volunteers"]
    assert [o["borda"] for o in options] == pytest.approx([4 / 3, 4 / 3, 1, 1])
    assert [o["first_count"] for o in options] == [1, 0, 1, 1]


def test_likert_summary(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    result = summary(app, Scope.workshop(workshop.id))
    support = question(result, "support")
    assert support["n"] == 9  # r1-r9 answered at least one item
    assert [(p["key"], p["value"]) for p in support["scale"]][:2] == [
        ("very_dissatisfied", 1),
        ("dissatisfied", 2),
    ]
    assert support["top2_points"] == ["very_satisfied", "satisfied"]
    city, state = support["items"]
    assert city["label"] == {"de": "Stadt", "ar": "المدينة"}
    assert_close(
        {k: v for k, v in city.items() if k not in ("label", "distribution")},
        # values 1 2 3 4 4 4 5 5: mean 28 / 8; top-2 = 5/8
        {"key": "city", "n": 8, "mean": 3.5, **cell(5, 8, 0.3057, 0.8632, prefix="top2_")},
    )
    assert_close(
        [
            {k: p[k] for k in ("key", "value", "count", "share", "ci_low", "ci_high")}
            for p in city["distribution"]
        ],
        [
            {"key": "very_dissatisfied", "value": 1, **cell(1, 8, 0.0224, 0.4709)},
            {"key": "dissatisfied", "value": 2, **cell(1, 8, 0.0224, 0.4709)},
            {"key": "neutral", "value": 3, **cell(1, 8, 0.0224, 0.4709)},
            {"key": "satisfied", "value": 4, **cell(3, 8, 0.1368, 0.6943)},
            {"key": "very_satisfied", "value": 5, **cell(2, 8, 0.0715, 0.5907)},
        ],
    )
    # state: 3 3 1 5 -> mean 12 / 4, top-2 1/4
    assert state["n"] == 4 and state["mean"] == pytest.approx(3.0)
    assert [p["count"] for p in state["distribution"]] == [1, 0, 2, 0, 1]
    assert (state["top2_count"], state["top2_ci_low"]) == (1, pytest.approx(0.0456, abs=1e-4))
    # a two-point scale: the top box is its higher point; 7 yes of 10
    agreement = question(result, "agreement")
    assert agreement["top2_points"] == ["yes"]
    heard = agreement["items"][0]
    assert_close(
        {k: v for k, v in heard.items() if k not in ("label", "distribution")},
        {"key": "heard", "n": 10, "mean": 0.7, **cell(7, 10, 0.3968, 0.8922, prefix="top2_")},
    )
    assert heard["distribution"][0] == {
        "key": "no",
        "label": {"de": "Nein", "ar": "لا"},
        "value": 0,
        **cell(3, 10, pytest.approx(0.1078, abs=1e-4), pytest.approx(0.6032, abs=1e-4)),
    }
