"""Scope summaries from stored answers, on SQLite and PostgreSQL, checked by hand."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict

from survey_app.extensions import db
from survey_app.instruments import parse_instrument_file
from survey_app.models import Response
from survey_app.participate.answers import answers_hash, read_answers
from survey_app.participate.operations import Outcome, new_submission_id, submit_response
from survey_app.results import Scope, summarize_scope

from .conftest import FIXTURES

ALL_TYPES = FIXTURES / "all-types.yaml"
INSTRUMENT, _ = parse_instrument_file(ALL_TYPES)


def answers_of(org: str, needs: list[str], agreement: str, *more: tuple[str, str]):
    pairs = [("q.org_type", org), ("q.agreement.heard", agreement)]
    pairs += [(f"q.top_needs.{place}", key) for place, key in enumerate(needs, start=1)]
    return pairs + list(more)


#: Ten responses to all-types.yaml; the tests below count them by hand.
W1 = [
    answers_of(
        "culture", ["funding", "rooms", "volunteers"], "yes",
        ("q.fields", "youth"), ("q.fields", "education"), ("q.members", "10"),
        ("q.budget", "0"), ("q.support.city", "very_satisfied"), ("q.support.state", "neutral"),
        ("q.expectations", "Mehr Räume und mehr Förderung"), ("q.overall", "5"),
    ),
    answers_of(
        "culture", ["funding", "rooms"], "yes",
        ("q.fields", "youth"), ("q.members", "20"), ("q.budget", "1000"),
        ("q.support.city", "satisfied"), ("q.support.state", "neutral"),
        ("q.expectations", "Förderung für Räume!"), ("q.overall", "4"),
    ),
    answers_of(
        "culture", ["rooms", "funding"], "yes",
        ("q.fields", "youth"), ("q.fields", "health"), ("q.members", "20"),
        ("q.budget", "2500"), ("q.support.city", "satisfied"),
        ("q.expectations", "räume, räume, RÄUME"), ("q.overall", "4"),
    ),
    answers_of(
        "culture", ["rooms", "funding", "training"], "yes",
        ("q.fields", "education"), ("q.members", "35"), ("q.budget", "250,5"),
        ("q.support.city", "neutral"), ("q.support.state", "very_dissatisfied"),
        ("q.expectations", "Die Förderung 2024 ist gut"), ("q.overall", "4"),
    ),
    answers_of(
        "culture", ["funding"], "no",
        ("q.members", "50"), ("q.support.city", "dissatisfied"),
        ("q.expectations", "دعم مالي من البلدية"), ("q.overall", "3"), ("lang", "ar"),
    ),
    answers_of(
        "culture", ["rooms"], "yes",
        ("q.members", "100"), ("q.support.city", "very_satisfied"), ("q.overall", "1"),
    ),
    answers_of(
        "religion", ["volunteers", "training", "funding"], "no",
        ("q.religion_detail", "Gemeinde am Markt"), ("q.fields", "youth"),
        ("q.support.city", "very_dissatisfied"),
    ),
    answers_of(
        "religion", ["training"], "yes",
        ("q.religion_detail", "Moschee Gemeinde"), ("q.fields", "health"),
        ("q.fields", "other"), ("q.fields.other", "Senioren"), ("q.support.city", "satisfied"),
    ),
    answers_of("religion", ["volunteers", "funding"], "yes", ("q.support.state", "very_satisfied")),
    answers_of("other", ["funding", "volunteers", "rooms"], "no", ("q.org_type.other", "Verein X")),
]  # fmt: skip

#: Three responses of a second workshop; most optional questions stay empty.
W2 = [
    answers_of("culture", ["rooms"], "yes"),
    answers_of("sports", ["rooms", "funding"], "yes"),
    answers_of("sports", ["training"], "no", ("q.overall", "2")),
]


def submit(app, workshop, responses: list[list[tuple[str, str]]]) -> None:
    """Store ``responses`` (form pairs; ("lang", L) sets the language) and commit."""
    with app.app_context():
        for pairs in responses:
            language = dict(pairs).get("lang", "de")
            read = read_answers(INSTRUMENT, MultiDict([p for p in pairs if p[0] != "lang"]))
            assert read.valid, read.errors
            outcome = submit_response(
                workshop, new_submission_id(), language, True, read.rows, answers_hash(read.rows)
            )
            assert outcome is Outcome.stored
        db.session.commit()


def summary(app, scope: Scope, k: int = 1) -> dict[str, Any]:
    """Summarize all-types.yaml in ``scope`` (k = 1: nothing is suppressed)."""
    with app.app_context():
        return summarize_scope(INSTRUMENT, scope, min_group_size=k)


def question(result: dict[str, Any], key: str) -> dict[str, Any]:
    """Return the summary of question ``key``."""
    return next(q for q in result["questions"] if q["key"] == key)


def assert_close(actual: Any, expected: Any, path: str = "$") -> None:
    """Compare nested results: same keys and lengths, floats to 4 decimals."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        assert set(actual) == set(expected), f"{path}: {sorted(set(actual) ^ set(expected))}"
        for key, value in expected.items():
            assert_close(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), path
        for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_close(got, want, f"{path}[{index}]")
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, abs=1e-4), path
    else:
        assert actual == expected, path


