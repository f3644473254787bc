"""A late, cookie-less or Referer-less post loses no answers; the answers end up stored.

The participant form is accepted for 6 hours after it was opened (a long workshop,
a lunch break); later, or without the session cookie, it comes back filled in with
a fresh token (400), and sending that page again stores the answers. It never looks
at the Referer, over HTTP or HTTPS.
"""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from survey_app.extensions import db
from survey_app.instruments import parse_instrument_file
from survey_app.models import Response
from survey_app.responses.answers import answers_hash, read_answers

from .conftest import FIXTURES, login
from .helpers import ALL_TYPES_ANSWERS, open_form, post_form
from .support.forms import resubmitted_fields

ANSWERS = [
    *ALL_TYPES_ANSWERS,
    ("q.fields", "youth"),
    ("q.fields", "health"),
    ("q.top_needs.2", "rooms"),
    ("q.expectations", 'Räume & "Förderung" <bald>\nzweite Zeile'),
    ("q.overall", "4"),
]
HTTPS = "https://umfrage.example.org"


def expected_hash() -> str:
    """The digest of ANSWERS as the server computes it."""
    instrument, _ = parse_instrument_file(FIXTURES / "all-types.yaml")
    return answers_hash(read_answers(instrument, MultiDict(ANSWERS)).rows)


def stored(app) -> list[tuple[str, str]]:
    """Return (submission id, answers hash) of every stored response."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(select(Response.submission_id, Response.answers_hash))
        ]


@pytest.fixture
def later(monkeypatch):
    """Return a function that moves the CSRF token clock forward by some minutes."""

    def move(minutes: int) -> None:
        now = time.time() + minutes * 60
        monkeypatch.setattr("itsdangerous.timed.time", SimpleNamespace(time=lambda: now))

    return move


def send_again(client, code: str, page: str, **kwargs):
    """Press "send" on a re-shown form, as the browser would."""
    return client.post(f"/j/{code}", data=MultiDict(resubmitted_fields(page)), **kwargs)


def test_form_sent_61_minutes_after_opening_is_stored(app, client, make_workshop, later):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    fields = open_form(client, workshop.join_code)
    later(61)
    answer = post_form(client, workshop.join_code, fields, ANSWERS)
    assert answer.status_code == 200
    assert stored(app) == [(fields["submission_id"], expected_hash())]


def test_form_sent_after_the_token_expired_comes_back_filled_and_is_stored(
    app, client, make_workshop, later
):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    fields = open_form(client, workshop.join_code)
    later(7 * 60)
    answer = post_form(client, workshop.join_code, fields, ANSWERS)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "Your session had expired" in page or "Sitzung" in page
    refilled = resubmitted_fields(page)
    for pair in ANSWERS:
        assert pair in refilled, pair
    assert ("submission_id", fields["submission_id"]) in refilled
    assert dict(refilled)["csrf_token"] != fields["csrf_token"]
    assert stored(app) == []
    assert send_again(client, workshop.join_code, page).status_code == 200
    assert stored(app) == [(fields["submission_id"], expected_hash())]


def test_cleared_cookies_lose_no_answers(app, client, make_workshop):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    fields = open_form(client, workshop.join_code)
    client.delete_cookie("session")
    answer = post_form(client, workshop.join_code, fields, ANSWERS)
    assert answer.status_code == 400
    assert stored(app) == []
    assert send_again(client, workshop.join_code, answer.get_data(as_text=True)).status_code == 200
    assert stored(app) == [(fields["submission_id"], expected_hash())]


def test_a_lost_acknowledgement_then_cleared_cookies_store_nothing_twice(
    app, client, make_workshop
):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    fields = open_form(client, workshop.join_code)
    assert post_form(client, workshop.join_code, fields, ANSWERS).status_code == 200
    client.delete_cookie("session")  # the phone lost the answer and its cookies
    answer = post_form(client, workshop.join_code, fields, ANSWERS)
    assert answer.status_code == 400
    again = send_again(client, workshop.join_code, answer.get_data(as_text=True))
    assert again.status_code == 200
    assert stored(app) == [(fields["submission_id"], expected_hash())]


@pytest.mark.parametrize(
    "referer", [None, "", "https://elsewhere.example/", "http://umfrage.example.org/"]
)
def test_participants_over_https_need_no_referer(app, make_workshop, referer):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    client = app.test_client()
    page = client.get(f"/j/{workshop.join_code}", base_url=HTTPS)
    fields = dict(resubmitted_fields(page.get_data(as_text=True)))
    headers = {} if referer is None else {"Referer": referer}
    data = [
        ("csrf_token", fields["csrf_token"]),
        ("submission_id", fields["submission_id"]),
        *ANSWERS,
    ]
    answer = client.post(
        f"/j/{workshop.join_code}", data=MultiDict(data), base_url=HTTPS, headers=headers
    )
    assert answer.status_code == 200
    assert stored(app) == [(fields["submission_id"], expected_hash())]


def test_participants_behind_a_tls_proxy_need_no_referer(app, client, make_workshop):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    https = {"wsgi.url_scheme": "https"}
    page = client.get(f"/j/{workshop.join_code}", environ_overrides=https)
    fields = dict(resubmitted_fields(page.get_data(as_text=True)))
    answer = post_form(
        client,
        workshop.join_code,
        {"csrf_token": fields["csrf_token"], "submission_id": fields["submission_id"]},
        ANSWERS,
        environ_overrides=https,
    )
    assert answer.status_code == 200


def test_staff_login_over_https_checks_the_referer(app, make_user):
    make_user("fac@example.org")
    client = app.test_client()
    page = client.get("/login", base_url=HTTPS).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {
        "email": "fac@example.org",
        "password": "correct horse battery staple",
        "csrf_token": token,
    }
    refused = client.post("/login", data=data, base_url=HTTPS)
    assert refused.status_code == 400
    elsewhere = client.post(
        "/login", data=data, base_url=HTTPS, headers={"Referer": "https://evil.example/login"}
    )
    assert elsewhere.status_code == 400
    same = client.post("/login", data=data, base_url=HTTPS, headers={"Referer": f"{HTTPS}/login"})
    assert same.status_code == 302


def test_staff_login_over_http_needs_no_referer(client, make_user):
    make_user("fac@example.org")
    assert login(client, "fac@example.org").status_code == 302
