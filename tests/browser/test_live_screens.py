"""The facilitator's screens with labels as organizations write them: a 150-character
German option, German compounds, Arabic labels and a likert matrix of long statements.

On the dashboard (1366x768, and a phone's 360 px) and the projector (1920x1080) every
tick label lies inside its chart (wrapped, never cut), no projector slide scrolls,
and a projector opened before the first answer draws it without a reload.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import re
import time
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Browser, Page

from tests.support.live_server import ROOT

from .staff import logged_in

EMAIL = "screens@example.org"
PASSWORD = "screens password 2026"
INSTRUMENT = ROOT / "tests" / "fixtures" / "projector.yaml"
HIDDEN = re.compile(r'name="(csrf_token|submission_id)" type="hidden" value="([^"]+)"')
#: The instrument's questions, in order (the projector's slides after the join slide).
QUESTIONS = ["need", "fields", "statements"]
#: The boxes of a chart's tick labels that are not inside the chart's own box.
LABELS_OUTSIDE = """box => {
  const outer = box.getBoundingClientRect();
  return [...box.querySelectorAll('.xtick text, .ytick text, g.legend text')]
    .map(label => [label.textContent, label.getBoundingClientRect()])
    .filter(([text, r]) => text && r.width > 0 && (r.left < outer.left - 1
      || r.right > outer.right + 1 || r.top < outer.top - 1 || r.bottom > outer.bottom + 1))
    .map(([text, r]) => `${text}: ${Math.round(r.left - outer.left)}..${Math.round(r.right - outer.left)} of ${Math.round(outer.width)}`);
}"""


def answer(base_url: str, code: str, number: int) -> None:
    """Post one organization's answers as a phone without JavaScript would."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base_url}/j/{code}").read().decode()
    fields = dict(HIDDEN.findall(page))
    needs = ["funding", "rooms", "volunteers", "staff"]
    scale = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]
    data = [
        *fields.items(),
        ("q.need", needs[number % 4]),
        ("q.fields", ["education", "counselling", "culture", "participation"][number % 4]),
        *([("q.fields", "culture")] if number % 4 != 2 else []),
        ("q.statements.heard", scale[number % 5]),
        ("q.statements.involved", scale[(number * 2) % 5]),
        ("q.statements.informed", scale[(number + 3) % 5]),
    ]
    body = urllib.parse.urlencode(data).encode()
    with opener.open(f"{base_url}/j/{code}", data=body) as sent:
        assert sent.status == 200


