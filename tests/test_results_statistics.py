"""Pure statistics and text terms of the results engine (no database)."""

from __future__ import annotations

import random
import statistics

import numpy
import pytest

from survey_app.questions.text_terms import normalize, tokenize, top_terms
from survey_app.stats import (
    histogram,
    histogram_edges,
    mean,
    quantile,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("count", "n", "expected"),
    [
        # Wilson with z = 1.959964, z^2 = 3.8415:
        # 0/10: centre = (0 + 3.8415/20) / (1 + 3.8415/10) = 0.13877, half the same -> (0, 0.2775)
        (0, 10, (0.0, 0.2775)),
        # 5/10: centre 0.5, half = 1.96 * sqrt(0.025 + 0.0096) / 1.38415 = 0.2634
        (5, 10, (0.2366, 0.7634)),
        (10, 10, (0.7225, 1.0)),
        (3, 10, (0.1078, 0.6032)),
        (1, 1, (0.2065, 1.0)),
        (2, 4, (0.15, 0.85)),
    ],
)
def test_wilson_interval_known_values(count, n, expected):
    low, high = wilson_interval(count, n)
    assert low == pytest.approx(expected[0], abs=1e-4)
    assert high == pytest.approx(expected[1], abs=1e-4)


def test_wilson_edges_are_exact_and_n_zero_is_undefined():
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == 1.0
    assert wilson_interval(0, 0) is None


def test_mean_of_a_frequency_table():
    # (1 + 2 + 3 + 3*4 + 2*5) / 8 = 28 / 8
    assert mean({1: 1, 2: 1, 3: 1, 4: 3, 5: 2}) == 3.5
    assert mean({}) is None
    assert mean({3.0: 0}) is None


def test_quantiles_interpolate_linearly():
    table = {10: 1, 20: 2, 35: 1, 50: 1, 100: 1}  # 10 20 20 35 50 100
    assert quantile(table, 0.25) == 20  # position 5 * 0.25 = 1.25: 20 + 0.25 * (20 - 20)
    assert quantile(table, 0.5) == 27.5  # position 2.5: 20 + 0.5 * (35 - 20)
    assert quantile(table, 0.75) == 46.25  # position 3.75: 35 + 0.75 * (50 - 35)
    assert quantile(table, 0) == 10 and quantile(table, 1) == 100
    assert quantile({1: 1, 3: 1, 4: 3, 5: 1}, 0.5) == 4  # 1 3 4 4 4 5: position 2.5 -> 4
    assert quantile({7: 1}, 0.25) == 7
    assert quantile({}, 0.5) is None
    with pytest.raises(ValueError):
        quantile(table, 1.5)


def test_quantiles_agree_with_statistics_inclusive():
    rng = random.Random(7)
    for _ in range(50):
        data = [rng.choice([0, 1, 2.5, 3, 10, 11, 40]) for _ in range(rng.randint(2, 30))]
        table: dict[float, int] = {}
        for value in data:
            table[value] = table.get(value, 0) + 1
        expected = statistics.quantiles(data, n=4, method="inclusive")
        got = [quantile(table, p) for p in (0.25, 0.5, 0.75)]
        assert got == pytest.approx(expected)


def test_quantiles_of_whole_numbers_are_answers():
    """Founding years 1958, 1961, 1962, 1990: the median is 1961, never 1961.5."""
    years = {1958: 1, 1961: 1, 1962: 1, 1990: 1}
    assert quantile(years, 0.5) == 1961.5  # interpolated, for measured quantities
    assert quantile(years, 0.5, whole=True) == 1961  # 2 of 4 at or below it
    assert quantile(years, 0.25, whole=True) == 1958
    assert quantile(years, 0.75, whole=True) == 1962
    assert quantile({44: 1, 45: 1}, 0.5, whole=True) == 44
    assert quantile({}, 0.5, whole=True) is None


