"""Scope summaries of numbers, ratings and text, empty questions, several workshops."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, update

from survey_app.extensions import db
from survey_app.models import Response
from survey_app.results import Scope

from .results_helpers import ALL_TYPES, W1, W2, assert_close, cell, question, submit, summary


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
            # whole numbers: quantiles are answers (Hyndman & Fan type 1, the smallest
            # value with at least p of the answers at or below it), never "27.5 members"
            "median": 20.0,  # 3 of 6 at or below 20
            "q1": 20.0,  # 1.5 of 6 -> the 2nd value
            "q3": 50.0,  # 4.5 of 6 -> the 5th value
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
        "priorities",
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
    assert "min" not in members and "max" not in members  # one respondent's value each
    assert {k: members[k] for k in ("n", "mean", "median", "q1", "q3")} == {
        "n": 0, "mean": None, "median": None, "q1": None, "q3": None,
    }  # fmt: skip
    # the series' bins, each 0, so that the workshops' bins add up to the series'
    series_bins = question(summary(app, Scope.of([one.id, two.id]), k=1), "members")["histogram"]
    assert [(b["low"], b["high"]) for b in members["histogram"]] == [
        (b["low"], b["high"]) for b in series_bins
    ]
    assert len(series_bins) >= 2 and all(b["count"] == 0 for b in members["histogram"])
    city = question(alone, "support")["items"][0]
    assert (city["n"], city["mean"], city["top2_count"], city["top2_share"]) == (0, None, 0, None)
    assert question(alone, "expectations") == {
        "key": "expectations", "type": "long_text",
        "label": {"de": "Erwartungen", "ar": "التوقعات"}, "n": 0, "terms": [],
    }  # fmt: skip
    assert question(alone, "overall") == {
        "key": "overall", "type": "rating", "label": {"de": "Gesamt", "ar": "التقييم العام"},
        "suppressed": True, "reason": "small",
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
