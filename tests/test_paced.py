"""Facilitator-paced mode: the setting, the facilitator's moves, phones without JavaScript."""

from __future__ import annotations

import functools
import re
from collections import Counter

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from survey_app.extensions import db
from survey_app.instruments.store import instrument_by_id
from survey_app.models import Answer, PaceState, Response, Workshop
from survey_app.responses.answers import read_answers

from .conftest import FIXTURES
from .helpers import hidden_fields, token_of

#: What each phone answers, per question of tests/fixtures/all-types.yaml (phone number
#: -> fields); the first phone is a religious community, so it also gets religion_detail.
ANSWERS: dict[str, list[list[tuple[str, str]]]] = {
    "org_type": [[("q.org_type", "religion")], [("q.org_type", "culture")], [("q.org_type", "sports")]],
    "fields": [[("q.fields", "youth"), ("q.fields", "health")], [("q.fields", "education")], [("q.fields", "youth")]],
    "religion_detail": [[("q.religion_detail", "Moscheeverein")], [], []],
    "members": [[("q.members", "33")], [("q.members", "120")], [("q.members", "7")]],
    "budget": [[("q.budget", "1000")], [("q.budget", "250,5")], [("q.budget", "0")]],
    "top_needs": [[("q.top_needs.1", "rooms"), ("q.top_needs.2", "funding")], [("q.top_needs.1", "training")], [("q.top_needs.1", "funding")]],
    "priorities": [[("q.priorities.funding", "5"), ("q.priorities.rooms", "5")], [("q.priorities.training", "10")], [("q.priorities.rooms", "10")]],
    "support": [[("q.support.city", "satisfied")], [("q.support.state", "very_dissatisfied")], []],
    "agreement": [[("q.agreement.heard", "yes")], [("q.agreement.heard", "no")], [("q.agreement.heard", "yes")]],
    "expectations": [[("q.expectations", "Mehr Räume")], [("q.expectations", "Vernetzung")], []],
    "overall": [[("q.overall", "4")], [("q.overall", "5")], [("q.overall", "2")]],
    "bye": [[], [], []],
}  # fmt: skip


@pytest.fixture
def paced(app, make_workshop):
    """An open, facilitator-paced workshop of the all-types questionnaire."""
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    with app.app_context():
        db.session.get(Workshop, workshop.id).paced = True
        db.session.commit()
    app.config["PACE_CACHE_SECONDS"] = 0  # every request sees the last move
    return workshop


def move(client, workshop, to: str, json: bool = False):
    """Move the room of ``workshop`` as a facilitator does (the workshop page's button)."""
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    headers = {"Accept": "application/json"} if json else {}
    return client.post(
        f"/workshops/{workshop.id}/pace",
        data={"move": to, "csrf_token": token_of(page)},
        headers=headers,
    )


def room(app, workshop) -> tuple[PaceState, str | None, int]:
    """Return where the room of ``workshop`` is, from the database."""
    with app.app_context():
        found = db.session.get(Workshop, workshop.id)
        return found.pace_state, found.pace_question, found.pace_step


def test_the_setting_is_off_by_default_and_saved_by_the_form(app, make_workshop, logged_in_client):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    client = logged_in_client("facilitator", workshop.series_id)
    assert room(app, workshop)[0] is PaceState.waiting
    page = client.get(f"/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert (
        'name="paced"' in page and 'id="pace"' not in client.get(f"/workshops/{workshop.id}").text
    )
    answer = client.post(
        f"/workshops/{workshop.id}/edit",
        data={"title": "Paced", "paced": "y", "csrf_token": token_of(page)},
    )
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Workshop, workshop.id).paced is True
    assert 'id="pace"' in client.get(f"/workshops/{workshop.id}").text


