"""The protection of published results is decided in a job, never in a request.

Finding: the API summary of one closed workshop of a 30-response demo series took
878 s (every generated schemathesis request waited for it); a viewer's live screen and
the participants' results page decided in the request too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import update

from survey_app import jobs as job_queue
from survey_app.briefing import background
from survey_app.extensions import db
from survey_app.models import Workshop
from survey_app.results import deciding

from .test_briefing_jobs import closed_series


@pytest.fixture
def slow_decisions(app: Flask, monkeypatch) -> Iterator[tuple[threading.Event, list[int]]]:
    """A real queue whose decision jobs wait until the test lets them go; their count."""
    app.config.update(JOBS_IMMEDIATE=False, BUILD_WORKERS=1)
    queue = job_queue.init_app(app)
    background.register(queue)
    deciding.register(queue)
    go, runs = threading.Event(), []
    summarize = deciding.summarize_selection

    def waiting(selection, settings):  # type: ignore[no-untyped-def]
        runs.append(1)
        assert go.wait(60)
        return summarize(selection, settings)

    monkeypatch.setattr(deciding, "summarize_selection", waiting)
    yield go, runs
    go.set()
    queue.stop_consumer()


def test_readers_get_being_prepared_while_one_job_decides(
    app, slow_decisions, make_workshop, logged_in_client, client
):
    go, runs = slow_decisions
    first, _ = closed_series(app, make_workshop)
    with app.app_context():
        db.session.execute(
            update(Workshop).where(Workshop.id == first.id).values(results_for_participants=True)
        )
        db.session.commit()
    viewer = logged_in_client("viewer", first.series_id)
    paths = [f"/api/v1/workshops/{first.id}/summary", f"/api/v1/series/{first.series_id}/summary"]
    for path in paths:
        waiting = viewer.get(path)
        assert waiting.status_code == 202
        assert waiting.get_json() == {"status": "preparing", "retry_after": 10}
        assert waiting.headers["Retry-After"] == "10"
    screen = viewer.get(f"/workshops/{first.id}/results.json")
    assert screen.status_code == 202 and screen.get_json()["preparing"] is True
    assert screen.headers["Retry-After"] == "10"
    page = client.get(f"/j/{first.join_code}/results")
    assert page.status_code == 200
    assert "Die Ergebnisse werden vorbereitet" in page.get_data(as_text=True)
    assert sum(runs) <= 1  # every reader joined the one job (queued or running by now)
    go.set()
    for _ in range(600):  # the job decides in the queue's thread
        if viewer.get(paths[1]).status_code == 200:
            break
        threading.Event().wait(0.1)
    summary = viewer.get(paths[1]).get_json()
    assert summary["n_responses"] == 24
    assert viewer.get(paths[0]).get_json()["n_responses"] == 12
    assert "werden vorbereitet" not in client.get(f"/j/{first.join_code}/results").get_data(
        as_text=True
    )
    assert sum(runs) == 1  # decided once and recorded: no reader's request decided


def test_closing_decides_ahead_under_the_key_readers_join(
    app, make_workshop, logged_in_client, monkeypatch
):
    """Found: the briefing built ahead and a reader's decision job decided one version
    side by side in the two build slots. Now the job built ahead decides under the key
    the readers' job has, first."""
    from .test_briefing_jobs import closed_in_the_browser

    runs = []
    decide = deciding._decide

    def counted(payload, progress):  # type: ignore[no-untyped-def]
        runs.append(payload)
        return decide(payload, progress)

    monkeypatch.setattr(deciding, "_decide", counted)
    workshop, facilitator = closed_in_the_browser(app, make_workshop, logged_in_client)
    assert [run["series_id"] for run in runs] == [workshop.series_id]  # decided ahead, once
    assert facilitator.get(f"/api/v1/series/{workshop.series_id}/summary").status_code == 200
    assert facilitator.get(f"/api/v1/workshops/{workshop.id}/summary").status_code == 200
    assert len(runs) == 1  # the readers found it recorded
