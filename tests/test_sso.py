"""Single sign-on for staff with OpenID Connect, against a real provider (oidc-provider).

The provider runs in node (``tests/oidc/provider.mjs``); the person's side at the
provider is plain HTTP (its login and consent forms), the app's side is its test client,
and the app fetches discovery, keys and tokens from the provider over HTTP itself.
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from authlib.integrations.flask_client import FlaskOAuth2App
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from sqlalchemy import func, select

from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import SsoIdentity, User

from .conftest import _test_config, login
from .support.live_server import free_port
from .support.oidc import Provider, running_provider, sign_on_at_provider

#: The provider's people: login name (their ``sub`` unless given) -> claims.
ACCOUNTS: dict[str, dict[str, object]] = {
    "fac": {"email": "Fac@Example.org", "email_verified": True, "name": "Fa C"},
    "stranger": {"email": "stranger@example.org", "email_verified": True, "name": "S"},
    "gone": {"email": "gone@example.org", "email_verified": True, "name": "G"},
    "unverified": {"email": "unverified@example.org", "email_verified": False, "name": "U"},
    "alice": {"email": "alice@example.org", "email_verified": True, "name": "Alice"},
    # another person of the provider who changed their address to Alice's
    "mallory": {"email": "alice@example.org", "email_verified": True, "name": "Mallory"},
    # Carol's second address at the provider, same person (subject) as "carol"
    "carol": {"email": "carol@example.org", "email_verified": True, "name": "Carol"},
    "carol-renamed": {
        "sub": "carol",
        "email": "dave@example.org",
        "email_verified": True,
        "name": "Carol",
    },  # fmt: skip
}


#: The staff languages with English first: these tests read the pages' English messages.
ENGLISH_FIRST = ["en", "de", "tr", "ar", "uk"]


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """Run the OpenID Connect provider for this module's tests."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the OpenID Connect provider of these tests runs in it")
    with running_provider(ACCOUNTS, tmp_path_factory.mktemp("oidc")) as running:
        yield running


