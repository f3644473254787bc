"""API tokens: the API only, named, read-only, expiring, listed, revoked, tied to the account."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import inspect, select, update

from survey_app.extensions import db
from survey_app.models import ApiToken, User

from .conftest import PASSWORD, login
from .helpers import bearer, new_api_token, token_of

API = "/api/v1/workshops"


@pytest.fixture
def make_token(app, runner, make_user):
    """Return a factory: an account (made once) and a new token of it from the command line."""

    def make(email: str = "v@example.org", role: str = "viewer", *options: str) -> str:
        with app.app_context():
            exists = db.session.scalar(select(User.id).filter_by(email=email)) is not None
        if not exists:
            make_user(email, role)
        return new_api_token(runner, email, *options)

    return make


def test_a_token_with_a_pages_csrf_token_changes_nothing(app, make_workshop, make_token):
    workshop = make_workshop("needs-expectations")
    token = make_token("admin@example.org", "admin")
    client = app.test_client()
    assert client.get(API, headers=bearer(token)).status_code == 200
    csrf = token_of(client.get("/login").get_data(as_text=True))
    data = {"csrf_token": csrf, "email": "evil@example.org", "name": "", "role": "admin"}
    created = client.post("/admin/users", data=data, headers=bearer(token))
    assert created.status_code == 302 and "/login" in created.headers["Location"]
    closed = client.post(
        f"/workshops/{workshop.id}/close", data={"csrf_token": csrf}, headers=bearer(token)
    )
    assert closed.status_code == 302 and "/login" in closed.headers["Location"]
    export = client.get(f"/workshops/{workshop.id}/export.csv", headers=bearer(token))
    assert export.status_code == 302 and "/login" in export.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(User.id).filter_by(email="evil@example.org")) is None
    # a page that asks for JSON gets the anonymous 401, not the token's account
    live = client.get(
        f"/workshops/{workshop.id}/results.json",
        headers={**bearer(token), "Accept": "application/json"},
    )
    assert live.status_code == 401


def test_new_tokens_are_named_read_only_and_expire(app, make_token):
    token = make_token("v@example.org", "viewer", "--name", "R script", "--expires-days", "7")
    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).one()
        assert stored.token_hash != token and len(stored.token_hash) == 64
        assert (stored.name, stored.scope.value, stored.last_used_on) == ("R script", "read", None)
        assert stored.expires_at - stored.created_at == timedelta(days=7)
        db.session.rollback()
        # no column could hold a client address or user agent
        columns = {c["name"] for c in inspect(db.engine).get_columns("api_token")}
    assert not {"ip", "address", "user_agent", "last_used_ip"} & columns
    make_token("v@example.org")
    with app.app_context():
        default = db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
        assert default.expires_at - default.created_at == timedelta(days=90)


def test_the_day_of_last_use_is_recorded(app, client, make_token):
    token = make_token()
    assert client.get(API, headers=bearer(token)).status_code == 200
    assert client.get(API, headers=bearer(token)).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(ApiToken.last_used_on)).one() == date.today()


def test_an_expired_token_is_refused_with_a_json_reason(app, client, make_token):
    token = make_token()
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_at=datetime(2026, 1, 1)))
        db.session.commit()
    answer = client.get(API, headers=bearer(token))
    assert answer.status_code == 401
    assert answer.get_json() == {"error": "the API token has expired", "reason": "expired"}
    assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
    unknown = client.get(API, headers=bearer("sv_unknown"))
    assert unknown.status_code == 401 and unknown.get_json()["reason"] == "unknown"


@pytest.mark.parametrize("days", ["0", "366", "x"])
def test_a_tokens_life_is_one_day_to_a_year(runner, make_user, days):
    make_user("v@example.org", "viewer")
    made = runner.invoke(
        args=["users", "token", "--email", "v@example.org", "--expires-days", days]
    )
    assert made.exit_code == 2 and "Traceback" not in made.output


def test_the_command_line_lists_and_revokes_tokens(app, client, runner, make_token):
    first = make_token("v@example.org", "viewer", "--name", "first")
    make_token("v@example.org", "viewer", "--name", "second")
    listed = runner.invoke(args=["users", "tokens", "--email", "v@example.org"])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert [line.split("\t")[-1] for line in lines] == ["second", "first"]
    assert all("\tactive\tread\t" in line and "last used never" in line for line in lines)
    first_id = lines[1].split("\t")[0]
    revoked = runner.invoke(args=["users", "revoke-token", first_id])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    answer = client.get(API, headers=bearer(first))
    assert answer.status_code == 401 and answer.get_json()["reason"] == "revoked"
    listed = runner.invoke(args=["users", "tokens", "--email", "v@example.org"]).output
    assert "\trevoked\t" in listed.splitlines()[1]
    missing = runner.invoke(args=["users", "revoke-token", "99999"])
    assert missing.exit_code == 2 and "no API token 99999" in missing.output
    nobody = runner.invoke(args=["users", "tokens", "--email", "nobody@example.org"])
    assert nobody.exit_code == 2 and "Traceback" not in nobody.output


def test_a_new_password_revokes_the_accounts_tokens(app, client, runner, make_token):
    token = make_token()
    assert client.get(API, headers=bearer(token)).status_code == 200
    changed = runner.invoke(
        args=["users", "password", "--email", "v@example.org", "--password-stdin"],
        input=PASSWORD + " new\n",
    )
    assert changed.exit_code == 0, changed.output
    assert client.get(API, headers=bearer(token)).status_code == 401
    assert client.get(API, headers=bearer(make_token())).status_code == 200


def test_deactivating_revokes_tokens_for_good(app, make_user, make_token):
    token = make_token()
    make_user("admin@example.org", "admin")
    admin = app.test_client()
    login(admin, "admin@example.org")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(email="v@example.org"))
    csrf = token_of(admin.get("/admin/users").get_data(as_text=True))
    program = app.test_client()
    for active in (False, True):  # deactivate, then reactivate
        toggled = admin.post(f"/admin/users/{user_id}/active", data={"csrf_token": csrf})
        assert toggled.status_code == 302
        with app.app_context():
            assert db.session.get(User, user_id).active is active
        answer = program.get(API, headers=bearer(token))
        assert answer.status_code == 401
    assert answer.get_json()["reason"] == "revoked"


def test_a_read_token_reads_only(app, make_token):
    from survey_app.accounts.tokens import TokenProblem, check_api_token

    token = make_token()
    with app.app_context():
        assert check_api_token(token, "GET").problem is None
        assert check_api_token(token, "POST").problem is TokenProblem.scope
