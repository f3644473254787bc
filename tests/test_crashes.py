"""kill -9 during a burst of submissions: nothing acknowledged is lost, nothing stored twice.

Workers are killed one by one while phones submit (gunicorn starts new ones), then the
whole server (master and workers) is killed and started again. Phones that got no
answer send the same post again, as a phone on bad Wi-Fi would.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable

import pytest

from .support.participants import Phone, make_phones, resubmit, run_phones, storage_problems
from .support.timeouts import scaled
from .test_load import postgres_or_skip

PHONES = int(os.environ.get("SURVEY_TEST_CRASH_PHONES", "60"))


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    """Poll ``condition`` until it holds (``timeout`` grows with the machine's load)."""
    deadline = time.monotonic() + scaled(timeout)
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def acked(phones: list[Phone]) -> int:
    """How many phones have their thank-you page."""
    return sum(phone.acked for phone in phones)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_killed_workers_and_server_lose_no_acknowledged_submission(database, live_servers):
    if database == "postgresql":
        postgres_or_skip()
    with live_servers(database, workers=3) as server:
        code = server.open_workshop()
        phones = make_phones(server.port, code, PHONES, seed=31)
        reports = []
        burst = threading.Thread(target=lambda: reports.append(run_phones(phones, patience=90)))
        burst.start()

        wait_for(lambda: acked(phones) >= PHONES // 10)
        for pid in server.worker_pids()[:2]:  # two of three workers, mid-request
            os.kill(pid, signal.SIGKILL)
            time.sleep(0.1)
        wait_for(lambda: acked(phones) >= PHONES // 3)
        server.kill()  # master and workers at once
        pending_at_crash = PHONES - acked(phones)
        time.sleep(0.5)  # phones knock on a closed door meanwhile
        server.start()
        burst.join(timeout=scaled(240))

        report = reports[0]
        statuses = report.statuses
        assert pending_at_crash > 0, "the burst was over before the crash"
        assert statuses[0] > 0, "no request was cut off or refused: nothing was tested"
        assert set(statuses) <= {0, 200}, statuses  # cut connections, never a 5xx
        assert acked(phones) == PHONES
        assert storage_problems(phones, server.database_url) == []

        # Every phone sends its post once more after the crash (a lost acknowledgement).
        assert resubmit(phones) == [200] * PHONES
        assert storage_problems(phones, server.database_url) == []
        print(
            f"{database}: {PHONES} phones, {report.seconds:.1f} s, statuses {dict(statuses)}, "
            f"{pending_at_crash} waiting when the server was killed"
        )
