"""Drawing plausible answers for demo data and load tests."""

from __future__ import annotations

import random
from collections.abc import Sequence


def skewed(keys: Sequence[str], rng: random.Random, k: int = 1) -> list[str]:
    """Draw ``k`` different keys, earlier ones more likely (for simulated answers)."""
    weights = [1.0 / (index + 1.5) ** 0.9 for index in range(len(keys))]
    chosen: list[str] = []
    pool = list(zip(keys, weights, strict=True))
    while pool and len(chosen) < k:
        key = rng.choices([p[0] for p in pool], weights=[p[1] for p in pool])[0]
        chosen.append(key)
        pool = [p for p in pool if p[0] != key]
    return chosen
