"""Floods of responses: a per-workshop limit, an "unusual burst" flag, setting responses aside."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from survey_app.extensions import db
from survey_app.models import Answer, Response, ReviewState, TextReview, Workshop
from survey_app.responses.bursts import Burst, BurstRules, burst_rules, find_bursts

from .conftest import FIXTURES
from .helpers import ALL_TYPES_ANSWERS, open_form, post_form

T = datetime(2026, 5, 4, 10, 0)
#: What the script in the security test sent, again and again.
SPAM = [*ALL_TYPES_ANSWERS, ("q.expectations", "spam spam")]


def minute(n: int) -> datetime:
    return T + timedelta(minutes=n)


def room_answers(n: int) -> list[tuple[str, str]]:
    """A real participant's answers: each different."""
    return [(k, str(n + 1) if k == "q.members" else v) for k, v in ALL_TYPES_ANSWERS]


def send(app, code: str, answers: list[tuple[str, str]]):
    """Send one response from a fresh phone (no cookies: a script does the same)."""
    phone = app.test_client()
    return post_form(phone, code, open_form(phone, code), answers)


def test_a_real_room_is_never_flagged():
    """400 people behind one NAT, 400 responses in four minutes, are a room, not a burst."""
    rules = BurstRules(per_minute=400, identical=200)  # expected_participants = 400
    minutes = [(minute(0), 90), (minute(1), 160), (minute(2), 110), (minute(3), 40)]
    assert find_bursts(minutes, [(minute(1), "h" * 64, 12)], rules) == []
    unknown = BurstRules(per_minute=150, identical=20)  # no expected size: 150 a minute
    assert find_bursts([(minute(0), 120), (minute(1), 140)], [], unknown) == []


def test_minutes_in_a_row_make_one_burst_and_identical_ones_their_own():
    rules = BurstRules(per_minute=30, identical=20)
    minutes = [(minute(0), 5), (minute(1), 80), (minute(2), 70), (minute(3), 3), (minute(5), 31)]
    identical = [(minute(1), "a" * 64, 60), (minute(2), "a" * 64, 50), (minute(3), "b" * 64, 3)]
    assert find_bursts(minutes, identical, rules) == [
        Burst(minute(1), minute(2), 150),
        Burst(minute(1), minute(2), 110, "a" * 64),
        Burst(minute(5), minute(5), 31),
    ]


def test_a_scripts_tail_in_the_next_minute_is_part_of_its_burst():
    """Finding: 100 identical responses over a minute's turn (90 + 10) left 10 counted."""
    rules = BurstRules(per_minute=20, identical=20)
    identical = [(minute(1), "a" * 64, 90), (minute(2), "a" * 64, 10), (minute(5), "a" * 64, 3),
                 (minute(7), "b" * 64, 19), (minute(8), "b" * 64, 19)]  # fmt: skip
    assert find_bursts([(minute(1), 96)], identical, rules) == [
        Burst(minute(1), minute(1), 96),
        Burst(minute(1), minute(2), 100, "a" * 64),  # not minute 5's three, not b's 19s
    ]


@pytest.mark.parametrize(
    "expected, rules", [(None, BurstRules(150, 20)), (30, BurstRules(30, 20)), (3, BurstRules(10, 20)),
                        (400, BurstRules(400, 200))],
)  # fmt: skip
def test_rules_follow_the_expected_room(expected, rules):
    assert burst_rules(Workshop(expected_participants=expected), {}) == rules


def count_everywhere(app, client, workshop) -> dict[str, int]:
    """How many responses each place that reports them counts."""
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    live = client.get(f"/workshops/{workshop.id}/results.json").get_json()
    export = client.get(f"/workshops/{workshop.id}/export.json?lang=en").get_json()
    with app.app_context():
        from survey_app.briefing.quotes import approved_quotes
        from survey_app.results.scope import Scope
        from survey_app.results.tables import Wanted, fetch_scope

        data = fetch_scope(db.session, Scope.workshop(workshop.id), Wanted({}, [], ("de",)))
        quotes = approved_quotes([workshop.id])
    return {
        "page": int(re.search(r'id="response-count"[^>]*>(\d+)<', page).group(1)),
        "live": live["n_responses"],
        "export": len(export["responses"]),
        "summary": data.n_responses,
        "quotes": len(quotes),
    }


def test_a_flood_is_flagged_set_aside_everywhere_and_restored(app, make_workshop, logged_in_client):
    """Finding: one script stored 100 responses in 8.8 s; nothing limited or flagged it."""
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    with app.app_context():
        db.session.execute(
            update(Workshop).where(Workshop.id == workshop.id).values(expected_participants=20)
        )
        db.session.commit()
    facilitator = logged_in_client("facilitator", workshop.series_id)
    for n in range(6):
        assert send(app, workshop.join_code, room_answers(n)).status_code == 200
    quiet = facilitator.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "/bursts/set-aside" not in quiet
    for _ in range(100):
        assert send(app, workshop.join_code, SPAM).status_code == 200
    with app.app_context():  # a facilitator approved one of the script's texts as a quote
        spam = db.session.scalar(select(Answer.id).where(Answer.value_text == "spam spam"))
        db.session.add(TextReview(answer_id=spam, state=ReviewState.approved))
        db.session.commit()
    assert count_everywhere(app, facilitator, workshop) == {
        "page": 106, "live": 106, "export": 106, "summary": 106, "quotes": 1,
    }  # fmt: skip

    page = facilitator.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "bursts-heading" in page
    forms = re.findall(r'<form method="post" action="[^"]*/bursts/set-aside".*?</form>', page, re.S)
    identical = [form for form in forms if 'name="answers"' in form]
    assert len(identical) == 1 and len(forms) >= 2  # the minutes' burst and the identical one
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', identical[0]))
    done = facilitator.post(f"/workshops/{workshop.id}/bursts/set-aside", data=fields)
    assert done.status_code == 302

    assert count_everywhere(app, facilitator, workshop) == {
        "page": 6, "live": 6, "export": 6, "summary": 6, "quotes": 0,
    }  # fmt: skip
    with app.app_context():  # kept, not deleted
        assert db.session.scalar(select(func.count()).select_from(Response)) == 106
    after = facilitator.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "/bursts/set-aside" not in after  # six real responses are no burst
    restore = re.search(r'action="(/workshops/\d+/set-aside/\d+/restore)"', after).group(1)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', after).group(1)
    assert facilitator.post(restore, data={"csrf_token": token}).status_code == 302
    assert count_everywhere(app, facilitator, workshop)["export"] == 106
    assert "/set-aside/" not in facilitator.get(f"/workshops/{workshop.id}").get_data(as_text=True)


