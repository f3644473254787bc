"""Briefings built in the background: one job per PDF, a page that follows it, built ahead.

These tests run the real queue (huey on an SQLite file in the instance folder, or on
Redis) with consumer threads, as a server does; the rest of the suite runs jobs at
once in the request (``JOBS_IMMEDIATE``).
"""

from __future__ import annotations

import os
import re
import statistics
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey_app import jobs as job_queue
from survey_app.briefing import background
from survey_app.extensions import db
from survey_app.models import Briefing, Release

from .briefing_helpers import pdf_text
from .conftest import FIXTURES
from .helpers import open_form, token_of
from .support.responses import close_workshops, store_responses

ALL_TYPES = FIXTURES / "all-types.yaml"
#: One participant's answers to the all-types questionnaire (what its form posts).
ANSWERS = {"q.org_type": "culture", "q.top_needs.1": "rooms", "q.agreement.heard": "no",
           "consent": "yes"}  # fmt: skip
PAGE = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def use_queue(app: Flask, **config: object) -> job_queue.JobQueue:
    """Give ``app`` a real queue (not immediate) with ``config``; return it."""
    app.config.update(JOBS_IMMEDIATE=False, **config)
    queue = job_queue.init_app(app)
    background.register(queue)
    return queue


@pytest.fixture
def queued(app: Flask) -> Iterator[job_queue.JobQueue]:
    """The app with its queue on an SQLite file and one build at a time."""
    queue = use_queue(app, BUILD_WORKERS=1)
    yield queue
    queue.stop_consumer()


def closed_series(app, make_workshop, count: int = 2) -> list:
    """A series of ``count`` closed workshops of 12 responses each."""
    created = [make_workshop(ALL_TYPES) for _ in range(count)]
    for workshop in created:
        answers = [
            [("q.org_type", "culture" if i % 2 else "sports"), ("q.top_needs.1", "rooms"),
             ("q.agreement.heard", "yes" if i % 3 else "no")]
            for i in range(12)
        ]  # fmt: skip
        store_responses(app, workshop, answers)
    close_workshops(app, *created)
    return created


def builds(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Briefing.id))) or 0


def submit(app: Flask, code: str) -> float:
    """Answer the open workshop as a new phone; return the seconds the POST took."""
    phone = app.test_client()
    fields = open_form(phone, code)
    started = time.perf_counter()
    answer = phone.post(f"/j/{code}", data={**fields, **ANSWERS})
    assert answer.status_code == 200, answer.status_code
    return time.perf_counter() - started


