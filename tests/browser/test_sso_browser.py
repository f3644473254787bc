"""Single sign-on in Chromium: the login page's button, the provider's forms, back logged in.

The server is ``survey-app serve`` with the pages' real headers (a Content-Security-Policy
whose ``form-action 'self'`` would stop a form that redirects to the provider).
"""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Browser

from tests.support.live_server import free_port
from tests.support.oidc import running_provider

PASSWORD = "correct horse battery staple"


def test_a_facilitator_signs_on_with_the_ministry_account(browser: Browser, live_servers, tmp_path):  # type: ignore[no-untyped-def]
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the OpenID Connect provider of this test runs in it")
    port = free_port()
    accounts = {"fac": {"email": "fac@example.org", "email_verified": True, "name": "Fa C"}}
    callback = f"http://127.0.0.1:{port}/login/sso/callback"
    with running_provider(accounts, tmp_path, callback=callback) as provider:
        settings = {f"SURVEY_{key}": value for key, value in provider.app_config().items()}
        settings["SURVEY_OIDC_LABEL"] = "Sign in with Ministry account"
        with live_servers("sqlite", workers=1, port=port, extra_env=settings) as server:
            server.cli("users", "create", "--email", "fac@example.org", "--role", "facilitator",
                       "--password-stdin", stdin=PASSWORD)  # fmt: skip
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{server.base_url}/login?next=/account")
            page.get_by_role("link", name="Sign in with Ministry account").click()
            page.wait_for_url(f"{provider.issuer}/interaction/**")
            page.fill("input[name=login]", "fac")
            page.fill("input[name=password]", "any password")
            page.click("button[type=submit]")
            page.wait_for_selector("input[name=prompt][value=consent]", state="attached")
            page.click("button[type=submit]")
            page.wait_for_url(f"{server.base_url}/account")
            assert "fac@example.org" in page.locator("header").inner_text()
            context.close()
