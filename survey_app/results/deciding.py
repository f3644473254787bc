"""Protection decided in the background: no request waits minutes for it.

The first read of published results after a close decides the protection of the
data's new version (``results.protection.undecided``). That takes seconds for one
workshop of 12 responses, about a minute for the demo series, and much longer for
series of several small workshops (README, "Known limits"). A job of the app's queue
(``survey_app.jobs``) decides it, one job per set of undecided versions, shared by the
API, the live screens and the participants' results page (a briefing decides in its
own build job); the asking request answers "being prepared" meanwhile
(``pending_decision``), and every later one finds the decision recorded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import current_app

from survey_app.database import read_transaction
from survey_app.extensions import db
from survey_app.jobs import DONE, JobQueue, JobState, jobs
from survey_app.results.protection import undecided
from survey_app.results.scoped import summarize_selection
from survey_app.results.selection import Selection, select_workshops
from survey_app.results.settings import ResultSettings

#: The job name of a decision.
DECIDE = "decide"
#: Seconds after which a client asking while the decision runs should ask again.
RETRY_AFTER = 10


def register(queue: JobQueue) -> None:
    """Make decisions runnable as jobs of ``queue``."""
    queue.register(DECIDE, _decide)


def pending_decision(selection: Selection, settings: ResultSettings) -> JobState | None:
    """Return the job deciding the protection a summary of ``selection`` needs.

    None where every decision it needs is recorded (or the job just finished): the
    caller summarizes at once. Otherwise the job is started or joined (one per set
    of undecided versions) and its state returned: queued or running, or failed
    (``JobState.error`` says why). Ends the caller's read transaction when it starts
    a job, which then commits in transactions of its own.
    """
    found = _undecided_job(selection, settings)
    if found is None:
        return None
    db.session.rollback()
    state = jobs().submit(DECIDE, *found)
    return None if state.state == DONE else state


def decide_in_this_job(series_id: int | None, workshop_ids: list[int]) -> bool:
    """Decide what a summary of the series (else the workshops) needs, in the calling
    job's slot, under the key that readers asking meanwhile join (``pending_decision``).

    For the job that builds briefings ahead when a workshop closes: the API and the
    screens then wait for it instead of deciding the same version beside it. Returns
    whether it decided (False: decided before, or another job is at it).
    """
    with read_transaction(db.session):
        selection = _select(series_id, workshop_ids, None)
        found = _undecided_job(
            selection, ResultSettings.for_selection(current_app.config, selection)
        )
    return found is not None and jobs().adopt(*found, _decide)


def _undecided_job(
    selection: Selection, settings: ResultSettings
) -> tuple[str, dict[str, Any]] | None:
    """Return the key and payload of the job deciding what ``selection`` needs (None: decided)."""
    instrument = selection.instrument
    if instrument is None:
        return None
    missing = undecided(instrument, selection.scope, db.session(), settings)
    if not missing:
        return None
    key = "decide-" + hashlib.sha256(repr(sorted(missing)).encode()).hexdigest()[:32]
    payload = {
        "workshop_ids": selection.ids,
        "series_id": selection.series.id if selection.series is not None else None,
        "group": list(selection.group) if selection.group is not None else None,
    }
    return key, payload


def _select(
    series_id: int | None, workshop_ids: list[int], group: tuple[str, str] | None
) -> Selection:
    """Return the selection of the series, else of the workshops."""
    if series_id is not None:
        return select_workshops(db.session(), series=int(series_id), group=group)
    return select_workshops(db.session(), workshop_ids=workshop_ids, group=group)


def _decide(payload: dict[str, Any], progress: Callable[[str], None]) -> dict[str, Any]:
    """The job: summarize the selection once, which decides and records its protection."""
    group = (str(payload["group"][0]), str(payload["group"][1])) if payload.get("group") else None
    with read_transaction(db.session):
        selection = _select(payload.get("series_id"), payload["workshop_ids"], group)
        settings = ResultSettings.for_selection(current_app.config, selection)
        progress("deciding the protection of small groups")
        summary = summarize_selection(selection, settings)
    return {"responses": summary.get("n_responses", 0)}