def cell(count: int, n: int, low: float | None, high: float | None, prefix: str = "") -> dict:
    """Return expected count/share/ci fields (intervals written out by hand)."""
    return {
        f"{prefix}count": count,
        f"{prefix}share": count / n if n else None,
        f"{prefix}ci_low": low,
        f"{prefix}ci_high": high,
    }


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


def test_number_and_rating_summaries(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    result = summary(app, Scope.workshop(workshop.id))
    members = question(result, "members")
    bins = [10 + 10 * i for i in range(11)]
    assert_close(
        members,
        {
            "key": "members",
            "type": "number",
            "label": {"de": "Mitglieder", "ar": "الأعضاء"},
            "n": 6,
            "integer": True,
            "unit": {"de": "Mitglieder", "ar": "عضو"},
            # 10 20 20 35 50 100
            "mean": 39.1667,  # 235 / 6
            "median": 27.5,  # position 2.5: (20 + 35) / 2
            "q1": 20.0,  # position 1.25: 20 + 0.25 * 0
            "q3": 46.25,  # position 3.75: 35 + 0.75 * 15
            "min": 10.0,
            "max": 100.0,
            "histogram": [
                {"low": bins[i], "high": bins[i + 1], "count": c}
                for i, c in enumerate([1, 2, 1, 0, 1, 0, 0, 0, 0, 1])
            ],
        },
    )
    budget = question(result, "budget")
    # 0 250.5 1000 2500
    assert budget["n"] == 4 and budget["integer"] is False and budget["unit"] == {}
    assert budget["mean"] == pytest.approx(937.625)  # 3750.5 / 4
    assert budget["median"] == pytest.approx(625.25)  # 250.5 + 0.5 * 749.5
    assert budget["q1"] == pytest.approx(187.875)  # 0 + 0.75 * 250.5
    assert budget["q3"] == pytest.approx(1375)  # 1000 + 0.25 * 1500
    assert [b["count"] for b in budget["histogram"]] == [1, 1, 0, 0, 1, 0, 0, 0, 0, 1]
    assert budget["histogram"][-1]["high"] == 2500
    overall = question(result, "overall")
    # 5 4 4 4 3 1: mean 21 / 6, median at 2.5 -> 4
    assert_close(
        {k: v for k, v in overall.items() if k != "options"},
        {"key": "overall", "type": "rating", "label": {"de": "Gesamt", "ar": "التقييم العام"},
         "n": 6, "mean": 3.5, "median": 4.0},
    )  # fmt: skip
    assert_close(
        overall["options"],
        [
            {"key": "1", "label": {"de": "1", "ar": "1"}, "value": 1, **cell(1, 6, 0.0301, 0.5635)},
            {"key": "2", "label": {"de": "2", "ar": "2"}, "value": 2, **cell(0, 6, 0.0, 0.3903)},
            {"key": "3", "label": {"de": "3", "ar": "3"}, "value": 3, **cell(1, 6, 0.0301, 0.5635)},
            {"key": "4", "label": {"de": "4", "ar": "4"}, "value": 4, **cell(3, 6, 0.1876, 0.8124)},
            {"key": "5", "label": {"de": "5", "ar": "5"}, "value": 5, **cell(1, 6, 0.0301, 0.5635)},
        ],
    )


def test_text_summary_and_arrivals(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    with app.app_context():
        ids = db.session.scalars(select(Response.id).order_by(Response.id)).all()
        for first, minute in ((0, 0), (3, 1)):
            db.session.execute(
                update(Response)
                .where(Response.id.in_(ids[first : first + 3 if first == 0 else None]))
                .values(submitted_at=datetime(2026, 5, 1, 10, minute))
            )
        db.session.commit()
    result = summary(app, Scope.workshop(workshop.id))
    assert result["arrivals"] == [
        {"minute": "2026-05-01T10:00:00Z", "count": 3},
        {"minute": "2026-05-01T10:01:00Z", "count": 7},
    ]
    expectations = question(result, "expectations")
    assert expectations["n"] == 5
    # answers using a term: förderung r1 r2 r4, räume r1 r2 r3; "mehr", "und",
    # "für", "die", "ist", "gut", "من" are stop words or short, 2024 is a number
    assert expectations["terms"] == [
        {"term": "förderung", "count": 3},
        {"term": "räume", "count": 3},
        {"term": "البلدية", "count": 1},
        {"term": "دعم", "count": 1},
        {"term": "مالي", "count": 1},
    ]
    detail = question(result, "religion_detail")
    assert detail["n"] == 2 and detail["terms"][0] == {"term": "gemeinde", "count": 2}
    assert [q["key"] for q in result["questions"]] == [
        "org_type",
        "fields",
        "religion_detail",
        "members",
        "budget",
        "top_needs",
        "support",
        "agreement",
        "expectations",
        "overall",
    ]  # fmt: skip  (info "bye" has no summary)


def test_empty_questions_and_multi_workshop_scope(app, make_workshop):
    one = make_workshop(ALL_TYPES)
    two = make_workshop(ALL_TYPES)
    elsewhere = make_workshop(ALL_TYPES, series="s2")
    submit(app, one, W1)
    submit(app, two, W2)
    submit(app, elsewhere, W2[:1])
    alone = summary(app, Scope.workshop(two.id), k=5)
    # n = 0 is shown (nobody to protect); shares of nobody are undefined
    fields = question(alone, "fields")
    assert fields["n"] == 0 and "suppressed" not in fields
    assert fields["options"][0] == {
        "key": "youth",
        "label": {"de": "Jugend", "ar": "الشباب"},
        **cell(0, 0, None, None),
    }
    members = question(alone, "members")
    assert {k: members[k] for k in ("n", "mean", "median", "q1", "q3", "min", "max", "histogram")} == {
        "n": 0, "mean": None, "median": None, "q1": None, "q3": None, "min": None, "max": None,
        "histogram": [],
    }  # fmt: skip
    city = question(alone, "support")["items"][0]
    assert (city["n"], city["mean"], city["top2_count"], city["top2_share"]) == (0, None, 0, None)
    assert question(alone, "expectations") == {
        "key": "expectations", "type": "long_text",
        "label": {"de": "Erwartungen", "ar": "التوقعات"}, "n": 0, "terms": [],
    }  # fmt: skip
    assert question(alone, "overall") == {
        "key": "overall", "type": "rating", "label": {"de": "Gesamt", "ar": "التقييم العام"},
        "suppressed": True,
    }  # fmt: skip
    with app.app_context():
        series = Scope.series(db.session, one.series_id)
    assert series == Scope.of([one.id, two.id])
    both = summary(app, series)
    assert both["n_responses"] == 13  # 10 + 3; the workshop of series s2 is not in it
    assert_close(
        [
            {k: o[k] for k in ("key", "count", "ci_low", "ci_high")}
            for o in question(both, "org_type")["options"]
        ],
        [
            {"key": "culture", "count": 7, "ci_low": 0.2914, "ci_high": 0.7679},  # 6 + 1 of 13
            {"key": "religion", "count": 3, "ci_low": 0.0818, "ci_high": 0.5026},
            {"key": "sports", "count": 2, "ci_low": 0.0433, "ci_high": 0.4223},
            {"key": "other", "count": 1, "ci_low": 0.0137, "ci_high": 0.3331},
        ],
    )
    ranking = question(both, "top_needs")["options"]
    # funding 19 + 2 (2nd of one W2 response), rooms 14 + 3 + 3, volunteers 9, training 6 + 3:
    # volunteers and training tie at 9 points and 2 first places -> instrument order
    assert [(o["key"], o["first_count"], o["top_count"]) for o in ranking] == [
        ("funding", 4, 9), ("rooms", 5, 8), ("volunteers", 2, 4), ("training", 2, 4),
    ]  # fmt: skip
    assert [o["borda"] for o in ranking] == pytest.approx([21 / 13, 20 / 13, 9 / 13, 9 / 13])
    heard = question(both, "agreement")["items"][0]
    assert [p["count"] for p in heard["distribution"]] == [4, 9]  # no: 3 + 1, yes: 7 + 2
    assert question(both, "overall")["n"] == 7  # 6 + 1
