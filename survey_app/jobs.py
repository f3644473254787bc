"""Background jobs: one queue shared by every app server, one state per job key.

The queue is huey's: an SQLite file in the instance folder by default (every
server process on one machine shares it), Redis when ``SURVEY_REDIS_URL`` is set
(servers on several machines share it). Each app process runs a small consumer in
threads of its own, from the start under ``survey-app serve``, else with the first
job it submits while serving a request (commands only queue); no extra process has
to be run.

A job has a key chosen by the caller (for a briefing: its cache key), so that
identical requests share one job: ``submit`` starts a job only where none with the
key is queued or running. Its state (``JobState``) lives in the queue's storage, so
any server can tell a waiting browser how far it got. At most ``BUILD_WORKERS``
jobs run at once across all servers (slots taken in the storage); the others wait
in the queue.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Huey
from huey.consumer import Consumer
from huey.exceptions import RetryTask

logger = logging.getLogger(__name__)

#: Seconds between the signs of life of a running job (its state and its slot).
HEARTBEAT = 10.0
#: Seconds without a word from a running job after which it is taken as lost (its
#: server stopped): its slot is free again and the next request starts it anew.
STALE_AFTER = 6 * HEARTBEAT
#: Seconds a job may wait in the queue before it is taken as lost (no server runs jobs).
QUEUED_STALE_AFTER = 600.0
#: Seconds after which a failed job is tried again when asked for (before: its error).
RETRY_FAILED_AFTER = 60.0
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
#: Set by ``survey-app serve`` for its workers: run jobs from the start.
JOBS_AT_START = "SURVEY_JOBS_AT_START"

#: What a job runs: ``work(payload, progress)`` in an app context; returns its result
#: (JSON-like). ``progress(step)`` tells waiting readers the current step.
Work = Callable[[dict[str, Any], Callable[[str], None]], Any]


@dataclass(frozen=True)
class JobState:
    """Where a job is: ``state`` (queued, running, done, failed), its current step,
    when it last said so (seconds since the epoch), its payload and its result
    (``error``: the message of a failed job)."""

    key: str
    state: str
    step: str = ""
    updated: float = field(default_factory=time.time)
    payload: dict[str, Any] = field(default_factory=dict)
    result: Any = None
    error: str = ""

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)

    def lost(self, now: float) -> bool:
        """Say whether an unfinished job has been silent too long (its server is gone)."""
        limit = QUEUED_STALE_AFTER if self.state == QUEUED else STALE_AFTER
        return not self.finished and now - self.updated > limit


class _ServerConsumer(Consumer):
    """Huey's consumer without signal handlers: the app server keeps its own."""

    def _set_signal_handlers(self) -> None:
        return None


