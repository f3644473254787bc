"""The "don't know" of a rating and a likert row in a real browser at 360 px: after the
points and apart from them, one radio group with them (Clear empties it), with and
without JavaScript, left to right and right to left."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import PHONES
from tests.support.live_server import ROOT


@pytest.fixture(scope="module")
def code(server) -> str:
    """The join code of an open workshop of tests/fixtures/dont-know.yaml."""
    server.cli("instruments", "load", str(ROOT / "tests" / "fixtures" / "dont-know.yaml"))
    created = server.cli("workshops", "create", "--instrument", "dont-know", "--title", "dk")
    workshop_id, join_code = created.split()
    server.cli("workshops", "open", workshop_id)
    return join_code


def phone(browser: Browser, javascript: bool = True) -> Page:
    context = browser.new_context(
        viewport=PHONES["360x740"], is_mobile=True, has_touch=True, java_script_enabled=javascript
    )
    return context.new_page()


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("language", ["de", "ar"])
def test_dont_know_sits_apart_after_the_points(browser, server, code, artifacts, language,
                                               javascript):  # fmt: skip
    page = phone(browser, javascript)
    page.goto(f"{server.base_url}/j/{code}?lang={language}")
    row = '#q-support fieldset[id="q.support.city"]'
    points, apart = box(page, f"{row} .scale"), box(page, f"{row} .dont-know")
    assert apart["y"] >= points["y"] + points["height"]  # below the points, not among them
    rating, rating_apart = box(page, "#q-overall .rating"), box(page, "#q-overall .dont-know")
    assert rating_apart["y"] > rating["y"] + rating["height"]
    # it starts where the text starts: left in German, right in Arabic
    if language == "ar":
        assert abs((apart["x"] + apart["width"]) - (points["x"] + points["width"])) < 2
    else:
        assert abs(apart["x"] - points["x"]) < 2
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / f"dont-know-{language}-js{int(javascript)}.png"),
                    full_page=True)  # fmt: skip
    # one radio group: "don't know" replaces a point, a point replaces it
    city = 'input[name="q.support.city"]'
    page.locator(f'{city}[value="agree"]').check(force=True)
    page.locator(f'{city}[value="dont_know"]').check(force=True)
    expect(page.locator(f"{city}:checked")).to_have_count(1)
    expect(page.locator(f'{city}[value="dont_know"]')).to_be_checked()
    # Clear empties it (on the page with JavaScript, through the server without)
    page.click('button.clear[value="q.support.city"]')
    expect(page.locator(f"{city}:checked")).to_have_count(0)
    page.context.close()


def test_dont_know_is_sent_and_shown_back(browser, server, code):
    page = phone(browser, javascript=False)
    page.goto(f"{server.base_url}/j/{code}?lang=de")
    page.locator('input[name="q.overall"][value="dont_know"]').check(force=True)
    page.locator('input[name="q.support.state"][value="dont_know"]').check(force=True)
    page.click("button.send")
    link = page.locator(".edit-link a")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator('input[name="q.overall"][value="dont_know"]')).to_be_checked()
    expect(page.locator('input[name="q.support.state"][value="dont_know"]')).to_be_checked()
    expect(page.locator('input[name="q.support.city"]:checked')).to_have_count(0)
    page.context.close()
