"""Waits that grow with the machine's load, so that a busy machine does not fail the tests.

A base timeout (what an idle 2-core machine needs, with room to spare) is multiplied by
``SURVEY_TEST_TIMEOUT_FACTOR`` (default 1) and by the load per core when that is above 1
(``os.getloadavg()[0] / os.cpu_count()``), read when the wait starts. Callers poll until
the condition holds or the scaled deadline passes, so an idle machine waits no longer.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

#: Extra room for slow machines (CI runners, emulation): ``SURVEY_TEST_TIMEOUT_FACTOR=3``.
FACTOR_VARIABLE = "SURVEY_TEST_TIMEOUT_FACTOR"


def load_factor() -> float:
    """The 1-minute load average per core, at least 1 (1 where the OS does not tell)."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return 1.0
    return max(1.0, load / (os.cpu_count() or 1))


def scaled(seconds: float) -> float:
    """``seconds`` times the configured factor and the current load per core."""
    factor = float(os.environ.get(FACTOR_VARIABLE) or 1)
    return seconds * max(factor, 0.1) * load_factor()


def scaled_ms(seconds: float) -> float:
    """``scaled(seconds)`` in milliseconds (Playwright's unit)."""
    return scaled(seconds) * 1000


def wait_until(
    condition: Callable[[], bool], seconds: float, what: str = "condition", every: float = 0.02
) -> None:
    """Poll ``condition`` until it holds; fail after ``scaled(seconds)``."""
    limit = scaled(seconds)
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{what} did not happen within {limit:.0f} s")
        time.sleep(every)