def test_identical_requests_share_one_build_while_participants_answer(
    app, queued, make_workshop, logged_in_client
):
    """Eight readers ask for the same briefing at once: one build, eight identical PDFs;
    participants of an open workshop answer meanwhile (times printed, not asserted)."""
    created = closed_series(app, make_workshop)
    series_id = created[0].series_id
    room = make_workshop(ALL_TYPES, series="room")
    quiet = [submit(app, room.join_code) for _ in range(5)]
    readers = [logged_in_client("viewer", series_id, email=f"v{i}@example.org") for i in range(8)]
    answers: list = [None] * len(readers)

    def read(number: int) -> None:
        """A script: asks again after Retry-After while the build runs."""
        while (
            answer := readers[number].get(f"/series/{series_id}/briefing.pdf")
        ).status_code == 202:
            time.sleep(int(answer.headers["Retry-After"]))
        answers[number] = answer

    threads = [threading.Thread(target=read, args=(i,)) for i in range(len(readers))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    busy = []
    while any(thread.is_alive() for thread in threads):
        busy.append(submit(app, room.join_code))
        time.sleep(0.15)  # a busy room, below the workshop's 600 responses a minute
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    assert [a.status_code for a in answers] == [200] * len(readers)
    assert len({a.data for a in answers}) == 1 and answers[0].data.startswith(b"%PDF")
    assert builds(app) == 1  # one job served all eight
    print(
        f"\n8 identical requests: {took:.1f} s, 1 build; submissions: median "
        f"{statistics.median(quiet) * 1000:.0f} ms before, {statistics.median(busy) * 1000:.0f}"
        f" ms (max {max(busy) * 1000:.0f} ms, n={len(busy)}) during the build"
    )


def test_a_browser_follows_the_build_and_then_downloads(
    app, queued, make_workshop, logged_in_client
):
    created = closed_series(app, make_workshop, count=1)
    series_id = created[0].series_id
    viewer = logged_in_client("viewer", series_id)
    url = f"/series/{series_id}/briefing.pdf?lang=en"
    app.config["JOBS_CONSUMER"] = False  # queued only, until the consumer starts below
    started = time.perf_counter()
    page = viewer.get(url, headers={"Accept": PAGE})
    print(f"\nfirst feedback, protection not decided yet: {time.perf_counter() - started:.2f} s")
    assert page.status_code == 202
    with app.app_context():  # the request decided nothing: the job will
        assert db.session.scalar(select(func.count(Release.id))) == 0
    key = re.search(r"/briefings/jobs/(\w+)", page.text).group(1)
    assert queued.state(key).state == "queued"
    script = viewer.get(url)  # a script neither decides in the request: 202 at once
    assert script.status_code == 202 and script.headers["Retry-After"] == "5"
    with app.app_context():
        assert db.session.scalar(select(func.count(Release.id))) == 0
    assert queued.state(key).state == "queued"  # the same job, not a second one
    app.config["JOBS_CONSUMER"] = True
    queued.start_consumer()
    html = page.get_data(as_text=True)
    assert "Preparing the briefing" in html and '<meta http-equiv="refresh"' in html
    assert f'<a href="/series/{series_id}">' in html and "· EN" in html  # what is built
    assert page.headers["Cache-Control"].startswith("private")
    status_url = re.search(r'data-status-url="([^"]+)"', html).group(1)
    assert re.search(r'data-download-url="([^"]+)"', html).group(1) == url
    outsider = logged_in_client("facilitator", make_workshop(series="other").series_id)
    assert outsider.get(status_url).status_code == 403  # another team's build
    deadline = time.monotonic() + 120
    state = viewer.get(status_url).get_json()
    seen = {state["message"]}
    while state["state"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        state = viewer.get(status_url).get_json()
        seen.add(state["message"])
    assert state["state"] == "done", state
    assert state["step"] == state["steps"] and len(seen) >= 2, seen
    pdf = viewer.get(url, headers={"Accept": PAGE})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    assert "-en.pdf" in pdf.headers["Content-Disposition"]
    assert builds(app) == 1


def test_a_failed_build_says_why(app, queued, make_workshop, logged_in_client, monkeypatch):
    from survey_app.briefing import build
    from survey_app.briefing.charts import ChartExportError

    def broken(*args: object) -> None:
        raise ChartExportError("Chromium was not found")

    monkeypatch.setattr(build, "_draw_charts", broken)
    created = closed_series(app, make_workshop, count=1)
    viewer = logged_in_client("viewer", created[0].series_id)
    url = f"/series/{created[0].series_id}/briefing.pdf"
    answer = viewer.get(url)  # a script: asked to come back while the job runs and fails
    deadline = time.monotonic() + 60
    while answer.status_code == 202 and time.monotonic() < deadline:
        assert answer.headers["Retry-After"] == "5"
        time.sleep(0.2)
        answer = viewer.get(url)
    assert answer.status_code == 503  # and not started again at once
    assert "Chromium was not found" in answer.get_data(as_text=True)
    assert "Traceback" not in answer.get_data(as_text=True)
    page = viewer.get(url, headers={"Accept": PAGE})  # a browser: the page says it
    assert page.status_code == 503 and "Chromium was not found" in page.text
    status = re.search(r'data-status-url="([^"]+)"', page.get_data(as_text=True)).group(1)
    deadline = time.monotonic() + 60
    while (state := viewer.get(status).get_json())["state"] != "failed":
        assert time.monotonic() < deadline, state
        time.sleep(0.2)
    assert "Chromium was not found" in state["message"]


def closed_in_the_browser(app, make_workshop, logged_in_client):  # type: ignore[no-untyped-def]
    """A workshop of six responses closed by its facilitator in the browser, with briefings
    built ahead (jobs run at once here: JOBS_IMMEDIATE); the workshop and the facilitator."""
    app.config.update(BUILD_AHEAD=True)
    workshop = make_workshop(ALL_TYPES)
    one = [("q.org_type", "culture"), ("q.top_needs.1", "rooms"), ("q.agreement.heard", "no")]
    store_responses(app, workshop, [one] * 6)
    facilitator = logged_in_client("facilitator", workshop.series_id)
    page = facilitator.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    closed = facilitator.post(
        f"/workshops/{workshop.id}/close", data={"csrf_token": token_of(page)}
    )
    assert closed.status_code == 302
    return workshop, facilitator


def test_closing_a_workshop_builds_its_briefings_ahead(app, make_workshop, logged_in_client):
    workshop, facilitator = closed_in_the_browser(app, make_workshop, logged_in_client)
    with app.app_context():
        built = db.session.execute(select(Briefing.series_id, Briefing.workshop_ids)).all()
    assert sorted(built, key=str) == sorted(
        [(None, [workshop.id]), (workshop.series_id, [workshop.id])], key=str
    )
    started = time.perf_counter()
    answer = facilitator.get(f"/workshops/{workshop.id}/briefing.pdf")
    assert answer.status_code == 200 and builds(app) == 2  # served, not built again
    print(f"\nbriefing after close, built ahead: {time.perf_counter() - started:.2f} s")


def redis_or_skip() -> str:
    """Return the test Redis URL; skip without a server, except in CI."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI: {exc}")
        pytest.skip(f"Redis not reachable ({type(exc).__name__})")
    return url


def test_servers_on_redis_share_the_queue_and_the_states(app, database_url, tmp_path):
    """Two app servers on one Redis: a job submitted on one is run and seen by the other."""
    from survey_app import create_app

    from .conftest import _test_config

    url = redis_or_skip()
    first = use_queue(app, REDIS_URL=url, JOBS_CONSUMER=False)  # this one runs no jobs
    first.huey.storage.flush_all()
    other = create_app(_test_config(database_url, tmp_path / "other"))
    second = use_queue(other, REDIS_URL=url)
    seen: list[str] = []
    second.register("probe", lambda payload, progress: seen.append(payload["word"]) or "ok")
    first.register("probe", lambda payload, progress: "not here")
    state = first.submit("probe", "k" * 32, {"word": "hello"})
    assert state.state == "queued"
    assert first.submit("probe", "k" * 32, {"word": "again"}) == state  # shared, not twice
    second.start_consumer()
    try:
        final = first.wait("k" * 32, timeout=30)
    finally:
        second.stop_consumer()
        first.stop_consumer()
    assert final is not None and final.state == "done" and final.result == "ok"
    assert seen == ["hello"]
    first.huey.storage.flush_all()


def test_a_build_whose_data_changed_meanwhile_is_not_stored(
    app, make_workshop, logged_in_client, monkeypatch
):
    """Responses deleted while a build reads: the PDF that still holds them is dropped."""
    from survey_app.briefing import background
    from survey_app.models import Response

    created = closed_series(app, make_workshop, count=1)
    viewer = logged_in_client("viewer", created[0].series_id)
    real = background.get_briefing

    def deleting_meanwhile(*args, **kwargs):
        built = real(*args, **kwargs)
        with app.app_context():  # a facilitator deletes a response in another transaction
            db.session.delete(db.session.scalars(select(Response)).first())
            db.session.commit()
        monkeypatch.setattr(background, "get_briefing", real)
        return built

    monkeypatch.setattr(background, "get_briefing", deleting_meanwhile)
    url = f"/series/{created[0].series_id}/briefing.pdf"
    # jobs run at once here: the first build (12 responses) is dropped, the request's
    # next job builds from the data as it is now
    answer = viewer.get(url)
    assert answer.status_code == 200 and builds(app) == 1
    assert "11 Organisationen" in pdf_text(answer.data)
    with app.app_context():
        assert db.session.scalar(select(Briefing.pdf)) == answer.data  # the stale one never


def test_a_job_silent_for_a_minute_is_lost_and_its_page_asks_again(
    app, queued, make_workshop, logged_in_client
):
    created = closed_series(app, make_workshop, count=1)
    viewer = logged_in_client("viewer", created[0].series_id)
    key = "a" * 32
    stale = job_queue.JobState(key, job_queue.RUNNING, "drawing 3 chart(s)",
                               time.time() - job_queue.STALE_AFTER - 1,
                               {"series_id": created[0].series_id, "workshop_ids": []})  # fmt: skip
    queued.huey.put(f"job:{key}", asdict(stale))
    assert viewer.get(f"/briefings/jobs/{key}").get_json()["state"] == "lost"
    started = queued.submit("briefing", key, stale.payload)  # the next request starts it anew
    assert (
        started.state in ("queued", "running", "done", "failed") and started.updated > stale.updated
    )
