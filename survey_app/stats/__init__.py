"""Pure statistics over counts and frequency tables (no database, no Flask).

Frequency tables are ``{value: count}`` mappings as returned by
``SELECT value_num, count(*) ... GROUP BY value_num``: they stay small however many
responses there are, and every function here works from them directly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

#: The 97.5% quantile of the standard normal distribution (two-sided 95% interval).
Z_95 = 1.959964

#: Bin widths tried for histograms, times powers of ten.
NICE_STEPS = (1.0, 2.0, 2.5, 5.0)
#: Aim for this many histogram bins (8-12 are acceptable).
TARGET_BINS = 10


def wilson_interval(count: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """Return the Wilson score interval of ``count`` out of ``n`` (None when n is 0)."""
    if n <= 0:
        return None
    p = count / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # Exact bounds at the edges: rounding would otherwise give -1e-17 or 0.9999999.
    low = 0.0 if count <= 0 else max(0.0, centre - half)
    high = 1.0 if count >= n else min(1.0, centre + half)
    return low, high


def total(frequencies: Mapping[float, int]) -> int:
    """Return the number of observations in a frequency table."""
    return sum(frequencies.values())


def mean(frequencies: Mapping[float, int]) -> float | None:
    """Return the mean of a frequency table (None when empty)."""
    n = total(frequencies)
    if n == 0:
        return None
    return math.fsum(value * count for value, count in frequencies.items()) / n


def quantile(frequencies: Mapping[float, int], p: float, whole: bool = False) -> float | None:
    """Return the ``p`` quantile by linear interpolation (None when empty).

    The method is numpy's default (``linear``, Hyndman & Fan type 7), which equals
    ``statistics.quantiles(data, method="inclusive")``: the quantile sits at the
    0-based position ``(n - 1) * p`` of the sorted values, interpolating between
    the two values around it.

    ``whole``: for whole-number quantities (years, members), the inverted empirical
    distribution function instead (Hyndman & Fan type 1, numpy's ``inverted_cdf``):
    the smallest value with at least ``p`` of the answers at or below it, always one
    of the answers (a median year is a year, never 1961.5).

    Raises ValueError if ``p`` is not between 0 and 1.
    """
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    ordered = sorted((value, count) for value, count in frequencies.items() if count > 0)
    n = sum(count for _, count in ordered)
    if n == 0:
        return None
    if whole:
        return _value_at(ordered, max(0, math.ceil(n * p) - 1))
    position = (n - 1) * p
    below = math.floor(position)
    fraction = position - below
    low = _value_at(ordered, below)
    if fraction == 0:
        return low
    high = _value_at(ordered, below + 1)
    return low + fraction * (high - low)


def _value_at(ordered: list[tuple[float, int]], index: int) -> float:
    """Return the value at 0-based ``index`` of the expanded, sorted table."""
    seen = 0
    for value, count in ordered:
        seen += count
        if index < seen:
            return value
    return ordered[-1][0]


def histogram_edges(low: float, high: float, integer: bool = False) -> list[float]:
    """Return nice, evenly spaced bin edges covering ``low``..``high``.

    The width is 1, 2, 2.5 or 5 times a power of ten, chosen so that there are
    close to ten bins (8-12 when the range allows). Bins are half-open
    ``[low, high)`` except the last one, which is closed. For whole numbers the
    width is a whole number and each value ``v`` is treated as ``[v, v + 1)``, so
    every bin holds the integers ``low .. high - 1`` and the top value gets room.
    """
    if high < low:
        raise ValueError("high must not be smaller than low")
    top = high + 1 if integer else high
    if top == low:
        return [low, high]
    # Closest to the target; then fewer bins; then the narrower bins.
    best: tuple[int, int, float] | None = None
    exponent = math.floor(math.log10((top - low) / TARGET_BINS))
    for power in (exponent - 1, exponent, exponent + 1):
        for factor in NICE_STEPS:
            step = factor * 10.0**power
            if integer and (step < 1 or not step.is_integer()):
                continue
            start = math.floor(low / step) * step
            bins = max(1, math.ceil((top - start) / step - 1e-9))
            candidate = (abs(bins - TARGET_BINS), bins, step)
            if best is None or candidate < best:
                best = candidate
    step = best[2] if best is not None else 1.0
    start = math.floor(low / step) * step
    bins = max(1, math.ceil((top - start) / step - 1e-9))
    return [_tidy(start + i * step) for i in range(bins + 1)]


def _tidy(value: float) -> float:
    """Drop floating-point noise from an edge (0.30000000000000004 -> 0.3)."""
    return float(round(value, 10))


class BinSpan(NamedTuple):
    """The values a histogram's bins must cover, and the values that fix its grid.

    ``low``..``high``: the smallest and largest value of every table whose bins must
    line up (each workshop, group and the series), so that their bins add up.
    ``basis_low``..``basis_high`` (None: ``low``..``high``): the values the bin width
    and origin are chosen from (``histogram_edges``); tables over more values get
    more bins of that same grid, never other edges, so no bin of a later version is
    a union of an earlier one's (which would give a hidden bin away by subtraction).
    """

    low: float
    high: float
    basis_low: float | None = None
    basis_high: float | None = None


def histogram(
    frequencies: Mapping[float, int],
    integer: bool = False,
    span: tuple[float, float] | BinSpan | None = None,
) -> list[dict[str, float | int]]:
    """Return ``[{"low", "high", "count"}]`` bins of a frequency table ([] when empty).

    ``span``: what the bins cover and, as a ``BinSpan``, which grid they lie on;
    default: this table's own values. There are at least two bins, so that one bin
    holding every answer is a share like any other (and protected as one), not the
    whole histogram. With a span, a table without numbers has every bin, each 0 (its
    bins still add up).
    """
    values = [value for value, count in frequencies.items() if count > 0]
    if not values and span is None:
        return []
    bounds = BinSpan(*span) if span is not None else BinSpan(min(values), max(values))
    low, high = bounds.low, bounds.high
    if values:
        low, high = min(low, *values), max(high, *values)
    if bounds.basis_low is None or bounds.basis_high is None:
        edges = histogram_edges(low, high, integer)
    else:
        grid = histogram_edges(bounds.basis_low, bounds.basis_high, integer)
        edges = grid_edges(grid[0], (grid[1] - grid[0]) or 1.0, low, high, integer)
    if len(edges) == 2:
        width = edges[1] - edges[0] or 1.0
        edges = [edges[0], _tidy(edges[0] + width), _tidy(edges[0] + 2 * width)]
    counts = [0] * (len(edges) - 1)
    for value, count in frequencies.items():
        if count > 0:
            counts[_bin_index(edges, value)] += count
    return [{"low": edges[i], "high": edges[i + 1], "count": counts[i]} for i in range(len(counts))]


def grid_edges(
    origin: float, step: float, low: float, high: float, integer: bool = False
) -> list[float]:
    """Return the edges ``origin + i * step`` that cover ``low``..``high`` (at least one bin).

    Whole numbers: each value ``v`` is ``[v, v + 1)``, as in ``histogram_edges``.
    """
    top = high + 1 if integer else high
    first = math.floor((low - origin) / step + 1e-9)
    last = max(first + 1, math.ceil((top - origin) / step - 1e-9))
    return [_tidy(origin + i * step) for i in range(first, last + 1)]


def _bin_index(edges: list[float], value: float) -> int:
    """Return the bin of ``value``: the last edge at or below it (last bin closed)."""
    for index in range(len(edges) - 2, -1, -1):
        if value >= edges[index]:
            return index
    return 0
