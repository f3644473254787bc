"""Accounts: login, logout, session rotation, passwords, API tokens, CLI."""

from __future__ import annotations

import re

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import ApiToken, User

from .conftest import PASSWORD, login
from .helpers import token_of


def test_login_and_logout(client, make_user):
    make_user("fac@example.org")
    assert client.get("/workshops").status_code == 302
    answer = login(client, "FAC@example.org ")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/workshops")
    assert client.get("/workshops").status_code == 200
    page = client.get("/workshops").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/workshops").status_code == 302


def test_wrong_password_is_refused_and_form_kept(client, make_user):
    make_user("fac@example.org")
    answer = login(client, "fac@example.org", "wrong password!!")
    assert answer.status_code == 401
    page = answer.get_data(as_text=True)
    assert "E-Mail-Adresse oder Passwort ist falsch." in page
    assert 'value="fac@example.org"' in page
    assert client.get("/workshops").status_code == 302


def test_unknown_account_looks_like_wrong_password(client):
    answer = login(client, "nobody@example.org")
    assert answer.status_code == 401
    assert "E-Mail-Adresse oder Passwort ist falsch." in answer.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user("fac@example.org")
    answer = client.post("/login", data={"email": "fac@example.org", "password": PASSWORD})
    assert answer.status_code == 400
    assert client.get("/workshops").status_code == 302


def test_login_rotates_session(client, make_user):
    make_user("fac@example.org")
    client.get("/login")
    before = client.get_cookie("session").value
    login(client, "fac@example.org")
    after = client.get_cookie("session").value
    assert before != after


def test_logout_ends_other_sessions_too(app, make_user):
    make_user("fac@example.org")
    laptop, projector = app.test_client(), app.test_client()
    login(laptop, "fac@example.org")
    login(projector, "fac@example.org")
    page = laptop.get("/workshops").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    laptop.post("/logout", data={"csrf_token": token})
    assert projector.get("/workshops").status_code == 302


def test_next_parameter_only_to_own_site(client, make_user):
    make_user("fac@example.org")
    page = client.get("/login?next=https://evil.example/x").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/login",
        data={
            "email": "fac@example.org",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "https://evil.example/x",
        },
    )
    assert answer.headers["Location"].endswith("/workshops")
    assert "evil" not in answer.headers["Location"]


def test_inactive_account_cannot_log_in(app, client, make_user):
    user_id = make_user("old@example.org")
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert login(client, "old@example.org").status_code == 401


def test_password_is_hashed_with_argon2(app, make_user):
    user_id = make_user("fac@example.org")
    with app.app_context():
        stored = db.session.get(User, user_id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_users_create_and_token_commands(app, runner, client):
    short = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--role", "admin", "--password-stdin"],
        input="short\n",
    )
    assert short.exit_code == 2 and "at least 12 characters" in short.output
    created = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert created.exit_code == 0, created.output
    again = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "A@example.org",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert again.exit_code == 2 and "exists already" in again.output
    token = runner.invoke(args=["users", "token", "--email", "a@example.org"]).output.strip()
    assert token.startswith("sv_") and len(token) > 40
    with app.app_context():
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/workshops", headers=bearer).status_code == 200
    # a token opens the JSON API only: a page is what it is without one
    assert client.get("/workshops", headers=bearer).status_code == 302
    assert client.get("/workshops", headers={"Authorization": "Bearer sv_wrong"}).status_code == 302


def test_admin_creates_and_deactivates_accounts(app, client, make_user):
    make_user("admin@example.org", "admin")
    login(client, "admin@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    created = client.post(
        "/admin/users",
        data={"csrf_token": token, "email": "New@Example.org", "name": "N", "role": "viewer"},
    )
    html = created.get_data(as_text=True)
    link = re.search(r'<code class="link-to-copy">([^<]+)</code>', html).group(1)
    password = "a new password of the invited"
    other = app.test_client()
    assert login(other, "new@example.org", password).status_code == 401  # none set yet
    path = link.split("localhost", 1)[1]
    form = other.get(path).get_data(as_text=True)
    data = {"csrf_token": token_of(form), "password": password, "password_again": password}
    assert other.post(path, data=data).status_code == 302
    assert other.get("/workshops").status_code == 200  # logged in by setting the password
    assert login(app.test_client(), "new@example.org", password).status_code == 302
    with app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(email="new@example.org"))
    assert (
        client.post(f"/admin/users/{user_id}/active", data={"csrf_token": token}).status_code == 302
    )
    assert other.get("/workshops").status_code == 302  # deactivated: session ended
    assert login(app.test_client(), "new@example.org", password).status_code == 401


def test_series_manager_gives_and_removes_access(app, client, make_user, make_workshop):
    from .conftest import FIXTURES

    workshop = make_workshop(FIXTURES / "all-types.yaml")
    make_user("fac@example.org", "facilitator", workshop.series_id, "manage")
    viewer_id = make_user("v@example.org", "viewer")
    login(client, "fac@example.org")
    viewer = app.test_client()
    login(viewer, "v@example.org")
    assert viewer.get(f"/series/{workshop.series_id}").status_code == 403
    page = client.get(f"/series/{workshop.series_id}/members").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    unknown = client.post(
        f"/series/{workshop.series_id}/members",
        data={"csrf_token": token, "email": "x@example.org", "level": "read"},
    )
    assert unknown.status_code == 422
    added = client.post(
        f"/series/{workshop.series_id}/members",
        data={"csrf_token": token, "email": "v@example.org", "level": "manage"},
    )
    assert added.status_code == 302
    assert viewer.get(f"/series/{workshop.series_id}").status_code == 200
    assert (
        viewer.get(f"/series/{workshop.series_id}/workshops/new").status_code == 403
    )  # a viewer never manages
    client.post(
        f"/series/{workshop.series_id}/members/{viewer_id}/remove", data={"csrf_token": token}
    )
    assert viewer.get(f"/series/{workshop.series_id}").status_code == 403