def test_moves_next_previous_by_key_and_to_the_results(app, paced, logged_in_client):
    client = logged_in_client("facilitator", paced.series_id)
    assert move(client, paced, "next").status_code == 302
    assert room(app, paced)[:2] == (PaceState.question, "org_type")
    move(client, paced, "next")
    assert room(app, paced)[:2] == (PaceState.question, "fields")
    move(client, paced, "previous")
    assert room(app, paced)[:2] == (PaceState.question, "org_type")
    move(client, paced, "overall")
    assert room(app, paced)[:2] == (PaceState.question, "overall")
    answer = move(client, paced, "results", json=True)
    assert answer.status_code == 200
    state = answer.get_json()
    assert (state["state"], state["question"], state["index"], state["count"]) == (
        "results", None, 12, 12,
    )  # fmt: skip
    step = room(app, paced)[2]
    move(client, paced, "next")  # past the end: nothing changes
    assert room(app, paced)[2] == step
    assert client.get(f"/workshops/{paced.id}/pace.json").get_json()["step"] == step
    assert move(client, paced, "nonsense").status_code == 400
    refused = move(client, paced, "nonsense", json=True).get_json()
    assert refused["status"] == 400 and refused["reason"]  # what the app said, translated


def test_pacing_needs_the_setting_a_token_and_manage_rights(app, paced, make_workshop, logged_in_client, make_user):  # fmt: skip
    unpaced = make_workshop(FIXTURES / "all-types.yaml")
    facilitator = logged_in_client("facilitator", paced.series_id)
    assert move(facilitator, unpaced, "next").status_code == 409
    assert facilitator.post(f"/workshops/{paced.id}/pace", data={"move": "next"}).status_code == 400
    viewer = logged_in_client("viewer", paced.series_id)
    assert move(viewer, paced, "next").status_code == 403
    other_series = make_workshop(FIXTURES / "all-types.yaml", series="other")
    other = logged_in_client("facilitator", other_series.series_id, email="other@example.org")
    page = other.get(f"/workshops/{other_series.id}").get_data(as_text=True)
    answer = other.post(
        f"/workshops/{paced.id}/pace", data={"move": "next", "csrf_token": token_of(page)}
    )
    assert answer.status_code == 403
    assert room(app, paced)[2] == 0


