"""The same submission sent at once from many threads is stored exactly once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Answer, Response

from .conftest import FIXTURES

ANSWERS = {
    "q.org_type": "culture",
    "q.top_needs.1": "funding",
    "q.agreement.heard": "no",
    "q.members": "33",
    "consent": "yes",
}


def send_concurrently(app, code: str, payloads: list[dict[str, str]]) -> list[int]:
    """POST every payload from its own thread, all released at once; return statuses."""
    barrier = threading.Barrier(len(payloads))
    statuses: list[int] = [0] * len(payloads)

    def send(index: int) -> None:
        client = app.test_client()
        barrier.wait()
        statuses[index] = client.post(f"/j/{code}", data=payloads[index]).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.fixture
def no_csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = False  # each thread is a fresh browser without a session
    return app


def test_same_submission_from_ten_threads_gives_one_row(no_csrf_app, make_workshop):
    app = no_csrf_app
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    payload = {**ANSWERS, "submission_id": "0b8c2b7e-58e4-4c1e-9d59-0d7f1f9a7c11", "lang": "de"}
    statuses = send_concurrently(app, workshop.join_code, [payload] * 10)
    assert statuses == [200] * 10
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 4


def test_conflicting_answers_from_threads_store_one_and_refuse_others(no_csrf_app, make_workshop):
    app = no_csrf_app
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    sid = "5d1c7a2e-1f0e-4f7b-a0a6-2b7a6f0c9e21"
    payloads = [
        {**ANSWERS, "q.members": str(n), "submission_id": sid, "lang": "de"} for n in range(8)
    ]
    statuses = send_concurrently(app, workshop.join_code, payloads)
    assert sorted(statuses) == [200] + [409] * 7
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        members = db.session.scalars(
            select(Answer.value_num).filter_by(question_key="members")
        ).all()
    winner = statuses.index(200)
    assert members == [float(winner)]


def test_many_different_submissions_from_threads_all_land(no_csrf_app, make_workshop):
    app = no_csrf_app
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    payloads = [
        {**ANSWERS, "submission_id": f"00000000-0000-4000-8000-{n:012d}", "lang": "de"}
        for n in range(12)
    ]
    assert send_concurrently(app, workshop.join_code, payloads) == [200] * 12
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 12
