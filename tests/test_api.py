"""The JSON API: authentication, access, and responses valid against the OpenAPI document."""

from __future__ import annotations

import random

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from survey_app.demo import simulated_form
from survey_app.instruments import parse_instrument_file

from .conftest import INSTRUMENTS
from .helpers import open_form, post_form
from .support.responses import close_workshops, reopen_workshops

KICKOFF, _ = parse_instrument_file(INSTRUMENTS / "needs-expectations.yaml")


@pytest.fixture
def validate(client):
    """Return a checker: validate a body against a schema of the served OpenAPI document."""
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:openapi", resource)

    def check(body, schema_name: str) -> None:
        schema = {"$ref": f"urn:openapi#/components/schemas/{schema_name}"}
        jsonschema.Draft202012Validator(schema, registry=registry).validate(body)

    return check


@pytest.fixture
def token(runner, make_workshop):
    """Return a bearer token of a viewer of the workshop's series, and the workshop."""
    workshop = make_workshop("needs-expectations")
    from .conftest import PASSWORD

    runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "v@example.org",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    with runner.app.app_context():
        from survey_app.accounts.operations import grant_series_access
        from survey_app.extensions import db
        from survey_app.models import AccessLevel, User

        user = db.session.query(User).filter_by(email="v@example.org").one()
        grant_series_access(user, workshop.series_id, AccessLevel.read)
        db.session.commit()
    value = runner.invoke(args=["users", "token", "--email", "v@example.org"]).output.strip()
    return value, workshop


def fill(app, code: str, count: int) -> None:
    for seed in range(count):
        participant = app.test_client()
        fields = open_form(participant, code, "de")
        form = simulated_form(KICKOFF, "de", random.Random(seed))
        assert (
            post_form(
                participant, code, fields, [*form.items(multi=True), ("consent", "yes")]
            ).status_code
            == 200
        )


def test_api_needs_credentials(client):
    answer = client.get("/api/v1/workshops")
    assert answer.status_code == 401
    assert answer.get_json()["error"]
    assert (
        client.get("/api/v1/workshops", headers={"Authorization": "Bearer nope"}).status_code == 401
    )


def test_workshops_list_and_detail_validate(app, client, token, validate):
    value, workshop = token
    headers = {"Authorization": f"Bearer {value}"}
    fill(app, workshop.join_code, 2)
    listing = client.get("/api/v1/workshops", headers=headers)
    assert listing.status_code == 200
    validate(listing.get_json(), "WorkshopList")
    [item] = listing.get_json()["workshops"]
    assert item["id"] == workshop.id and item["n_responses"] == 2
    detail = client.get(f"/api/v1/workshops/{workshop.id}", headers=headers).get_json()
    validate(detail, "Workshop")
    assert detail["instrument"]["key"] == "needs-expectations"
    # a viewer gets no join code: answers of their own, added through it, could be
    # subtracted from the published results; those who run the series get it
    assert item["join_code"] is None and detail["join_code"] is None


def test_those_who_run_the_series_get_the_join_code(make_workshop, logged_in_client, validate):
    workshop = make_workshop("needs-expectations")
    facilitator = logged_in_client("facilitator", workshop.series_id)
    detail = facilitator.get(f"/api/v1/workshops/{workshop.id}").get_json()
    validate(detail, "Workshop")
    assert detail["join_code"] == workshop.join_code
    [item] = facilitator.get("/api/v1/workshops").get_json()["workshops"]
    assert item["join_code"] == workshop.join_code


