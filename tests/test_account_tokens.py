"""The account page: API tokens made (shown once), listed and revoked; "log out everywhere"."""

from __future__ import annotations

import re

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import ApiToken, User

from .conftest import login
from .helpers import bearer, new_api_token, token_of

API = "/api/v1/workshops"


def test_a_token_made_in_the_browser_is_shown_once_and_opens_the_api(
    app, make_user, logged_in_client
):
    viewer = logged_in_client("viewer")
    page = viewer.get("/account")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    csrf = token_of(page.get_data(as_text=True))
    forged = viewer.post("/account/tokens", data={"name": "x", "expires_days": "30"})
    assert forged.status_code in (400, 422)  # no CSRF token: nothing made
    name = '<script>alert("R")</script>'
    made = viewer.post(
        "/account/tokens", data={"csrf_token": csrf, "name": name, "expires_days": "30"}
    )
    assert made.status_code == 200 and "no-store" in made.headers["Cache-Control"]
    html = made.get_data(as_text=True)
    assert name not in html and "&lt;script&gt;" in html
    [token] = re.findall(r"<code>(sv_[^<]+)</code>", html)
    assert app.test_client().get(API, headers=bearer(token)).status_code == 200
    again = viewer.get("/account").get_data(as_text=True)
    assert token not in again and "&lt;script&gt;" in again
    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).one()
        assert (stored.expires_at - stored.created_at).days == 30
    wrong = viewer.post(
        "/account/tokens", data={"csrf_token": csrf, "name": "y", "expires_days": "9999"}
    )
    assert wrong.status_code == 422  # only the offered lives


def test_owners_revoke_their_tokens_and_nobody_elses(app, make_user, runner, logged_in_client):
    viewer = logged_in_client("viewer")
    mine = new_api_token(runner, "viewer@example.org", "--name", "mine")
    make_user("other@example.org", "viewer")
    theirs = new_api_token(runner, "other@example.org", "--name", "theirs")
    with app.app_context():
        ids = {name: id_ for name, id_ in db.session.execute(select(ApiToken.name, ApiToken.id))}
    page = viewer.get("/account").get_data(as_text=True)
    assert "mine" in page and "theirs" not in page
    csrf = token_of(page)
    other = viewer.post(f"/account/tokens/{ids['theirs']}/revoke", data={"csrf_token": csrf})
    assert other.status_code == 404
    assert app.test_client().get(API, headers=bearer(theirs)).status_code == 200
    own = viewer.post(f"/account/tokens/{ids['mine']}/revoke", data={"csrf_token": csrf})
    assert own.status_code == 302 and own.headers["Location"].endswith("/account")
    assert app.test_client().get(API, headers=bearer(mine)).status_code == 401


def test_admins_see_and_revoke_anyones_tokens(app, make_user, runner, logged_in_client):
    make_user("v@example.org", "viewer")
    token = new_api_token(runner, "v@example.org", "--name", "ministry script")
    admin = logged_in_client("admin")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(email="v@example.org"))
        token_id = db.session.scalar(select(ApiToken.id))
    assert f"/admin/users/{user_id}/tokens" in admin.get("/admin/users").get_data(as_text=True)
    listed = admin.get(f"/admin/users/{user_id}/tokens")
    assert listed.status_code == 200 and "ministry script" in listed.get_data(as_text=True)
    csrf = token_of(listed.get_data(as_text=True))
    revoked = admin.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 302
    assert revoked.headers["Location"].endswith(f"/admin/users/{user_id}/tokens")
    assert app.test_client().get(API, headers=bearer(token)).status_code == 401
    page = admin.get(f"/admin/users/{user_id}/tokens", headers={"Accept-Language": "en"})
    assert "revoked" in page.get_data(as_text=True)
    assert admin.get("/admin/users/99999/tokens").status_code == 404


def test_logging_out_keeps_tokens_logging_out_everywhere_revokes_them(app, make_user, runner):
    make_user("v@example.org", "viewer")
    token = new_api_token(runner, "v@example.org")
    other = new_api_token(runner, "v@example.org")
    person = app.test_client()
    login(person, "v@example.org")
    csrf = token_of(person.get("/account").get_data(as_text=True))
    assert person.post("/logout", data={"csrf_token": csrf}).status_code == 302
    assert app.test_client().get(API, headers=bearer(token)).status_code == 200
    login(person, "v@example.org")
    second = app.test_client()
    login(second, "v@example.org")
    csrf = token_of(person.get("/account").get_data(as_text=True))
    ended = person.post("/account/logout-everywhere", data={"csrf_token": csrf})
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
    for each in (token, other):
        assert app.test_client().get(API, headers=bearer(each)).status_code == 401
    assert second.get("/account").status_code == 302  # the other browser's session too


def test_odd_token_forms_are_answered_without_an_error_page(app, logged_in_client):
    viewer = logged_in_client("viewer")
    csrf = token_of(viewer.get("/account").get_data(as_text=True))
    odd = [
        {"name": "n" * 201, "expires_days": "90"},
        {"name": "", "expires_days": "90"},
        {"name": " \t\u202e ", "expires_days": "90"},  # nothing to show: refused, not "token"
        {"name": "\x00\x01", "expires_days": "90"},  # found: stored as "\x01", shown empty
        {"name": "x", "expires_days": "x"},
        {"name": "x", "expires_days": "-7"},
    ]
    for data in odd:
        answer = viewer.post("/account/tokens", data={"csrf_token": csrf, **data})
        assert answer.status_code == 422, data
    made = viewer.post(
        "/account/tokens",
        data={"csrf_token": csrf, "name": " a\n\tb\u202e\x07\x1b[31m ", "expires_days": "7"},
    )
    assert made.status_code == 200
    default = viewer.post("/account/tokens", data={"csrf_token": csrf, "name": "no life"})
    assert default.status_code == 200  # the default life, 90 days
    with app.app_context():
        rows = db.session.scalars(select(ApiToken).order_by(ApiToken.id)).all()
        # found: BEL and ESC were kept, and the command line printed them to admins
        assert [t.name for t in rows] == ["a b[31m", "no life"]
        assert (rows[1].expires_at - rows[1].created_at).days == 90
    assert viewer.post("/account/tokens/abc/revoke", data={"csrf_token": csrf}).status_code == 404


def test_account_names_are_plain_labels(app, make_user):
    """Finding: the first admin's name kept a direction override and a terminal escape."""
    from survey_app.models import User

    user_id = make_user("fac@example.org")
    with app.app_context():
        user = db.session.get(User, user_id)
        user.name = "Admin \u202eevil\u202c 😀 \x07\x1b[31m\tعربي\n"
        db.session.commit()
        assert db.session.get(User, user_id).name == "Admin evil 😀 [31m عربي"