def test_set_aside_responses_leave_published_results_and_the_api(
    app, make_workshop, logged_in_client
):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    for n in range(6):
        send(app, workshop.join_code, room_answers(n))
    for _ in range(25):
        send(app, workshop.join_code, SPAM)
    facilitator = logged_in_client("facilitator", workshop.series_id)
    page = facilitator.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    form = re.search(r'action="[^"]*/bursts/set-aside".*?</form>', page, re.S).group(0)
    assert (
        facilitator.post(
            f"/workshops/{workshop.id}/bursts/set-aside",
            data=dict(re.findall(r'name="(\w+)" value="([^"]*)"', form)),
        ).status_code
        == 302
    )
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    closed = facilitator.post(f"/workshops/{workshop.id}/close", data={"csrf_token": token})
    assert closed.status_code == 302
    summary = facilitator.get(f"/api/v1/workshops/{workshop.id}/summary").get_json()
    assert summary["n_responses"] == 6
    assert (
        facilitator.get(f"/workshops/{workshop.id}/export.csv").get_data(as_text=True).count("\n")
        == 7
    )  # the header and six rows


def test_the_limit_stops_what_no_room_sends_and_keeps_the_answers(app, make_workshop, monkeypatch):
    app.config["RESPONSES_PER_MINUTE"] = 5
    fixed = datetime(2026, 5, 4, 10, 0)
    monkeypatch.setattr("survey_app.responses.operations.utcnow_minute", lambda: fixed)
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    assert [send(app, workshop.join_code, room_answers(n)).status_code for n in range(5)] == [
        200
    ] * 5
    refused = send(app, workshop.join_code, [*room_answers(41), ("q.expectations", "kept text")])
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    page = refused.get_data(as_text=True)
    assert "kept text" in page and 'value="42"' in page  # the form comes back filled in
    assert "senden Sie in einer Minute erneut" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 5
    monkeypatch.setattr(
        "survey_app.responses.operations.utcnow_minute", lambda: fixed + timedelta(minutes=1)
    )
    assert send(app, workshop.join_code, room_answers(41)).status_code == 200


def test_the_default_limit_takes_a_room_of_four_hundred_in_one_minute():
    from survey_app.responses.bursts import store_limit

    assert store_limit(Workshop(expected_participants=None), {}) >= 400
    assert store_limit(Workshop(expected_participants=400), {}) >= 1200


def test_a_burst_form_that_is_not_one_is_refused(app, make_workshop, logged_in_client):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    facilitator = logged_in_client("facilitator", workshop.series_id)
    page = facilitator.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    for data in ({"from": "yesterday", "to": "2026-05-04T10:00"},
                 {"from": "2026-05-04T10:05", "to": "2026-05-04T10:00"},
                 {"from": "2026-05-04T10:00", "to": "2026-05-04T10:00", "answers": "x"}):  # fmt: skip
        answer = facilitator.post(
            f"/workshops/{workshop.id}/bursts/set-aside", data={**data, "csrf_token": token}
        )
        assert answer.status_code == 400
        assert "Traceback" not in answer.get_data(as_text=True)
    empty = {"from": "2026-05-04T10:00", "to": "2026-05-04T10:00", "csrf_token": token}
    assert (
        facilitator.post(f"/workshops/{workshop.id}/bursts/set-aside", data=empty).status_code
        == 302
    )


def test_the_limit_holds_for_paced_answers_too(app, make_workshop, logged_in_client, monkeypatch):
    from werkzeug.datastructures import MultiDict

    from .helpers import hidden_fields, token_of

    app.config.update(RESPONSES_PER_MINUTE=2, PACE_CACHE_SECONDS=0)
    fixed = datetime(2026, 5, 4, 10, 0)
    monkeypatch.setattr("survey_app.responses.operations.utcnow_minute", lambda: fixed)
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    with app.app_context():
        db.session.get(Workshop, workshop.id).paced = True
        db.session.commit()
    facilitator = logged_in_client("facilitator", workshop.series_id)
    page = facilitator.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    moved = facilitator.post(
        f"/workshops/{workshop.id}/pace", data={"move": "next", "csrf_token": token_of(page)}
    )
    assert moved.status_code in (302, 303)
    statuses = []
    for _ in range(3):
        phone = app.test_client()
        html = phone.get(f"/j/{workshop.join_code}").get_data(as_text=True)
        fields = {**hidden_fields(html), "question": "org_type"}
        data = MultiDict([*fields.items(), ("q.org_type", "culture"), ("consent", "yes")])
        sent = phone.post(f"/j/{workshop.join_code}/answer", data=data)
        statuses.append(sent.status_code)
    assert statuses == [303, 303, 429]
    assert "senden Sie in einer Minute erneut" in sent.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 2
