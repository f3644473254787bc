"""Keyboard users reach the questions in reading order with a visible focus; at 200 %
text size and at a 320 px wide viewport (a phone zoomed to 200 %) nothing is cut off."""

from __future__ import annotations

import pytest

from tests.support.browser import PHONES

from .filling import agree_first, fill_visible, next_button

FOCUS_STATE = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  return {tag: e.tagName, name: e.name || e.textContent.trim().slice(0, 20),
          visible: outlined || s.boxShadow !== 'none',
          index: [...document.querySelectorAll('*')].indexOf(e)};
}"""


@pytest.fixture(scope="module")
def code(server) -> str:
    return server.open_workshop(title="Keyboard")


@pytest.mark.parametrize("language", ["de", "ar"])
def test_tab_order_follows_the_page_and_focus_is_visible(browser, server, code, language):
    context = browser.new_context(viewport=PHONES["390x844"])
    page = context.new_page()
    page.goto(f"{server.base_url}/j/{code}?lang={language}")
    agree_first(page)  # consent is the first part: then the questions
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["tag"] == "BODY":  # past the last control of the page (or section)
            break
        seen.append(state)
    context.close()
    invisible = [s for s in seen if not s["visible"]]
    assert not invisible, invisible
    indexes = [s["index"] for s in seen]
    assert indexes == sorted(indexes), seen  # never jumps back
    names = [s["name"] for s in seen]
    assert "q.org_type" in names and "q.members" in names
    assert len(seen) >= 10


def overflow(page) -> int:  # type: ignore[no-untyped-def]
    """How many CSS pixels the page is wider than the viewport (0: no sideways scrolling)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("language", ["de", "tr", "ar"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_nothing_is_cut_off_at_200_percent(browser, server, code, language, javascript, artifacts):
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(f"{server.base_url}/j/{code}?lang={language}")
    assert overflow(page) <= 0
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    assert overflow(page) <= 0
    page.screenshot(path=artifacts / f"zoom-200-{language}-{'js' if javascript else 'nojs'}.png")
    send = page.locator("button.send")
    if javascript:  # every part, answered (an unanswered part is not left)
        for _ in range(20):
            fill_visible(page, language)  # an answer may make this the last part
            if not next_button(page).is_visible():
                break
            next_button(page).click()
            assert overflow(page) <= 0
        assert not next_button(page).is_visible()
    send.scroll_into_view_if_needed()
    box = send.bounding_box()
    context.close()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320