@pytest.fixture
def app(database_url: str, tmp_path, provider: Provider) -> Iterator[Flask]:
    """Return an app with single sign-on at the test provider, on a fresh database."""
    config = {**_test_config(database_url, tmp_path / "instance"), **provider.app_config()}
    # English first: these tests read the pages' English messages
    app = create_app(
        {
            **config,
            "OIDC_LABEL": "Sign in with Ministry account",
            "SUPPORTED_UI_LANGUAGES": ENGLISH_FIRST,
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def csrf_token(client: FlaskClient) -> str:
    """Return the CSRF token of the login page (in the client's session)."""
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def start(client: FlaskClient, next_page: str = "") -> str:
    """Follow the login page's single sign-on link; return the provider URL it sends to."""
    page = client.get("/login", query_string={"next": next_page} if next_page else None)
    link = re.search(r'<a class="button" href="([^"]+)">', page.get_data(as_text=True))
    answer = client.get(html.unescape(link.group(1)))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return answer.headers["Location"]


def sign_on(client: FlaskClient, login_name: str, cancel: bool = False):
    """Sign on as ``login_name`` at the provider; return the app's answer to the callback."""
    callback = sign_on_at_provider(start(client), login_name, cancel=cancel)
    return client.get(callback)


def logged_in(client: FlaskClient) -> bool:
    """Say whether the client's session opens a staff page."""
    return client.get("/workshops").status_code == 200


def refused(answer, status: int, words: str) -> None:
    page = answer.get_data(as_text=True)
    assert answer.status_code == status, page
    assert words in page
    assert "Back to the login page" in page


def identities(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(User.email, SsoIdentity.issuer, SsoIdentity.subject).join(SsoIdentity.user)
        )
        return sorted(tuple(row) for row in rows)


def test_login_page_shows_the_configured_button(client):
    page = client.get("/login?next=/account").get_data(as_text=True)
    assert 'href="/login/sso?next=/account">Sign in with Ministry account</a>' in page


def test_sign_on_logs_the_account_in_and_stores_its_subject(app, client, make_user, provider):
    make_user("fac@example.org", "facilitator")
    authorize = start(client, next_page="/account")
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(provider.issuer + "/")
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    assert query["scope"] == ["openid email profile"]
    answer = client.get(sign_on_at_provider(authorize, "fac"))
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/account"
    assert logged_in(client)
    assert "fac@example.org" in client.get("/account").get_data(as_text=True)
    assert identities(app) == [("fac@example.org", provider.issuer, "fac")]
    # a later sign-on with the same subject works and links nothing new
    again = app.test_client()
    assert sign_on(again, "fac").status_code == 302 and logged_in(again)
    assert identities(app) == [("fac@example.org", provider.issuer, "fac")]


def test_log_out_everywhere_ends_a_sign_on_session(app, client, make_user):
    make_user("fac@example.org", "facilitator")
    assert sign_on(client, "fac").status_code == 302 and logged_in(client)
    other = app.test_client()
    assert login(other, "fac@example.org").status_code == 302
    token = csrf_token(other)
    assert other.post("/account/logout-everywhere", data={"csrf_token": token}).status_code == 302
    assert not logged_in(client)


def test_unknown_email_is_told_to_ask_for_an_invitation(app, client, make_user):
    make_user("fac@example.org", "facilitator")
    refused(sign_on(client, "stranger"), 403, "ask an administrator for an invitation")
    assert not logged_in(client)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert identities(app) == []


def test_disabled_account_is_refused(app, client, make_user):
    user_id = make_user("gone@example.org", "facilitator")
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    refused(sign_on(client, "gone"), 403, "This account is deactivated.")
    assert not logged_in(client)
    assert identities(app) == []


def test_unverified_email_is_refused(app, client, make_user):
    make_user("unverified@example.org", "facilitator")
    refused(sign_on(client, "unverified"), 403, "has not confirmed your e-mail address")
    assert not logged_in(client)


def test_tampered_state_is_refused(app, client, make_user):
    make_user("fac@example.org", "facilitator")
    callback = sign_on_at_provider(start(client), "fac")
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query["state"] = query["state"][:-2] + ("AA" if not query["state"].endswith("AA") else "BB")
    refused(client.get(f"{parts.path}?{urlencode(query)}"), 400, "expired or was already used")
    assert not logged_in(client)
    without = {key: value for key, value in query.items() if key != "state"}
    refused(client.get(f"{parts.path}?{urlencode(without)}"), 400, "expired or was already used")


def test_an_answer_naming_another_issuer_is_refused(app, client, make_user, provider):
    make_user("fac@example.org", "facilitator")
    callback = sign_on_at_provider(start(client), "fac")
    assert parse_qs(urlsplit(callback).query)["iss"] == [provider.issuer]  # RFC 9207
    mixed_up = callback.replace(
        urlencode({"iss": provider.issuer}), "iss=https%3A%2F%2Fevil.example"
    )
    assert mixed_up != callback
    refused(client.get(mixed_up), 502, "could not be verified")
    assert not logged_in(client)


def test_replayed_callback_is_refused(app, client, make_user):
    make_user("fac@example.org", "facilitator")
    callback = sign_on_at_provider(start(client), "fac")
    before = client.get_cookie("session").value  # the session that still holds the state
    assert client.get(callback).status_code == 302 and logged_in(client)
    # the same browser again: its state was used up
    refused(client.get(callback), 400, "expired or was already used")
    # someone holding the session cookie of before: the provider refuses the used code
    thief = app.test_client()
    thief.set_cookie("session", before, domain="localhost")
    refused(thief.get(callback), 400, "expired or was already used")
    assert not logged_in(thief)


def test_another_subject_with_the_accounts_email_is_refused(app, client, make_user, provider):
    make_user("alice@example.org", "facilitator")
    assert sign_on(client, "alice").status_code == 302
    mallory = app.test_client()
    refused(sign_on(mallory, "mallory"), 403, "signed in before as another person")
    assert not logged_in(mallory)
    assert identities(app) == [("alice@example.org", provider.issuer, "alice")]


def test_a_subject_linked_to_one_account_opens_no_other(app, client, make_user, provider):
    make_user("carol@example.org", "facilitator")
    make_user("dave@example.org", "admin")
    assert sign_on(client, "carol").status_code == 302
    renamed = app.test_client()
    refused(sign_on(renamed, "carol-renamed"), 403, "belongs to another account")
    assert not logged_in(renamed)
    assert identities(app) == [("carol@example.org", provider.issuer, "carol")]


def test_cancelling_at_the_provider_ends_on_a_clear_page(app, client, make_user):
    make_user("fac@example.org", "facilitator")
    refused(sign_on(client, "fac", cancel=True), 403, "cancelled or refused")
    assert not logged_in(client)


@pytest.fixture
def other_app(database_url: str, tmp_path) -> Iterator[Callable[..., Flask]]:
    """Return a factory of apps on the test's database with other settings."""
    made: list[Flask] = []

    def make(**settings: str) -> Flask:
        instance = tmp_path / f"instance-{len(made)}"
        config = {**_test_config(database_url, instance), "SUPPORTED_UI_LANGUAGES": ENGLISH_FIRST}
        made.append(create_app({**config, **settings}))
        return made[-1]

    yield make
    for each in made:
        with each.app_context():
            db.engine.dispose()


def test_an_unreachable_provider_gets_a_clear_page(other_app):
    issuer = f"http://127.0.0.1:{free_port()}"
    app = other_app(OIDC_ISSUER=issuer, OIDC_CLIENT_ID="survey-app", OIDC_CLIENT_SECRET="secret")
    client = app.test_client()
    refused(client.get("/login/sso"), 502, "cannot be reached just now")


def test_without_settings_there_is_no_button_and_no_route(other_app):
    client = other_app().test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "/login/sso" not in page and "Sign in with" not in page
    assert client.get("/login/sso").status_code == 404
    assert client.get("/login/sso/callback?code=x&state=y").status_code == 404


def test_an_admin_unlinks_a_subject_so_that_a_new_one_can_sign_on(app, client, make_user):
    make_user("alice@example.org", "facilitator")
    assert sign_on(client, "alice").status_code == 302
    runner = app.test_cli_runner()
    done = runner.invoke(args=["users", "forget-sso", "--email", "Alice@example.org"])
    assert done.exit_code == 0 and "unlinked" in done.output
    # Alice's new account at the provider (another subject) may now sign on, once
    replaced = app.test_client()
    assert sign_on(replaced, "mallory").status_code == 302 and logged_in(replaced)
    assert [subject for _, _, subject in identities(app)] == ["mallory"]
    again = runner.invoke(args=["users", "forget-sso", "--email", "nobody@example.org"])
    assert again.exit_code != 0 and "there is no account" in again.output


def test_sign_on_pages_are_kept_by_no_browser(app, client, make_user):
    make_user("fac@example.org", "facilitator")
    started = client.get("/login/sso?next=https://elsewhere.example.org/")
    assert started.status_code == 302
    refused_page = client.get("/login/sso/callback?code=x&state=unknown")
    assert refused_page.status_code == 400
    for answer in (started, refused_page):
        assert "no-store" in answer.headers["Cache-Control"]


def test_a_next_page_elsewhere_leads_to_the_workshops(client, make_user):
    make_user("fac@example.org", "facilitator")
    started = client.get("/login/sso?next=https://elsewhere.example.org/")
    answer = client.get(sign_on_at_provider(started.headers["Location"], "fac"))
    assert answer.headers["Location"] == "/workshops"


def test_email_only_in_the_userinfo_answer_is_read_from_there(other_app, make_user, tmp_path):
    make_user("fac@example.org", "facilitator")
    make_user("unverified@example.org", "facilitator")
    with running_provider(ACCOUNTS, tmp_path, email_in_userinfo_only=True) as strict:
        app = other_app(**strict.app_config())
        client = app.test_client()
        assert sign_on(client, "fac").status_code == 302 and logged_in(client)
        assert identities(app) == [("fac@example.org", strict.issuer, "fac")]
        refused(sign_on(app.test_client(), "unverified"), 403, "has not confirmed")


def altered_id_token(id_token: str, change: str, key) -> str:
    """Return the provider's ID token with one thing changed, signed with its key again
    (``signature``: one character of the signature changed, not signed again)."""
    header, payload, signature = id_token.split(".")
    if change == "signature":
        middle = len(signature) // 2
        swapped = "A" if signature[middle] != "A" else "B"
        return f"{header}.{payload}.{signature[:middle]}{swapped}{signature[middle + 1 :]}"
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    now = int(time.time())
    changes = {
        "unchanged": {},
        "aud": {"aud": "another-app"},
        "iss": {"iss": "http://127.0.0.1:1"},
        "exp": {"iat": now - 7200, "exp": now - 3600},
        "nonce": {"nonce": "not-the-one-sent"},
        "sub": {"sub": ""},
    }
    return jwt.encode({"alg": "RS256", "kid": key.kid}, {**claims, **changes[change]}, key)


@pytest.mark.parametrize("change", ["signature", "aud", "iss", "exp", "nonce", "sub"])
def test_an_altered_id_token_is_refused(app, client, make_user, provider, monkeypatch, change):
    make_user("fac@example.org", "facilitator")
    fetch = FlaskOAuth2App.fetch_access_token

    def fetch_and_alter(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        token = fetch(self, *args, **kwargs)
        token["id_token"] = altered_id_token(token["id_token"], change, provider.signing_key)
        return token

    monkeypatch.setattr(FlaskOAuth2App, "fetch_access_token", fetch_and_alter)
    refused(sign_on(client, "fac"), 502, "could not be verified")
    assert not logged_in(client)
    assert identities(app) == []
    # the same alteration with nothing changed is accepted: the change is what is refused
    change = "unchanged"
    assert sign_on(app.test_client(), "fac").status_code == 302
