"""Answers as meant, in a real browser with JavaScript on and off: "other" is chosen by
typing, answers can be cleared, limits hold as people tap, a part is checked before
moving on, and a likert matrix stays compact on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import PHONES
from tests.support.live_server import ROOT
from tests.support.timeouts import scaled_ms

from .filling import agree_first, walk_to_send


@pytest.fixture(scope="module")
def codes(server) -> dict[str, str]:
    """Open workshops of the all-types and the kick-off questionnaires: key -> join code."""
    found = {}
    for key, path in (("all-types", "tests/fixtures/all-types.yaml"),
                      ("needs-expectations", "instruments/needs-expectations.yaml")):  # fmt: skip
        server.cli("instruments", "load", str(ROOT / path))
        created = server.cli("workshops", "create", "--instrument", key, "--title", key)
        workshop_id, code = created.split()
        server.cli("workshops", "open", workshop_id)
        found[key] = code
    return found


def phone(browser: Browser, javascript: bool = True) -> Page:
    context = browser.new_context(
        viewport=PHONES["360x740"], is_mobile=True, has_touch=True, java_script_enabled=javascript
    )
    return context.new_page()


def test_with_javascript_other_clear_limits_and_the_part_check(browser, server, codes):
    page = phone(browser)
    page.goto(f"{server.base_url}/j/{codes['all-types']}?lang=de")
    # Consent comes first; then the first part of questions cannot be left while its
    # required question is unanswered.
    agree_first(page)
    page.click("form.questionnaire .pager .next")
    summary = page.locator("#s-profile .error-summary")
    expect(summary).to_be_visible(timeout=scaled_ms(10))
    expect(summary.locator('a[href="#q-org_type"]')).to_have_text("Art")
    expect(page.locator("#q-org_type .error")).to_have_text("Bitte beantworten Sie diese Frage.")
    expect(page.locator("#s-profile")).to_be_visible()
    # Typing into "other, please specify" chooses "other".
    page.fill('input[name="q.org_type.other"]', "Elternverein")
    expect(page.locator('input[name="q.org_type"][value="other"]')).to_be_checked()
    # "Up to 2": a third tick is undone at once and the hint says why.
    for option in ("youth", "education"):
        page.locator(f'input[name="q.fields"][value="{option}"]').check(force=True)
    page.locator('input[name="q.fields"][value="health"]').click(force=True)
    expect(page.locator('input[name="q.fields"][value="health"]')).not_to_be_checked()
    expect(page.locator('input[name="q.fields"]:checked')).to_have_count(2)
    expect(page.locator("#q-fields .hint.over")).to_be_visible()
    page.click("form.questionnaire .pager .next")
    expect(page.locator("#s-needs")).to_be_visible(timeout=scaled_ms(10))
    expect(page.locator("#s-profile")).to_be_hidden()
    # A ranking gives each option one place: choosing it again moves it.
    page.select_option('select[name="q.top_needs.1"]', "rooms")
    page.select_option('select[name="q.top_needs.2"]', "rooms")
    expect(page.locator('select[name="q.top_needs.1"]')).to_have_value("")
    # A likert row can be cleared.
    page.locator('input[name="q.support.city"][value="satisfied"]').check(force=True)
    page.click('button.clear[value="q.support.city"]')
    expect(page.locator('input[name="q.support.city"]:checked')).to_have_count(0)
    expect(page.locator("#s-needs")).to_be_visible()  # clearing sent nothing
    page.context.close()


def test_without_javascript_clear_and_other_come_back_from_the_server(browser, server, codes):
    page = phone(browser, javascript=False)
    code = codes["all-types"]
    page.goto(f"{server.base_url}/j/{code}?lang=de")
    page.check('input[name="q.overall"][value="4"]', force=True)
    page.check('input[name="q.org_type"][value="sports"]', force=True)
    page.fill('input[name="q.org_type.other"]', "Elternverein")
    page.click('button.clear[value="q.overall"]')
    expect(page.locator('input[name="q.overall"]:checked')).to_have_count(0)
    expect(page.locator('input[name="q.org_type"][value="sports"]')).to_be_checked()
    expect(page.locator('input[name="q.org_type.other"]')).to_have_value("Elternverein")
    page.click("button.send")
    remark = page.locator("#q-org_type .error")
    expect(remark).to_contain_text("Elternverein")
    expect(page.locator('#error-summary a[href="#q-org_type"]')).to_be_visible()
    page.context.close()


def test_a_likert_matrix_is_compact_on_a_phone(browser, server, codes, artifacts):
    """The kick-off questionnaire's likert questions at 360 px: each statement's points side
    by side (about 4,400 px of stacked buttons before)."""
    page = phone(browser, javascript=False)  # every part shown: measure them all
    page.goto(f"{server.base_url}/j/{codes['needs-expectations']}?lang=de")
    heights = page.evaluate(
        "() => [...document.querySelectorAll('.q-likert .likert')].map(e => ["
        "e.querySelectorAll('input[type=radio]').length, e.getBoundingClientRect().height])"
    )
    page.locator(".q-likert").first.screenshot(path=artifacts / "likert-de-360.png")
    radios = sum(count for count, _ in heights)
    height = sum(px for _, px in heights)
    print(f"likert: {radios} points in {height:.0f} px at 360 px ({height / radios:.1f} px each)")
    assert radios >= 50
    assert height / radios < 40  # stacked buttons took 80 px a point
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_back_or_reload_after_sending_stores_nothing_twice(browser, server, codes, javascript):
    """Sent, then Back and reload: the thank-you page with the edit link, never a fresh
    form that would store a second, partial response."""
    code = codes["all-types"]
    page = phone(browser, javascript=javascript)
    page.goto(f"{server.base_url}/j/{code}?lang=de")
    walk_to_send(page, "de")
    page.click("button.send")
    page.wait_for_selector(".thanks")
    sent = page.get_attribute(".thanks", "data-acknowledged")
    before = server.query("SELECT count(*) FROM response")[0][0]
    if not javascript:  # with it, the thank-you page took the form's place: no Back
        page.go_back()
    page.reload()
    expect(page.locator(".thanks [role=status]")).to_have_text(
        "Sie haben Ihre Antworten von diesem Gerät bereits gesendet."
    )
    expect(page.locator(".edit-link a")).to_be_visible()
    assert page.locator("form.questionnaire").count() == 0
    page.goto(f"{server.base_url}/j/{code}?lang=de")  # the link again
    expect(page.locator(".edit-link a")).to_be_visible()
    assert server.query("SELECT count(*) FROM response")[0][0] == before
    assert server.query("SELECT count(*) FROM response WHERE submission_id = :sid", sid=sent) == [
        (1,)
    ]
    page.context.close()
