"""A follow-up question that depends on a points question appears and disappears live,
exactly when the server would ask it: once the points add up, for the options given
points (the cases are the server test's, ``tests/test_points.py``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.support.browser import PHONES
from tests.test_points import FOLLOW_UPS, SHOW_IF_CASES


@pytest.fixture(scope="module")
def code(server, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("instruments") / "points-follow-up.yaml"
    path.write_text(FOLLOW_UPS, encoding="utf-8")
    server.cli("instruments", "load", str(path))
    return server.open_workshop(instrument="points-follow-up", title="Points follow-up")


def type_points(page: Page, typed: tuple[str, str, str]) -> None:
    """Type the points of A, B and C as a participant does (each field emptied first)."""
    for key, points in zip("abc", typed, strict=True):
        page.fill(f'input[name="q.split.{key}"]', points)


def test_a_follow_up_shows_for_the_options_given_points(server, browser, artifacts, code):
    context = browser.new_context(viewport=PHONES["360x740"], locale="en-GB", is_mobile=True,
                                  has_touch=True)  # fmt: skip
    page = context.new_page()
    page.goto(f"{server.base_url}/j/{code}?lang=en")
    why_a, anything = page.locator("#q-why_a"), page.locator("#q-anything")
    assert why_a.is_hidden() and anything.is_hidden()
    for typed, asks_why_a, asks_anything in SHOW_IF_CASES:
        type_points(page, typed)
        assert (why_a.is_visible(), anything.is_visible()) == (asks_why_a, asks_anything), typed
    # the + and - buttons count too: 10 to B, then one of them moved to A
    type_points(page, ("", "", ""))
    page.fill('input[name="q.split.b"]', "10")
    assert why_a.is_hidden() and anything.is_visible()
    page.get_by_role("button", name="− B").click()
    assert why_a.is_hidden() and anything.is_hidden()  # 9 of 10
    page.get_by_role("button", name="+ A").click()
    assert why_a.is_visible() and anything.is_visible()
    page.screenshot(path=artifacts / "points-show-if.png")
    # sent as shown: the answer to the follow-up is stored
    page.fill('input[name="q.why_a"]', "Rooms first.")
    page.click("button.send")
    page.wait_for_selector(".thanks")
    submission_id = page.get_attribute(".thanks", "data-acknowledged")
    context.close()
    rows = server.query(
        "SELECT a.question_key, a.option_key, a.value_num, a.value_text FROM response r"
        " JOIN answer a ON a.response_id = r.id WHERE r.submission_id = :sid",
        sid=submission_id,
    )
    assert sorted(rows, key=str) == sorted(
        [
            ("split", "a", 1.0, None),
            ("split", "b", 9.0, None),
            ("why_a", None, None, "Rooms first."),
        ],
        key=str,
    )