def test_follow_along_answers_304_while_nothing_moved(app, paced, logged_in_client, count_queries):
    phone = app.test_client()
    first = phone.get(f"/j/{paced.join_code.lower()}/now")
    assert first.status_code == 200
    assert first.get_json() == {"step": 0, "state": "waiting", "question": None}
    assert first.headers["Cache-Control"] == "no-cache"
    assert "Set-Cookie" not in first.headers
    etag = first.headers["ETag"]
    with count_queries() as statements:
        again = phone.get(f"/j/{paced.join_code}/now", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert len(statements) == 1  # the workshop's row by its unique join code
    move(logged_in_client("facilitator", paced.series_id), paced, "next")
    moved = phone.get(f"/j/{paced.join_code}/now", headers={"If-None-Match": etag})
    assert moved.status_code == 200
    assert moved.get_json() == {"step": 1, "state": "question", "question": "org_type"}
    assert phone.get("/j/AAAAAA/now").status_code == 404


def test_follow_along_is_cached_in_the_process(app, paced, count_queries):
    """Once Flask has answered, fresh cached positions are answered before Flask (no
    view, no query) with the very same status, headers and body."""
    app.config["PACE_CACHE_SECONDS"] = 60
    view = app.view_functions["participate.now"]
    calls = []
    app.view_functions["participate.now"] = functools.wraps(view)(
        lambda **a: calls.append(1) or view(**a)  # keeps the view's declared audience
    )
    phone = app.test_client()
    url = f"/j/{paced.join_code}/now"
    by_flask = phone.get(url)
    etag = by_flask.headers["ETag"]
    unchanged_by_flask = phone.get(url, headers={"If-None-Match": etag})
    assert len(calls) == 1  # the second was answered before Flask
    app.config["PACE_CACHE_SECONDS"] = 0
    unchanged_by_flask = phone.get(url, headers={"If-None-Match": etag})
    assert len(calls) == 2
    app.config["PACE_CACHE_SECONDS"] = 60
    with count_queries() as statements:
        fast = [phone.get(url) for _ in range(5)]
        unchanged = phone.get(url, headers={"If-None-Match": f'W/"x", {etag}'})
    assert statements == [] and len(calls) == 2

    def seen(answer):  # type: ignore[no-untyped-def]
        headers = {k: v for k, v in answer.headers.items() if k not in ("Date", "Content-Length")}
        return answer.status_code, headers, answer.data

    assert all(seen(answer) == seen(by_flask) for answer in fast)
    assert seen(unchanged) == seen(unchanged_by_flask) and unchanged.status_code == 304


def open_phone(phone, code: str) -> tuple[str, dict[str, str]]:
    """GET the paced page; return it and its hidden fields (with the question's key)."""
    page = phone.get(f"/j/{code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    fields = hidden_fields(html)
    found = re.search(r'name="question" value="([^"]+)"', html)
    if found:
        fields["question"] = found.group(1)
    return html, fields


def test_a_paced_session_without_javascript_stores_one_response_per_phone(app, paced, logged_in_client):  # fmt: skip
    facilitator = logged_in_client("facilitator", paced.series_id)
    phones = [app.test_client() for _ in range(3)]
    for phone in phones:
        html, _ = open_phone(phone, paced.join_code)
        assert "the first question will appear here" in html or "Frage" in html
        assert 'class="paced-form"' not in html
    for key, per_phone in ANSWERS.items():
        move(facilitator, paced, "next")
        for phone, answers in zip(phones, per_phone, strict=True):
            html, fields = open_phone(phone, paced.join_code)
            if key == "religion_detail" and not answers:
                assert 'class="paced-form"' not in html  # does not apply to this phone
                continue
            assert fields.get("question") == key, (key, html)
            if not answers:
                continue
            data = MultiDict([*fields.items(), *answers, ("consent", "yes")])
            sent = phone.post(f"/j/{paced.join_code}/answer", data=data)
            assert sent.status_code == 303, (key, sent.get_data(as_text=True))
            html, _ = open_phone(phone, paced.join_code)
            assert "Your answer is saved" in html or "gespeichert" in html
            # The same answer again (a retry) changes nothing.
            assert phone.post(f"/j/{paced.join_code}/answer", data=data).status_code == 303
    move(facilitator, paced, "results")
    submission_ids = []
    for phone in phones:
        html, fields = open_phone(phone, paced.join_code)
        assert 'class="edit-link"' in html
        submission_ids.append(re.search(r"/edit/([0-9a-f-]{36})/", html).group(1))
    with app.app_context():
        instrument = instrument_by_id(paced.instrument_version_id)
        responses = db.session.scalars(select(Response).filter_by(workshop_id=paced.id)).all()
        assert sorted(r.submission_id for r in responses) == sorted(submission_ids)
        assert all(response.consented for response in responses)
        for number, submission_id in enumerate(submission_ids):
            response = next(r for r in responses if r.submission_id == submission_id)
            given = MultiDict([pair for fields in ANSWERS.values() for pair in fields[number]])
            expected = read_answers(instrument, given)
            assert expected.valid
            stored = [
                (a.question_key, a.item_key, a.option_key, a.value_num, a.value_text)
                for a in db.session.scalars(select(Answer).filter_by(response_id=response.id))
            ]
            assert Counter(stored) == Counter(
                (r.question_key, r.item_key, r.option_key, r.value_num, r.value_text)
                for r in expected.rows
            )
            assert max(Counter(stored).values()) == 1  # every answer stored once


def test_consent_is_asked_with_the_first_answer(app, paced, logged_in_client):
    move(logged_in_client("facilitator", paced.series_id), paced, "next")
    phone = app.test_client()
    html, fields = open_phone(phone, paced.join_code)
    assert 'name="consent"' in html
    refused = phone.post(f"/j/{paced.join_code}/answer", data={**fields, "q.org_type": "culture"})
    assert refused.status_code == 422
    assert 'value="culture" checked' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Response.id)) is None