def new_workshop(server, title: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """An open workshop of the projector questionnaire, showing groups of 2 in the room."""
    created = server.cli(
        "workshops", "create", "--instrument", "projector", "--title", title, "--room-k", "2"
    )
    workshop_id, code = created.split()
    server.cli("workshops", "open", workshop_id)
    return int(workshop_id), code


@pytest.fixture(scope="module")
def staff(server) -> str:  # type: ignore[no-untyped-def]
    """Load the questionnaire and an administrator (who runs the room)."""
    server.cli("instruments", "load", str(INSTRUMENT))
    server.cli("users", "create", "--email", EMAIL, "--role", "admin", "--password-stdin",
               stdin=PASSWORD)  # fmt: skip
    return EMAIL


@pytest.fixture(scope="module")
def answered(server, staff) -> int:  # type: ignore[no-untyped-def]
    """A workshop with 16 varied responses; its id."""
    workshop_id, code = new_workshop(server, "Bildschirme")
    for number in range(16):
        answer(server.base_url, code, number)
    return workshop_id


def drawn(page: Page, selector: str, timeout_ms: int = 20000) -> None:
    """Wait until the chart ``selector`` has its Plotly drawing and tick labels."""
    page.wait_for_selector(f"{selector} .main-svg .ytick text", timeout=timeout_ms)


@pytest.mark.parametrize("language", ["de", "ar"])
@pytest.mark.parametrize("viewport", [(1366, 768), (360, 740)], ids=["1366", "360"])
def test_dashboard_labels_stay_inside_their_charts(
    browser: Browser, server, answered, language, viewport, artifacts
):  # type: ignore[no-untyped-def]
    width, height = viewport
    context = logged_in(browser, server.base_url, EMAIL, PASSWORD,
                        viewport={"width": width, "height": height})  # fmt: skip
    page = context.new_page()
    page.goto(f"{server.base_url}/workshops/{answered}/live?lang={language}")
    problems = {}
    for key in QUESTIONS:
        selector = f'[data-figure="{key}"]'
        drawn(page, selector)
        outside = page.locator(selector).evaluate(LABELS_OUTSIDE)
        if outside:
            problems[key] = outside
    page.screenshot(path=str(artifacts / f"dashboard-{language}-{width}.png"), full_page=True)
    sideways = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    context.close()
    assert not problems, problems
    assert sideways == 0  # nothing wider than the screen


@pytest.mark.parametrize("language", ["de", "ar"])
def test_projector_slides_fill_the_screen_without_scrolling(
    browser: Browser, server, answered, language, artifacts
):  # type: ignore[no-untyped-def]
    context = logged_in(browser, server.base_url, EMAIL, PASSWORD,
                        viewport={"width": 1920, "height": 1080})  # fmt: skip
    page = context.new_page()
    page.goto(f"{server.base_url}/workshops/{answered}/present?lang={language}")
    page.wait_for_function("() => document.querySelector('[data-role=count]').textContent === '16'")
    qr = page.locator(".join-slide .qr svg").bounding_box()
    assert qr is not None and qr["height"] >= 600  # readable from the back of the room
    problems = {}
    for number, key in enumerate(["join", *QUESTIONS]):
        if number:
            page.keyboard.press("ArrowRight")
            drawn(page, f'.slide[data-key="{key}"] .chart')
            time.sleep(0.3)  # the fitted redraw
            outside = page.locator(f'.slide[data-key="{key}"] .chart').evaluate(LABELS_OUTSIDE)
            if outside:
                problems[key] = outside
        scroll = page.evaluate(
            "() => [document.documentElement.scrollHeight - innerHeight,"
            " document.documentElement.scrollWidth - innerWidth]"
        )
        if scroll != [0, 0]:
            problems[f"{key} scrolls"] = scroll
        assert page.url.endswith(f"#{key}")  # a reload stays on the slide
        page.screenshot(path=str(artifacts / f"projector-{language}-{number}.png"))
    page.keyboard.press("Home")
    assert page.locator('.slide[data-key="join"]').is_visible()
    context.close()
    assert not problems, problems


def test_projector_opened_before_the_first_answer_draws_it_without_reload(
    browser: Browser, server, staff
):  # type: ignore[no-untyped-def]
    workshop_id, code = new_workshop(server, "Erste Antwort")
    context = logged_in(browser, server.base_url, EMAIL, PASSWORD,
                        viewport={"width": 1920, "height": 1080})  # fmt: skip
    page = context.new_page()
    page.goto(f"{server.base_url}/workshops/{workshop_id}/present#need")
    page.wait_for_function("() => document.querySelector('[data-role=count]').textContent === '0'")
    assert page.locator('.slide[data-key="need"]').is_visible()
    assert page.locator('.slide[data-key="need"] .main-svg').count() == 0
    for number in itertools.islice(itertools.count(), 5):
        answer(server.base_url, code, number)
    drawn(page, '.slide[data-key="need"] .chart')
    page.wait_for_function("() => document.querySelector('[data-role=count]').textContent === '5'")
    context.close()


def test_long_words_break_where_german_compounds_join(browser: Browser, server, answered):  # type: ignore[no-untyped-def]
    """A word longer than a line breaks after a hyphen or a compound's joint, never inside
    an escaped entity; short labels stay whole."""
    context = logged_in(browser, server.base_url, EMAIL, PASSWORD)
    page = context.new_page()
    page.goto(f"{server.base_url}/workshops/{answered}/live")
    wrap = "([label, width]) => window.SurveyCharts.wrapLabel(label, width)"
    cases = {
        ("Ehrenamtskoordinationsfortbildungsangebote", 16):
            "Ehrenamts-<br>koordinations-<br>fortbildungs-<br>angebote",
        ("Kinder- und Jugendarbeit", 30): "Kinder- und Jugendarbeit",
        ("Politische und gesellschaftliche Teilhabe", 20):
            "Politische und<br>gesellschaftliche<br>Teilhabe",
        ("Sport&amp;Kultur&amp;Bildung&amp;Beratung", 10): "Sport&amp;Kultur&amp;Bildung&amp;Beratung",
    }  # fmt: skip
    seen = {case: page.evaluate(wrap, list(case)) for case in cases}
    context.close()
    assert seen == cases
