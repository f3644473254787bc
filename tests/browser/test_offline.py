"""Bad conference Wi-Fi: drafts survive, and a questionnaire sent without a connection is
kept on the phone and delivered once the network is back, exactly once."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Route, expect

from tests.support.browser import PHONES
from tests.support.timeouts import scaled_ms

from .filling import SAMPLE_TEXT, agree_first, walk_to_send


@pytest.fixture(scope="module")
def code(server) -> str:
    return server.open_workshop(title="Offline")


@pytest.fixture
def page(browser, server, code):
    context = browser.new_context(viewport=PHONES["360x740"], is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{server.base_url}/j/{code}?lang=de")
    yield page
    context.close()


def stored(server, page: Page) -> int:
    """How many responses the server stored under the form's submission id."""
    submission_id = page.evaluate(
        "() => (document.querySelector('[name=submission_id]') || {}).value"
        " || document.querySelector('[data-acknowledged]').dataset.acknowledged"
    )
    rows = server.query(
        "SELECT count(*) FROM response WHERE submission_id = :sid", sid=submission_id
    )
    return int(rows[0][0])  # type: ignore[call-overload]


def outbox(page: Page, code: str) -> dict | None:
    """The queued submission kept in the phone's storage, if any."""
    raw = page.evaluate("k => localStorage.getItem(k)", f"survey-draft:outbox:{code}")
    return json.loads(raw) if raw else None


def test_a_draft_survives_a_network_drop_and_a_reload(page, server, code):
    agree_first(page)
    page.check('input[name="q.org_type"][value=culture]')
    page.context.set_offline(True)
    page.fill('input[name="q.members"]', "48")
    page.fill('input[name="q.municipality"]', SAMPLE_TEXT["de"])
    page.context.set_offline(False)
    page.reload()
    assert page.locator(".restored").is_visible()
    assert page.is_checked('input[name="q.org_type"][value=culture]')
    assert page.input_value('input[name="q.members"]') == "48"
    assert page.input_value('input[name="q.municipality"]') == SAMPLE_TEXT["de"]
    assert stored(server, page) == 0


def test_a_submission_made_offline_is_sent_when_the_network_is_back(page, server, code, artifacts):
    walk_to_send(page, "de")
    page.context.set_offline(True)
    page.click("button.send")
    notice = page.locator(".outbox")
    # "sending ..." first; once the browser's request fails, why it waits
    expect(notice).to_contain_text("Verbindung", timeout=scaled_ms(15))
    assert notice.get_attribute("role") == "status"
    page.screenshot(path=artifacts / "offline-queued-de.png")
    queued = outbox(page, code)
    assert queued and "submission_id=" in queued["body"]
    assert stored(server, page) == 0

    page.context.set_offline(False)  # the browser says "online": the outbox is sent
    page.wait_for_selector(".thanks")
    assert stored(server, page) == 1
    assert outbox(page, code) is None


def test_the_outbox_is_kept_until_the_server_acknowledged(page, server, code):
    """The first send reaches the server but its answer is lost; a 503 follows; only the
    third try gets through. One response is stored, and the outbox empties only then."""
    attempts: list[str] = []

    def flaky(route: Route) -> None:
        if route.request.method != "POST":
            return route.continue_()
        attempts.append(route.request.post_data or "")
        if len(attempts) == 1:
            route.fetch()  # the server stores it ...
            return route.abort("connectionreset")  # ... but the phone never hears back
        if len(attempts) == 2:
            return route.fulfill(status=503, body="busy")
        return route.continue_()

    page.route(f"**/j/{code}", flaky)
    walk_to_send(page, "de")
    page.click("button.send")
    retry = page.locator(".outbox button.retry")
    retry.wait_for()
    assert stored(server, page) == 1  # stored, but not acknowledged to the phone
    assert outbox(page, code) is not None
    retry.click()  # 503: still kept
    page.wait_for_function("() => document.querySelector('.outbox .retry')")
    page.wait_for_timeout(200)
    assert len(attempts) >= 2 and outbox(page, code) is not None
    page.locator(".outbox button.retry").click()
    page.wait_for_selector(".thanks")
    assert len(attempts) == 3
    assert len(set(attempts)) == 1  # the same submission each time
    assert stored(server, page) == 1
    assert outbox(page, code) is None


def test_a_queued_submission_is_sent_after_a_reload(page, server, code):
    page.route(f"**/j/{code}", lambda r: r.abort() if r.request.method == "POST" else r.continue_())
    walk_to_send(page, "de")
    page.click("button.send")
    page.locator(".outbox button.retry").wait_for()
    assert stored(server, page) == 0
    page.unroute(f"**/j/{code}")
    page.reload()  # e.g. the participant reloads once the Wi-Fi works again
    page.wait_for_selector(".thanks")
    assert stored(server, page) == 1
    assert outbox(page, code) is None
