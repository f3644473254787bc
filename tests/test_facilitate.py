"""Facilitator pages over HTTP: series, workshops, open/close, delete, QR, poster."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Answer, Response, Series, SeriesMember, Workshop, WorkshopState

from .conftest import FIXTURES, login
from .helpers import token_of

#: A valid response to all-types.yaml.
ONE_RESPONSE = [("q.org_type", "culture"), ("q.top_needs.1", "rooms"), ("q.agreement.heard", "no"),
                ("consent", "yes")]  # fmt: skip


def test_facilitator_creates_series_and_workshop(app, client, make_user, runner):
    runner.invoke(args=["init"])
    make_user("fac@example.org")
    login(client, "fac@example.org")
    page = client.get("/series/new").get_data(as_text=True)
    answer = client.post(
        "/series/new",
        data={"csrf_token": token_of(page), "title": "Kommunen 2027", "slug": "kommunen-2027"},
    )
    assert answer.status_code == 302
    with app.app_context():
        series = db.session.scalar(select(Series).filter_by(slug="kommunen-2027"))
        assert (
            db.session.scalar(select(SeriesMember.level).filter_by(series_id=series.id)).value
            == "manage"
        )
        series_id = series.id
    page = client.get(f"/series/{series_id}/workshops/new").get_data(as_text=True)
    version = re.search(r'<option value="(\d+)">[^<]*needs-expectations v\d+', page).group(1)
    answer = client.post(
        f"/series/{series_id}/workshops/new",
        data={"csrf_token": token_of(page), "instrument_version_id": version, "title": "Hagen",
              "municipality": "Hagen", "date": "2027-02-03"},
    )  # fmt: skip
    assert answer.status_code == 302
    workshop_url = answer.headers["Location"]
    page = client.get(workshop_url).get_data(as_text=True)
    code = re.search(r'<p class="join-code"><code>(\w{6})</code>', page).group(1)
    assert "<svg" in page and f"/j/{code}" in page
    assert client.get(f"/j/{code}").status_code == 200  # draft: page says not open yet
    assert 'name="submission_id"' not in client.get(f"/j/{code}").get_data(as_text=True)
    workshop_id = int(workshop_url.rstrip("/").split("/")[-1])
    assert (
        client.post(
            f"/workshops/{workshop_id}/open", data={"csrf_token": token_of(page)}
        ).status_code
        == 302
    )
    assert 'name="submission_id"' in client.get(f"/j/{code}").get_data(as_text=True)
    assert (
        client.post(
            f"/workshops/{workshop_id}/close", data={"csrf_token": token_of(page)}
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).state is WorkshopState.closed


def test_series_form_errors_keep_values(client, make_user):
    make_user("fac@example.org")
    login(client, "fac@example.org")
    page = client.get("/series/new").get_data(as_text=True)
    answer = client.post(
        "/series/new",
        data={"csrf_token": token_of(page), "title": "Mein Titel", "slug": "Not a slug!"},
    )
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert 'value="Mein Titel"' in html and 'value="Not a slug!"' in html
    assert 'aria-invalid="true"' in html


def test_post_without_csrf_token_is_refused(app, client, make_workshop, make_user):
    workshop = make_workshop(FIXTURES / "all-types.yaml", state="draft")
    make_user("fac@example.org", series_id=workshop.series_id)
    login(client, "fac@example.org")
    assert client.post(f"/workshops/{workshop.id}/open").status_code == 400
    with app.app_context():
        assert db.session.get(Workshop, workshop.id).state is WorkshopState.draft


def test_delete_needs_the_title_and_removes_responses(
    app, make_workshop, logged_in_client, add_responses
):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    add_responses(workshop, [ONE_RESPONSE])
    client = logged_in_client("facilitator", workshop.series_id)
    page = client.get(f"/workshops/{workshop.id}/delete").get_data(as_text=True)
    assert "1" in page
    wrong = client.post(
        f"/workshops/{workshop.id}/delete", data={"csrf_token": token_of(page), "confirm": "nope"}
    )
    assert wrong.status_code == 422
    with app.app_context():
        assert db.session.get(Workshop, workshop.id) is not None
    right = client.post(
        f"/workshops/{workshop.id}/delete",
        data={"csrf_token": token_of(page), "confirm": workshop.title},
    )
    assert right.status_code == 302
    with app.app_context():
        assert db.session.get(Workshop, workshop.id) is None
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_qr_poster_and_live_count(make_workshop, logged_in_client, add_responses):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    client = logged_in_client("viewer", workshop.series_id)
    svg = client.get(f"/workshops/{workshop.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and svg.get_data(as_text=True).startswith("<svg")
    poster = client.get(f"/workshops/{workshop.id}/poster").get_data(as_text=True)
    assert workshop.join_code in poster and "العربية" in poster
    assert client.get(f"/workshops/{workshop.id}/count.json").get_json() == {
        "n_responses": 0,
        "state": "open",
    }
    add_responses(workshop, [ONE_RESPONSE])
    assert client.get(f"/workshops/{workshop.id}/count.json").get_json()["n_responses"] == 1


def test_user_text_is_escaped_on_staff_pages(client, make_user, app):
    make_user("fac@example.org")
    login(client, "fac@example.org")
    page = client.get("/series/new").get_data(as_text=True)
    client.post(
        "/series/new",
        data={"csrf_token": token_of(page), "title": "<img src=x onerror=alert(1)>", "slug": "xss"},
    )
    html = client.get("/workshops").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
