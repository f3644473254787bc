"""Accounts in the browser: first admin by setup link, invitations and password reset by
e-mail (a real SMTP server), password change; links work once and expire."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AccountLink, ApiToken, User

from .conftest import PASSWORD, login
from .helpers import new_api_token, token_of
from .mailbox import Mailbox, smtp_server

NEW_PASSWORD = "Vier Wörter für das neue Passwort"


@pytest.fixture
def mailbox(app: Flask) -> Iterator[Mailbox]:
    """A real SMTP server that the app sends to (plain SMTP on 127.0.0.1)."""
    with smtp_server() as (box, port):
        app.config.update(
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=port,
            SMTP_SECURITY="none",
            MAIL_FROM="survey@example.org",
            BASE_URL="https://survey.example.org",
        )
        yield box


def set_password(client: FlaskClient, path: str, password: str = NEW_PASSWORD, again: str = ""):
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    data = {
        "csrf_token": token_of(page.get_data(as_text=True)),
        "password": password,
        "password_again": again or password,
    }
    return client.post(path, data=data)


def setup_link(runner) -> str:
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    found = re.search(r"https?://\S+(/setup/[A-Za-z0-9_-]+)", result.output)
    assert found, result.output
    return found.group(1)


def test_init_prints_a_setup_link_that_makes_the_first_admin_once(app, runner):
    path = setup_link(runner)
    client = app.test_client()
    page = client.get(path).get_data(as_text=True)
    data = {
        "csrf_token": token_of(page),
        "email": "Chef@Ministerium.example",
        "name": "Dr. Aydın",
        "password": "short",
        "password_again": "short",
    }
    refused = client.post(path, data=data)
    assert refused.status_code == 422
    kept = refused.get_data(as_text=True)
    assert 'value="Chef@Ministerium.example"' in kept and 'value="Dr. Aydın"' in kept
    assert "mindestens 12 Zeichen" in kept and 'value="short"' not in kept
    data.update(password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    created = client.post(path, data=data)
    assert created.status_code == 302
    assert client.get("/admin/users").status_code == 200  # logged in as the new admin
    with app.app_context():
        admin = db.session.scalar(select(User).filter_by(email="chef@ministerium.example"))
        assert admin is not None and admin.role.value == "admin" and admin.name == "Dr. Aydın"
    # the link worked once; with an admin, init prints no new one
    assert app.test_client().get(path).status_code == 404
    again = runner.invoke(args=["init"])
    assert "/setup/" not in again.output
    assert login(app.test_client(), "chef@ministerium.example", NEW_PASSWORD).status_code == 302


def test_a_setup_link_stops_working_once_an_admin_exists(app, runner, make_user):
    path = setup_link(runner)
    make_user("admin@example.org", "admin")
    assert app.test_client().get(path).status_code == 404


def test_admin_invites_by_mail_and_the_link_sets_the_password(app, client, make_user, mailbox):
    make_user("admin@example.org", "admin")
    login(client, "admin@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    answer = client.post(
        "/admin/users",
        data={
            "csrf_token": token_of(page),
            "email": "Moderatorin@Kreis.example",
            "name": "Ayşe Yılmaz",
            "role": "facilitator",
        },
    )
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "link-to-copy" not in html  # mailed, not shown
    (message,) = mailbox.wait(1)
    assert message["To"] == "moderatorin@kreis.example"
    assert message["From"].addresses[0].addr_spec == "survey@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Ayşe Yılmaz" in text and "https://survey.example.org/invitation/" in text
    path = mailbox.link(message, "/invitation/")
    invited = app.test_client()
    assert login(invited, "moderatorin@kreis.example", NEW_PASSWORD).status_code == 401
    assert set_password(invited, path, again="something else entirely").status_code == 422
    assert set_password(invited, path).status_code == 302
    assert invited.get("/workshops").status_code == 200
    assert app.test_client().get(path).status_code == 404  # used
    assert login(app.test_client(), "moderatorin@kreis.example", NEW_PASSWORD).status_code == 302


def test_without_smtp_the_admin_gets_the_link_to_hand_on(app, client, make_user):
    make_user("admin@example.org", "admin")
    login(client, "admin@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    answer = client.post(
        "/admin/users",
        data={"csrf_token": token_of(page), "email": "v@example.org", "name": "", "role": "viewer"},
    )
    link = re.search(r'<code class="link-to-copy">([^<]+)</code>', answer.get_data(as_text=True))
    assert link and "/invitation/" in link.group(1)


def test_password_reset_by_mail(app, make_user, mailbox):
    make_user("fac@example.org")
    client = app.test_client()
    old_session = app.test_client()
    login(old_session, "fac@example.org")
    page = client.get("/password/forgot").get_data(as_text=True)
    answer = client.post(
        "/password/forgot", data={"csrf_token": token_of(page), "email": "FAC@example.org"}
    )
    assert answer.status_code == 200
    said = answer.get_data(as_text=True)
    (message,) = mailbox.wait(1)
    path = mailbox.link(message, "/password/reset/")
    # an address without an account gets the same page, and no mail
    unknown = client.post(
        "/password/forgot", data={"csrf_token": token_of(page), "email": "nobody@example.org"}
    )
    assert unknown.status_code == 200
    assert _text(unknown.get_data(as_text=True)) == _text(said)
    assert set_password(client, path).status_code == 302
    assert old_session.get("/workshops").status_code == 302  # other sessions ended
    assert login(app.test_client(), "fac@example.org", PASSWORD).status_code == 401
    assert login(app.test_client(), "fac@example.org", NEW_PASSWORD).status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert len(mailbox.messages) == 1


def _text(html: str) -> str:
    """The page without its CSRF token and nonces."""
    return re.sub(r'value="[^"]*"', "", html)


def test_reset_requests_are_limited_per_account(app, make_user, mailbox):
    make_user("fac@example.org")
    client = app.test_client()
    page = client.get("/password/forgot").get_data(as_text=True)
    for _ in range(5):
        client.post(
            "/password/forgot", data={"csrf_token": token_of(page), "email": "fac@example.org"}
        )
    mailbox.wait(3)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(AccountLink.id))) == 3


def test_an_expired_or_deactivated_accounts_link_does_not_work(app, make_user, mailbox):
    user_id = make_user("fac@example.org")
    client = app.test_client()
    page = client.get("/password/forgot").get_data(as_text=True)
    client.post("/password/forgot", data={"csrf_token": token_of(page), "email": "fac@example.org"})
    path = mailbox.link(mailbox.wait(1)[0], "/password/reset/")
    with app.app_context():
        link = db.session.scalar(select(AccountLink))
        link.expires_at -= timedelta(hours=2)
        db.session.commit()
    assert client.get(path).status_code == 404
    with app.app_context():
        link = db.session.scalar(select(AccountLink))
        link.expires_at += timedelta(hours=2)
        db.session.get(User, user_id).active = False
        db.session.commit()
    gone = client.get(path)
    assert gone.status_code == 404 and "funktioniert nicht mehr" in gone.get_data(as_text=True)


def test_password_change_asks_the_current_one_and_ends_other_sessions(app, runner, make_user):
    make_user("fac@example.org")
    token = new_api_token(runner, "fac@example.org")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, "fac@example.org")
    login(elsewhere, "fac@example.org")
    page = here.get("/account").get_data(as_text=True)
    data = {
        "csrf_token": token_of(page),
        "current_password": "not my password",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
    }
    wrong = here.post("/account/password", data=data)
    assert wrong.status_code == 422 and "nicht Ihr aktuelles Passwort" in wrong.get_data(
        as_text=True
    )
    data["current_password"] = PASSWORD
    changed = here.post("/account/password", data=data)
    assert changed.status_code == 302
    assert here.get("/account").status_code == 200  # this browser stays logged in
    assert elsewhere.get("/workshops").status_code == 302  # the other session ended
    assert (
        app.test_client()
        .get("/api/v1/workshops", headers={"Authorization": f"Bearer {token}"})
        .status_code
        == 401
    )
    assert login(app.test_client(), "fac@example.org", NEW_PASSWORD).status_code == 302
    with app.app_context():
        assert all(t.revoked_at is not None for t in db.session.scalars(select(ApiToken)))


def test_a_shell_admin_prints_a_link_for_an_account(app, runner, make_user):
    make_user("fac@example.org")
    printed = runner.invoke(args=["users", "link", "--email", "fac@example.org"])
    assert printed.exit_code == 0, printed.output
    path = re.search(r"(/password/reset/[A-Za-z0-9_-]+)", printed.output).group(1)
    client = app.test_client()
    assert set_password(client, path).status_code == 302
    assert login(app.test_client(), "fac@example.org", NEW_PASSWORD).status_code == 302
    unknown = runner.invoke(args=["users", "link", "--email", "nobody@example.org"])
    assert unknown.exit_code != 0


def test_guessing_the_current_password_backs_off_like_a_login(app, make_user, still_login_clock):
    make_user("fac@example.org")
    client = app.test_client()
    login(client, "fac@example.org")
    page = client.get("/account").get_data(as_text=True)
    data = {"csrf_token": token_of(page), "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    codes = [
        client.post(
            "/account/password", data={**data, "current_password": f"guess {n}"}
        ).status_code
        for n in range(8)
    ]
    assert codes[:5] == [422] * 5 and 429 in codes[5:]
    answer = client.post("/account/password", data={**data, "current_password": PASSWORD})
    assert answer.status_code == 429  # even the right one waits its turn


def test_without_a_public_address_no_link_is_mailed(app, make_user, mailbox):
    """A reset link would take the host the request named: asked with a forged Host header,
    it would send the victim's token to the attacker's site."""
    app.config["BASE_URL"] = ""
    make_user("admin@example.org", "admin")
    client = app.test_client()
    page = client.get("/password/forgot").get_data(as_text=True)
    assert 'name="email"' not in page  # no form: the site sends no link by mail
    data = {"csrf_token": token_of(page), "email": "admin@example.org"}
    client.post("/password/forgot", data=data, headers={"Host": "evil.example"})
    time.sleep(0.5)
    assert mailbox.messages == []


def test_a_password_change_and_a_new_link_end_the_open_links(app, runner, make_user, mailbox):
    make_user("fac@example.org")
    first = link_of(runner, "fac@example.org")
    second = link_of(runner, "fac@example.org")
    client = app.test_client()
    assert client.get(first).status_code == 404  # replaced by the newer link
    login(client, "fac@example.org")
    page = client.get("/account").get_data(as_text=True)
    data = {"csrf_token": token_of(page), "current_password": PASSWORD,
            "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}  # fmt: skip
    assert client.post("/account/password", data=data).status_code == 302
    assert app.test_client().get(second).status_code == 404  # the change used it up


def link_of(runner, email: str) -> str:
    printed = runner.invoke(args=["users", "link", "--email", email])
    return re.search(r"(/password/reset/[A-Za-z0-9_-]+)", printed.output).group(1)


def test_a_new_link_for_a_deactivated_account_is_refused_clearly(app, logged_in_client, make_user):
    user_id = make_user("fac@example.org")
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    admin = logged_in_client("admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    answer = admin.post(f"/admin/users/{user_id}/link", data={"csrf_token": token_of(page)})
    assert answer.status_code == 303
    assert "fac@example.org ist deaktiviert" in admin.get("/admin/users").get_data(as_text=True)


def test_a_language_switch_back_to_a_header_breaking_page_stays_on_the_site(app, client):
    page = client.get("/login").get_data(as_text=True)
    data = {"csrf_token": token_of(page), "lang": "en", "next": "/login\r\nSet-Cookie: a=b"}
    answer = client.post("/language", data=data)
    assert answer.status_code == 303 and "\n" not in answer.headers["Location"]


def test_deactivating_ends_open_links_for_good(app, runner, make_user, logged_in_client):
    """Finding: a reset link of a deactivated account worked again after reactivation."""
    user_id = make_user("fac@example.org")
    path = link_of(runner, "fac@example.org")
    admin = logged_in_client("admin")
    for _ in range(2):  # deactivate, then reactivate
        page = admin.get("/admin/users").get_data(as_text=True)
        answer = admin.post(f"/admin/users/{user_id}/active", data={"csrf_token": token_of(page)})
        assert answer.status_code in (302, 303)
    with app.app_context():
        assert db.session.get(User, user_id).active
    assert app.test_client().get(path).status_code == 404


@pytest.mark.parametrize("password", [" " * 12, " " * 6 + "abc" + " " * 6, "\t" * 15])
def test_a_password_of_spaces_is_refused(app, make_user, runner, password):
    """Finding: a password of 12 spaces was accepted on /account and worked for login."""
    make_user("fac@example.org")
    client = app.test_client()
    login(client, "fac@example.org")
    page = client.get("/account").get_data(as_text=True)
    data = {"csrf_token": token_of(page), "current_password": PASSWORD,
            "password": password, "password_again": password}  # fmt: skip
    answer = client.post("/account/password", data=data)
    assert answer.status_code == 422
    assert "mindestens 12 Zeichen" in answer.get_data(as_text=True)
    assert (
        set_password(app.test_client(), link_of(runner, "fac@example.org"), password).status_code
        == 422
    )
    assert login(app.test_client(), "fac@example.org", password).status_code != 302