def test_summaries_validate_and_suppress(app, client, token, validate):
    value, workshop = token
    headers = {"Authorization": f"Bearer {value}"}
    fill(app, workshop.join_code, 3)
    open_one = client.get(f"/api/v1/workshops/{workshop.id}/summary", headers=headers).get_json()
    validate(open_one, "Summary")  # published once closed: nothing while open
    assert (open_one["n_responses"], open_one["open_workshops"]) == (0, [workshop.id])
    close_workshops(app, workshop)
    small = client.get(f"/api/v1/workshops/{workshop.id}/summary", headers=headers).get_json()
    validate(small, "Summary")
    assert small["n_responses"] == 3
    assert all(q.get("suppressed") or q["n"] == 0 for q in small["questions"])
    assert any(q.get("suppressed") for q in small["questions"])
    assert all("options" not in q for q in small["questions"] if q.get("suppressed"))
    reopen_workshops(app, workshop)
    fill(app, workshop.join_code, 9)
    close_workshops(app, workshop)
    big = client.get(f"/api/v1/workshops/{workshop.id}/summary", headers=headers).get_json()
    validate(big, "Summary")
    org_type = next(q for q in big["questions"] if q["key"] == "org_type")
    # the breakdown of 12 into small types may be hidden whole ("protects", n 12 >= 5)
    assert (
        org_type.get("reason") == "protects" if org_type.get("suppressed") else org_type["n"] == 12
    )
    for option in org_type.get("options", []):
        assert option.get("suppressed") or (option["count"] >= 5 or option["count"] == 0)
    series = client.get(f"/api/v1/series/{workshop.series_id}/summary", headers=headers).get_json()
    validate(series, "Summary")
    assert series["n_responses"] == 12


def test_other_series_is_forbidden(app, client, token, make_workshop):
    value, _ = token
    other = make_workshop("needs-expectations", series="elsewhere")
    headers = {"Authorization": f"Bearer {value}"}
    assert client.get(f"/api/v1/workshops/{other.id}", headers=headers).status_code == 403
    assert (
        client.get(f"/api/v1/series/{other.series_id}/summary", headers=headers).status_code == 403
    )
    assert client.get("/api/v1/workshops/99999", headers=headers).status_code == 404
    listed = client.get("/api/v1/workshops", headers=headers).get_json()["workshops"]
    assert other.id not in [w["id"] for w in listed]


def test_an_expired_token_gets_the_documented_401(app, client, token, validate):
    from datetime import datetime

    from sqlalchemy import update

    from survey_app.extensions import db
    from survey_app.models import ApiToken

    value, _ = token
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_at=datetime(2026, 1, 1)))
        db.session.commit()
    answer = client.get("/api/v1/workshops", headers={"Authorization": f"Bearer {value}"})
    assert answer.status_code == 401 and answer.get_json()["reason"] == "expired"
    validate(answer.get_json(), "Error")
    document = client.get("/api/v1/openapi.json").get_json()
    assert "expired" in document["components"]["responses"]["Unauthorized"]["description"]
    assert document["paths"]["/workshops"]["get"]["responses"]["401"]


def test_a_series_of_two_questionnaires_counts_only_the_summarized_ones(
    app, make_workshop, add_responses, logged_in_client
):
    """Finding: a series summary and briefing counted 261 + 3 responses as 264 over the
    questions of one questionnaire (3 had answered another)."""
    from survey_app.briefing.context import briefing_scope
    from survey_app.extensions import db
    from survey_app.results.selection import select_workshops

    from .conftest import FIXTURES

    other = make_workshop(FIXTURES / "free-text.yaml")
    main = make_workshop(FIXTURES / "all-types.yaml")
    mains = [("q.org_type", "culture"), ("q.top_needs.1", "rooms"), ("q.agreement.heard", "no")]
    add_responses(main, [[*mains, ("consent", "yes")]] * 6)
    add_responses(other, [[("q.group", "x"), ("q.need", "Räume"), ("consent", "yes")]] * 3)
    close_workshops(app, main, other)
    viewer = logged_in_client("viewer", main.series_id)
    summary = viewer.get(f"/api/v1/series/{main.series_id}/summary").get_json()
    assert summary["n_responses"] == 6
    assert summary["other_questionnaire"] == [other.id]
    assert {q["key"] for q in summary["questions"]} >= {"org_type"}
    live = viewer.get(f"/workshops/{main.id}/results.json?scope=series").get_json()
    assert live["n_responses"] == 6
    with app.app_context():
        scope = briefing_scope(select_workshops(db.session, series=main.series_id))
        assert [w.id for w in scope.workshops] == [main.id]