def test_whole_quantiles_agree_with_numpy_inverted_cdf():
    rng = random.Random(11)
    for _ in range(200):
        data = [rng.randint(1900, 2025) for _ in range(rng.randint(1, 40))]
        table: dict[float, int] = {}
        for value in data:
            table[value] = table.get(value, 0) + 1
        for p in (0.25, 0.5, 0.75):
            expected = float(numpy.quantile(data, p, method="inverted_cdf"))
            assert quantile(table, p, whole=True) == expected


def test_histogram_edges_whole_numbers():
    # 10..100 as whole numbers: 10..101 spans 91; width 10 gives ceil(91 / 10) = 10 bins
    assert histogram_edges(10, 100, integer=True) == [10 + 10 * i for i in range(11)]
    # -7..33: width 5 from -10 gives ceil(44 / 5) = 9 bins (width 10 would give 5)
    assert histogram_edges(-7, 33, integer=True) == [-10 + 5 * i for i in range(10)]
    # a small range cannot have fractional bins: one bin per value
    assert histogram_edges(0, 3, integer=True) == [0, 1, 2, 3, 4]
    assert histogram_edges(5, 5, integer=True) == [5, 6]


def test_histogram_edges_decimals():
    # 0..2500: width 250 = 2.5 * 10^2 gives 10 bins, the last one closed
    assert histogram_edges(0, 2500) == [250 * i for i in range(11)]
    assert histogram_edges(0, 1) == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert histogram_edges(2.5, 2.5) == [2.5, 2.5]
    edges = histogram_edges(3.2, 97.9)  # width 10 from 0: 10 bins
    assert edges[0] == 0 and edges[-1] == 100 and len(edges) == 11


def test_histogram_counts_values_into_bins():
    bins = histogram({10: 1, 20: 2, 35: 1, 50: 1, 100: 1}, integer=True)
    assert [b["count"] for b in bins] == [1, 2, 1, 0, 1, 0, 0, 0, 0, 1]
    assert bins[0] == {"low": 10, "high": 20, "count": 1}
    bins = histogram({0: 1, 250.5: 1, 1000: 1, 2500: 1})
    assert [b["count"] for b in bins] == [1, 1, 0, 0, 1, 0, 0, 0, 0, 1]
    assert bins[-1] == {"low": 2250, "high": 2500, "count": 1}  # closed: holds 2500
    assert histogram({}) == []


def test_tokenize_is_unicode_aware():
    assert tokenize("Mehr Räume, mehr RÄUME! 2024 ab") == ["mehr", "räume", "mehr", "räume"]
    # Turkish dotted/dotless I; the apostrophe suffix "'da" is too short to count
    assert tokenize("İSTANBUL'da IŞIK", "tr") == ["istanbul", "ışık"]
    assert tokenize("IŞIK") == ["işik"]
    # Arabic short vowels and tatweel are dropped; 2-letter words are too short
    assert tokenize("مُتَطَوِّعُونَ من دعـــم") == ["متطوعون", "دعم"]
    assert tokenize("Молодь і культура ٣٤٥") == ["молодь", "культура"]
    assert normalize("Straße") == "strasse"


def test_top_terms_counts_answers_and_drops_stop_words():
    texts = [
        ("de", "Mehr Räume und mehr Förderung"),
        ("de", "Förderung für Räume!"),
        ("de", "räume, räume, RÄUME"),  # one answer: counts once
        ("de", "Die Förderung 2024 ist gut"),
        ("ar", "دعم مالي من البلدية"),
        ("en", "The rooms and the funding"),  # English stop words for an English answer
    ]
    assert top_terms(texts, ["de", "ar"]) == [
        {"term": "förderung", "count": 3},
        {"term": "räume", "count": 3},
        {"term": "funding", "count": 1},
        {"term": "rooms", "count": 1},
        {"term": "البلدية", "count": 1},
        {"term": "دعم", "count": 1},
        {"term": "مالي", "count": 1},
    ]
    many = [("en", f"word{i:02d}x") for i in range(20)]
    assert len(top_terms(many, ["en"])) == 15
