"""Fixtures and helpers of the results tests: small hand-checked data sets."""

from __future__ import annotations

from typing import Any

import pytest

from survey_app.instruments import parse_instrument_file
from survey_app.results import ResultSettings, Scope, summarize_scope

from .conftest import FIXTURES
from .support.responses import store_responses

ALL_TYPES = FIXTURES / "all-types.yaml"
INSTRUMENT, _ = parse_instrument_file(ALL_TYPES)


def answers_of(org: str, needs: list[str], agreement: str, *more: tuple[str, str]):
    pairs = [("q.org_type", org), ("q.agreement.heard", agreement)]
    pairs += [(f"q.top_needs.{place}", key) for place, key in enumerate(needs, start=1)]
    return pairs + list(more)


#: Ten responses to all-types.yaml; the tests below count them by hand. Points
#: (priorities, 10 each, 7 respondents): funding 4 givers 23 points, rooms 5 givers
#: 28 points, training 3 givers 19 points.
W1 = [
    answers_of(
        "culture", ["funding", "rooms", "volunteers"], "yes",
        ("q.fields", "youth"), ("q.fields", "education"), ("q.members", "10"),
        ("q.budget", "0"), ("q.support.city", "very_satisfied"), ("q.support.state", "neutral"),
        ("q.expectations", "Mehr Räume und mehr Förderung"), ("q.overall", "5"),
        ("q.priorities.funding", "6"), ("q.priorities.rooms", "4"),
    ),
    answers_of(
        "culture", ["funding", "rooms"], "yes",
        ("q.fields", "youth"), ("q.members", "20"), ("q.budget", "1000"),
        ("q.support.city", "satisfied"), ("q.support.state", "neutral"),
        ("q.expectations", "Förderung für Räume!"), ("q.overall", "4"),
        ("q.priorities.funding", "10"),
    ),
    answers_of(
        "culture", ["rooms", "funding"], "yes",
        ("q.fields", "youth"), ("q.fields", "health"), ("q.members", "20"),
        ("q.budget", "2500"), ("q.support.city", "satisfied"),
        ("q.expectations", "räume, räume, RÄUME"), ("q.overall", "4"),
        ("q.priorities.rooms", "7"), ("q.priorities.training", "3"),
    ),
    answers_of(
        "culture", ["rooms", "funding", "training"], "yes",
        ("q.fields", "education"), ("q.members", "35"), ("q.budget", "250,5"),
        ("q.support.city", "neutral"), ("q.support.state", "very_dissatisfied"),
        ("q.expectations", "Die Förderung 2024 ist gut"), ("q.overall", "4"),
        ("q.priorities.funding", "5"), ("q.priorities.rooms", "5"),
    ),
    answers_of(
        "culture", ["funding"], "no",
        ("q.members", "50"), ("q.support.city", "dissatisfied"),
        ("q.expectations", "دعم مالي من البلدية"), ("q.overall", "3"), ("lang", "ar"),
        ("q.priorities.funding", "2"), ("q.priorities.rooms", "2"), ("q.priorities.training", "6"),
    ),
    answers_of(
        "culture", ["rooms"], "yes",
        ("q.members", "100"), ("q.support.city", "very_satisfied"), ("q.overall", "1"),
        ("q.priorities.rooms", "10"),
    ),
    answers_of(
        "religion", ["volunteers", "training", "funding"], "no",
        ("q.religion_detail", "Gemeinde am Markt"), ("q.fields", "youth"),
        ("q.support.city", "very_dissatisfied"), ("q.priorities.training", "10"),
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
    store_responses(app, workshop, responses, INSTRUMENT)


def summary(app, scope: Scope, k: int = 1) -> dict[str, Any]:
    """Summarize all-types.yaml in ``scope`` (k = 1: nothing is suppressed)."""
    with app.app_context():
        return summarize_scope(INSTRUMENT, scope, ResultSettings(k))


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
