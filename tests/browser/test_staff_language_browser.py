"""The staff header's language switch on a 360 px phone: it fits, and the choice sticks."""

from __future__ import annotations

from tests.support.browser import PHONES

from .staff import logged_in

EMAIL = "language-switch@example.org"
PASSWORD = "a long enough password for the switch"


def test_the_switch_fits_a_phone_and_the_language_sticks(browser, server, artifacts):
    server.cli("users", "create", "--email", EMAIL, "--role", "admin", "--password-stdin",
               stdin=PASSWORD)  # fmt: skip
    context = logged_in(
        browser, server.base_url, EMAIL, PASSWORD, viewport=PHONES["360x740"], locale="de-DE"
    )
    page = context.new_page()
    page.goto(f"{server.base_url}/workshops")
    assert page.get_attribute("html", "lang") == "de"
    widths = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(widths) == 0
    english = page.get_by_role("button", name="English")
    box = english.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert box["height"] >= 24  # big enough to hit with a finger (WCAG 2.5.8)
    page.screenshot(path=str(artifacts / "staff-language-switch-360.png"))
    english.click()
    page.wait_for_load_state()
    assert page.url.endswith("/workshops")
    assert page.get_attribute("html", "lang") == "en"
    page.goto(f"{server.base_url}/instruments")
    assert page.get_attribute("html", "lang") == "en"
    header = "() => [document.querySelector('.topbar').scrollWidth, innerWidth]"
    wide, viewport = page.evaluate(header)
    assert wide <= viewport
    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "de"
    context.close()
