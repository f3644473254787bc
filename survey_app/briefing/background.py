"""Briefings built in the background: one job per PDF, shared by identical requests.

A download first looks for a stored PDF of the data as it is now
(``build.prepare_briefing``, about a second on the demo series). Where there is
none, the build (charts and layout, the slow part) runs as a job of the app's queue
(``survey_app.jobs``) named by the PDF's cache key: eight viewers asking at once
start one build, and at most ``BUILD_WORKERS`` builds run at once, so that
participants' submissions stay fast meanwhile. When a workshop closes, the
briefings most asked for (the series' and the workshop's, in the questionnaire's
first language) are built ahead.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from survey_app.briefing.build import BriefingOptions, get_briefing, prepare_briefing
from survey_app.briefing.context import BriefingError, BriefingScope, briefing_scope
from survey_app.briefing.records import record_briefing, scope_key
from survey_app.briefing.render import DEFAULT_TEMPLATE
from survey_app.database import read_transaction, write_transaction
from survey_app.extensions import db
from survey_app.jobs import DONE, JobQueue, JobState, jobs
from survey_app.models import Briefing
from survey_app.models.briefing import WEB
from survey_app.results import ResultSettings, Scope
from survey_app.results.deciding import decide_in_this_job
from survey_app.results.protection import undecided
from survey_app.results.releases import data_versions
from survey_app.results.selection import select_workshops

#: The job name of a briefing build.
BUILD = "briefing"
#: Built ahead when a workshop closes.
AHEAD = "ahead"


@dataclass(frozen=True)
class BuildRequest:
    """A briefing to build: a series (``series_id``) or workshops, and the options."""

    series_id: int | None
    workshop_ids: tuple[int, ...]
    language: str
    breakdown: str | None = None
    template: str = DEFAULT_TEMPLATE
    user_id: int | None = None

    def options(self) -> BriefingOptions:
        return BriefingOptions(self.language, self.template, self.breakdown)

    def scope(self) -> BriefingScope:
        """Return what the briefing covers now (``BriefingError``: nothing to build)."""
        if self.series_id is not None:
            return briefing_scope(select_workshops(db.session(), series=self.series_id))
        return briefing_scope(select_workshops(db.session(), workshop_ids=self.workshop_ids))


def register(queue: JobQueue) -> None:
    """Make briefing builds runnable as jobs of ``queue``."""
    queue.register(BUILD, _build)
    queue.register(AHEAD, _ahead)


def request_build(request: BuildRequest, key: str) -> JobState:
    """Start (or join) the build of the briefing with cache key ``key``; return its state."""
    return jobs().submit(BUILD, key, _payload(request), still_good=_stored)


def _payload(request: BuildRequest) -> dict[str, Any]:
    payload = asdict(request)
    payload["workshop_ids"] = list(request.workshop_ids)
    return payload


def _stored(state: JobState) -> bool:
    """Say whether the PDF of a finished build is still stored (not replaced since)."""
    return built_pdf(state) is not None


def build_undecided(
    request: BuildRequest, scope: BriefingScope, settings: ResultSettings
) -> JobState | None:
    """Build in the background where the protection of the data is not decided yet.

    The first read of a series' results after a close decides its protection (a
    minute for the demo series, once; ``results.protection.undecided``), which a
    browser should not wait for without a word. Returns the job's state, or None
    where everything is decided (the caller reads the stored PDF or starts its build).
    """
    key = _undecided_key(request, scope, settings)
    if key is None:
        return None
    db.session.rollback()  # end this read: the job commits in its own transactions
    return request_build(request, key)


def _undecided_key(
    request: BuildRequest, scope: BriefingScope, settings: ResultSettings
) -> str | None:
    """Name the build of a briefing whose protection is not decided yet (None: decided)."""
    missing = undecided(scope.instrument, Scope.of(scope.ids), db.session(), settings)
    if not missing:
        return None
    asked = scope_key(list(scope.ids), request.language, request.template, request.breakdown,
                      False, request.series_id)  # fmt: skip
    return hashlib.sha256(repr((sorted(missing), asked)).encode()).hexdigest()[:32]


def build_ahead(workshop_id: int, series_id: int | None) -> None:
    """Queue the building of a just closed workshop's briefings (call after the commit).

    The job (``_ahead``) builds the workshop's and its series' briefings in the
    questionnaire's first language, without breakdown: what a ministry reader opens
    first. Does nothing where ``BUILD_AHEAD`` is off; a queue that is down is logged,
    never an error of the close.
    """
    if current_app.config.get("BUILD_AHEAD", True):
        key = f"ahead-{workshop_id}-{time.time_ns()}"
        try:
            jobs().submit(AHEAD, key, {"workshop_id": workshop_id, "series_id": series_id})
        except Exception:  # the queue down: the close stands; briefings build when asked
            current_app.logger.exception("could not queue the briefings of workshop %s", key)


def _ahead(payload: dict[str, Any], progress: Callable[[str], None]) -> list[str]:
    """The job of ``build_ahead``: build the series' briefing, then the workshop's.

    First the new version's protection (``results.deciding.decide_in_this_job``,
    which readers of the API and the screens join), then each briefing in turn in
    this job's slot, under the key a reader asking meanwhile would get
    (``build_undecided``, else the cache key): the reader joins, nothing is done
    twice. Returns the keys built.
    """
    # First the protection, under the key the API and the screens join meanwhile.
    decide_in_this_job(payload.get("series_id"), [payload["workshop_id"]])
    wanted: list[tuple[int | None, tuple[int, ...]]] = []
    if payload.get("series_id") is not None:
        wanted.append((payload["series_id"], ()))
    wanted.append((None, (payload["workshop_id"],)))
    built = []
    for series_id, workshop_ids in wanted:
        with read_transaction(db.session):
            try:
                scope = BuildRequest(series_id, workshop_ids, "").scope()
            except BriefingError:
                continue  # e.g. reopened meanwhile
            request = BuildRequest(series_id, workshop_ids, scope.instrument.languages[0])
            settings = ResultSettings.for_selection(current_app.config, scope)
            key = _undecided_key(request, scope, settings)
            if key is None:
                prepared = prepare_briefing(db.session(), scope, request.options(), settings)
                key = None if prepared.cached is not None else prepared.key
        if key is not None and jobs().adopt(key, _payload(request), _build):
            built.append(key)
    return built


def _build(payload: dict[str, Any], progress: Callable[[str], None]) -> dict[str, Any]:
    """The job: build the briefing, store it; return its record's id and pages."""
    payload = dict(payload, workshop_ids=tuple(payload["workshop_ids"]))
    request = BuildRequest(**payload)
    with read_transaction(db.session):
        scope = request.scope()
        read = data_versions(db.session(), scope.ids)  # what this build reads (its snapshot)
        settings = ResultSettings.for_selection(current_app.config, scope)
        built = get_briefing(
            db.session(), scope, request.options(), settings,
            user_id=request.user_id, source=WEB, progress=progress,
        )  # fmt: skip
    if built.cached:
        return {"briefing": built.record.id, "pages": built.record.pages}
    progress("storing the PDF")
    with write_transaction(db.session):
        if data_versions(db.session(), scope.ids) != read:
            # responses deleted, edited or added meanwhile: a PDF of them must not be kept
            return {"briefing": None, "pages": 0}
        record = record_briefing(db.session(), built.record)
        found = {"briefing": record.id, "pages": record.pages}
    return found


def built_pdf(state: JobState) -> bytes | None:
    """Return the PDF a finished build stored (None: not finished, failed, not stored
    because its data changed while it was built, or replaced by a newer build since)."""
    found = state.result.get("briefing") if isinstance(state.result, dict) else None
    if state.state != DONE or found is None:
        return None
    return db.session.scalar(select(Briefing.pdf).where(Briefing.id == int(found)))