def test_a_phone_cannot_answer_ahead_of_the_room(app, paced, logged_in_client):
    move(logged_in_client("facilitator", paced.series_id), paced, "next")
    phone = app.test_client()
    _, fields = open_phone(phone, paced.join_code)
    data = {**fields, "question": "members", "q.members": "4", "consent": "yes"}
    assert phone.post(f"/j/{paced.join_code}/answer", data=data).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Response.id)) is None


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_paced_page_stays_light_and_first_party(app, paced, logged_in_client, language):
    move(logged_in_client("facilitator", paced.series_id), paced, "top_needs")
    phone = app.test_client()
    headers = {"Accept-Encoding": "gzip"}
    page = phone.get(f"/j/{paced.join_code}?lang={language}", headers=headers)
    assert page.headers["Content-Encoding"] == "gzip"
    html = phone.get(f"/j/{paced.join_code}?lang={language}").get_data(as_text=True)
    assert 'name="q.top_needs.1"' in html and 'name="q.org_type"' not in html
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert set(assets) == {"/static/participate.css", "/static/paced.js", "/static/choices.js"}
    assert all(
        url.startswith(("/", "?", "#", "data:"))
        for url in re.findall(r'(?:href|src|action)="([^"]+)"', html)
    )
    total = len(page.data) + sum(len(phone.get(url, headers=headers).data) for url in assets)
    assert total < 30 * 1024, f"{total} bytes transferred"


def test_two_answers_of_one_phone_at_once_both_land_in_its_response(app, paced):
    from survey_app.database import write_transaction
    from survey_app.responses.operations import Outcome, new_submission_id
    from survey_app.responses.paced import read_answer, store_answer

    submission_id = new_submission_id()
    with app.test_request_context(method="POST"):
        workshop = db.session.get(Workshop, paced.id)
        instrument = instrument_by_id(workshop.instrument_version_id)

        def answer(key: str, pairs: list[tuple[str, str]]):
            posted = MultiDict([("consent", "yes"), *pairs])
            return read_answer(workshop, instrument, submission_id, True, key, posted), posted

        def store(read, key, posted) -> Outcome:
            with write_transaction(db.session):
                return store_answer(read, workshop, instrument, submission_id, "de", True, key, posted)  # fmt: skip

        first, first_posted = answer("org_type", [("q.org_type", "culture")])
        assert store(first, "org_type", first_posted) is Outcome.stored
        # Two requests read the response as it is now; both store, one after the other.
        members, members_posted = answer("members", [("q.members", "12")])
        overall, overall_posted = answer("overall", [("q.overall", "4")])
        assert store(members, "members", members_posted) is Outcome.updated
        assert store(overall, "overall", overall_posted) is Outcome.updated
        assert store(overall, "overall", overall_posted) is Outcome.repeated
        keys = db.session.scalars(select(Answer.question_key).order_by(Answer.question_key))
        assert list(keys) == ["members", "org_type", "overall"]
        assert db.session.scalar(select(Response.revision)) == 2


def test_a_phone_edits_its_response_when_the_workshop_stops_being_paced(app, paced, logged_in_client):  # fmt: skip
    facilitator = logged_in_client("facilitator", paced.series_id)
    move(facilitator, paced, "next")
    phone = app.test_client()
    _, fields = open_phone(phone, paced.join_code)
    data = {**fields, "q.org_type": "sports", "consent": "yes"}
    assert phone.post(f"/j/{paced.join_code}/answer", data=data).status_code == 303
    with app.app_context():
        db.session.get(Workshop, paced.id).paced = False
        db.session.commit()
    page = phone.get(f"/j/{paced.join_code}")
    assert page.status_code == 302 and f"/edit/{fields['submission_id']}/" in page.location
    form = phone.get(page.location).get_data(as_text=True)
    assert 'value="sports" checked' in form
    assert app.test_client().get(f"/j/{paced.join_code}").status_code == 200  # a new phone


def test_the_presenter_script_moves_with_the_token_in_a_header(app, paced, logged_in_client):
    client = logged_in_client("facilitator", paced.series_id)
    token = token_of(client.get(f"/workshops/{paced.id}").get_data(as_text=True))
    headers = {"Accept": "application/json", "X-CSRFToken": token}
    answer = client.post(f"/workshops/{paced.id}/pace", data={"move": "members"}, headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["question"] == "members"
    assert answer.get_json()["index"] == 3
    assert client.get(f"/workshops/{paced.id}/pace.json").get_json() == answer.get_json()
