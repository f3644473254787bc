"""The language switch of the staff header: the choice holds for the session, over a login."""

from __future__ import annotations

import re

import pytest

from .conftest import login

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
SWITCH_TOKEN = re.compile(
    r'id="language-switch" hidden>\s*<input type="hidden" name="csrf_token" value="([^"]+)"'
)


def page_language(answer) -> str:
    return re.search(r'<html lang="([^"]+)"', answer.get_data(as_text=True)).group(1)


def switch(client, language: str, next_path: str, from_path: str = "/login"):
    """Press the header's button for ``language`` on ``from_path``."""
    page = client.get(from_path).get_data(as_text=True)
    token = SWITCH_TOKEN.search(page).group(1)
    return client.post("/language", data={"csrf_token": token, "lang": language, "next": next_path})


@SQLITE
def test_the_chosen_language_holds_over_login_and_logout(client, make_user):
    make_user("fac@example.org")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    start = client.get("/login")
    assert page_language(start) == "de"
    assert 'value="en" lang="en">English</button>' in start.get_data(as_text=True)
    moved = switch(client, "en", "/login?next=/workshops")
    assert moved.status_code == 303 and moved.headers["Location"] == "/login?next=/workshops"
    assert page_language(client.get("/login")) == "en"  # the browser still asks for German
    assert login(client, "fac@example.org").status_code == 302
    workshops = client.get("/workshops")
    assert page_language(workshops) == "en"
    assert 'value="de" lang="de">Deutsch</button>' in workshops.get_data(as_text=True)
    assert page_language(client.get("/workshops?lang=de")) == "de"  # ?lang= for one page
    assert page_language(client.get("/workshops")) == "en"
    back = switch(client, "de", "/workshops", from_path="/workshops")
    assert back.headers["Location"] == "/workshops"
    assert page_language(client.get("/workshops")) == "de"
    token = SWITCH_TOKEN.search(client.get("/workshops").get_data(as_text=True)).group(1)
    client.post("/logout", data={"csrf_token": token})
    assert page_language(client.get("/login")) == "de"


@SQLITE
def test_an_unknown_language_or_a_foreign_next_page_is_refused(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    refused = switch(client, "fr", "/login")
    assert refused.status_code == 400
    assert "Diese Sprache wird nicht angeboten." in refused.get_data(as_text=True)
    assert page_language(client.get("/login")) == "de"
    away = switch(client, "en", "//example.com/x")
    assert away.status_code == 303 and away.headers["Location"] == "/workshops"


@SQLITE
def test_without_its_token_the_switch_changes_nothing(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    assert client.post("/language", data={"lang": "en", "next": "/login"}).status_code == 400
    assert page_language(client.get("/login")) == "de"
