"""Demo data and logged-in staff sessions for the browser tests of the staff pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext

ADMIN = "admin@example.org"
ADMIN_PASSWORD = "correct horse battery staple"


@dataclass
class Demo:
    """The demo series on a live server, and how to log in as its staff."""

    base_url: str
    facilitator: str
    password: str
    series_id: int
    workshop_id: int
    join_code: str
    closed_code: str
    instrument_id: int


def create_demo(server) -> Demo:  # type: ignore[no-untyped-def]
    """Run ``survey-app demo`` and add an administrator; return what the tests need."""
    printed = server.cli("demo", "--responses", "150")
    facilitator, password = re.search(r"e-mail (\S+)\s+password (\S+)", printed).groups()  # type: ignore[union-attr]
    server.cli("users", "create", "--email", ADMIN, "--role", "admin", "--password-stdin",
               stdin=ADMIN_PASSWORD)  # fmt: skip
    (series_id,) = server.query("SELECT min(id) FROM series")[0]
    workshop_id, closed_code = server.query(
        "SELECT w.id, w.join_code FROM workshop w JOIN response r ON r.workshop_id = w.id"
        " WHERE w.series_id = :series GROUP BY w.id, w.join_code ORDER BY count(*) DESC",
        series=series_id,
    )[0]
    server.cli("workshops", "close", str(workshop_id))
    open_code = server.open_workshop(title="Accessibility")
    (instrument_id,) = server.query("SELECT min(id) FROM instrument_version")[0]
    return Demo(
        server.base_url, facilitator, password, int(series_id), int(workshop_id),  # type: ignore[arg-type]
        open_code, str(closed_code), int(instrument_id),  # type: ignore[arg-type]
    )  # fmt: skip


def logged_in(
    browser: Browser, base_url: str, email: str, password: str, **options
) -> BrowserContext:  # type: ignore[no-untyped-def]
    """A browser context with a staff session."""
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, "login failed"
    page.close()
    return context