class JobQueue:
    """The app's queue: register work by name, submit it under a key, read its state."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.huey = make_huey(app.config, app.instance_path)
        self.slots = max(1, int(app.config.get("BUILD_WORKERS", 2)))
        self._consumer: Consumer | None = None
        self._lock = threading.Lock()
        self._tasks: dict[str, Any] = {}

    def register(self, name: str, work: Work) -> None:
        """Make ``work`` runnable as job ``name`` (once per app)."""
        queue = self

        def run(key: str, payload: dict[str, Any]) -> None:
            queue._run(key, payload, work)

        run.__name__ = f"job_{name}"
        self._tasks[name] = self.huey.task(name=name)(run)

    def submit(
        self,
        name: str,
        key: str,
        payload: dict[str, Any],
        still_good: Callable[[JobState], bool] | None = None,
    ) -> JobState:
        """Start job ``name`` under ``key`` unless one is queued or running; return its state.

        A job of the key that finished is returned as it is where ``still_good``
        says its result is still there, one that failed for ``RETRY_FAILED_AFTER``
        seconds; otherwise (lost, its result gone, failed long ago) it starts anew.
        """
        queued = JobState(key, QUEUED, payload=payload)
        if not self.huey.put_if_empty(_state_key(key), asdict(queued)):
            current = self.state(key)
            if current is not None and not current.finished and not current.lost(time.time()):
                return current  # an identical request is being served: share it
            if current is not None and current.state == DONE and still_good is not None:
                if still_good(current):
                    return current  # finished just now, between the caller's look and this
            if current is not None and current.state == FAILED:
                if time.time() - current.updated < RETRY_FAILED_AFTER:
                    return current  # say why it failed; try again only after a while
            self.huey.put(_state_key(key), asdict(queued))
        if not self.huey.immediate and has_request_context():
            self.start_consumer()  # a server; a command's process ends before the job
        self._tasks[name](key, payload)
        return self.state(key) or queued

    def state(self, key: str) -> JobState | None:
        """Return the state of the job with ``key`` (None: no such job)."""
        found = self.huey.get(_state_key(key), peek=True)
        return JobState(**found) if isinstance(found, dict) else None

    def wait(self, key: str, timeout: float, interval: float = 0.2) -> JobState | None:
        """Wait up to ``timeout`` seconds for the job to finish; return its last state."""
        deadline = time.monotonic() + timeout
        state = self.state(key)
        while state is not None and not state.finished and time.monotonic() < deadline:
            time.sleep(interval)
            state = self.state(key)
        return state

    def start_consumer(self) -> None:
        """Start this process's consumer threads (once; a no-op in immediate mode)."""
        with self._lock:
            if self._consumer is not None or self.huey.immediate:
                return
            if not self.app.config.get("JOBS_CONSUMER", True):
                return  # jobs run on other servers
            consumer = _ServerConsumer(
                self.huey, workers=self.slots, periodic=False, max_delay=1.0,
                check_worker_health=False,
            )  # fmt: skip
            consumer.start()
            self._consumer = consumer

    def stop_consumer(self) -> None:
        """Stop this process's consumer threads after their current jobs."""
        with self._lock:
            if self._consumer is not None:
                self._consumer.stop(graceful=True)
                self._consumer = None

    def _run(self, key: str, payload: dict[str, Any], work: Work) -> None:
        """Run one job in a free slot (none free: back to the queue for a second)."""
        slot = self._take_slot()
        if slot is None:
            raise RetryTask(delay=1)
        try:
            with self.app.app_context():
                self._execute(key, payload, work, slot)
        finally:
            self.huey.delete(slot)

    def adopt(self, key: str, payload: dict[str, Any], work: Work) -> bool:
        """Run ``work`` here and now as the job ``key`` unless one is queued or running.

        For a job that already holds a slot and does several things in turn: readers
        asking meanwhile for ``key`` join it. Call in an app context. Returns whether
        it ran.
        """
        queued = JobState(key, QUEUED, payload=payload)
        if not self.huey.put_if_empty(_state_key(key), asdict(queued)):
            current = self.state(key)
            if current is not None and not current.finished and not current.lost(time.time()):
                return False
            self.huey.put(_state_key(key), asdict(queued))
        self._execute(key, payload, work, None)
        return True

    def _execute(self, key: str, payload: dict[str, Any], work: Work, slot: str | None) -> None:
        """Run one job, telling its steps and signs of life; record how it ended."""
        step = [""]
        stop = threading.Event()

        def beat() -> None:  # signs of life, so that a killed server's job is seen as lost
            while not stop.wait(HEARTBEAT):
                if slot is not None:
                    self.huey.put(slot, time.time())
                self._say(key, payload, RUNNING, step[0])

        def progress(message: str) -> None:
            step[0] = message
            self._say(key, payload, RUNNING, message)

        heart = threading.Thread(target=beat, name=f"job-{key[:8]}-heartbeat", daemon=True)
        final: tuple[str, Any, str] = (FAILED, None, "")
        try:
            self._say(key, payload, RUNNING)
            heart.start()
            final = (DONE, work(payload, progress), "")
        except Exception as exc:  # a job never takes its consumer down
            logger.exception("job %s failed", key)
            final = (FAILED, None, str(exc) or type(exc).__name__)
        finally:
            stop.set()
            if heart.is_alive():
                heart.join()
            self._say(key, payload, final[0], result=final[1], error=final[2])

    def _say(self, key: str, payload: dict[str, Any], state: str, step: str = "",
             result: Any = None, error: str = "") -> None:  # fmt: skip
        told = JobState(key, state, step, time.time(), payload, result, error)
        self.huey.put(_state_key(key), asdict(told))

    def _take_slot(self) -> str | None:
        """Take one of the ``slots`` build slots (a lost holder's after STALE_AFTER)."""
        now = time.time()
        for number in range(self.slots):
            slot = f"slot:{number}"
            if self.huey.put_if_empty(slot, now):
                return slot
            taken = self.huey.get(slot, peek=True)
            if isinstance(taken, float) and now - taken > STALE_AFTER:
                self.huey.delete(slot)
                if self.huey.put_if_empty(slot, now):
                    return slot
        return None


def make_huey(config: Any, instance_path: str) -> Huey:
    """Return the queue the settings ask for: Redis, an SQLite file, or (tests) immediate."""
    if config.get("JOBS_IMMEDIATE"):
        return MemoryHuey("survey-jobs", immediate=True, results=False)
    url = config.get("REDIS_URL") or ""
    if url:
        return RedisHuey("survey-jobs", url=url, results=False)
    path = Path(instance_path) / "jobs.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("survey-jobs", filename=str(path), results=False)


def init_app(app: Flask) -> JobQueue:
    """Give ``app`` its job queue (``app.extensions["jobs"]``).

    In the workers of ``survey-app serve`` (``SURVEY_JOBS_AT_START``) the consumer
    starts with the app, so that jobs queued by commands or by a server that
    stopped are run; elsewhere with the first job the process submits.
    """
    queue = JobQueue(app)
    app.extensions["jobs"] = queue
    if os.environ.get(JOBS_AT_START) and not app.config.get("TESTING"):
        queue.start_consumer()
    return queue


def jobs() -> JobQueue:
    """Return the current app's job queue."""
    queue: JobQueue = current_app.extensions["jobs"]
    return queue


def _state_key(key: str) -> str:
    return f"job:{key}"
