"""Facilitator-paced mode in real browsers: phones with JavaScript follow the room's moves
without reloading, and every answer is stored once in the phone's one response."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import PHONES
from tests.support.live_server import ROOT
from tests.support.timeouts import scaled_ms

from .staff import logged_in

ADMIN = "pacer@example.org"
ADMIN_PASSWORD = "pacing password 2026"

#: What the phones answer when the room is on a question: (question, fields to fill).
ANSWERED = ("org_type", "members", "overall")


@pytest.fixture(scope="module")
def workshop(server) -> tuple[int, str]:
    """An open workshop of the all-types questionnaire and an administrator to run it."""
    server.cli("instruments", "load", str(ROOT / "tests" / "fixtures" / "all-types.yaml"))
    server.cli("users", "create", "--email", ADMIN, "--role", "admin", "--password-stdin",
               stdin=ADMIN_PASSWORD)  # fmt: skip
    created = server.cli("workshops", "create", "--instrument", "all-types", "--title", "Paced")
    workshop_id, code = created.split()
    server.cli("workshops", "open", workshop_id)
    return int(workshop_id), code


def answer(phone: Page, key: str, number: int, send: bool) -> None:
    """Answer question ``key`` on ``phone`` (the ``number``-th phone), sent or only typed."""
    if key == "org_type":
        phone.check(f'input[name="q.org_type"][value={("culture", "sports")[number]}]')
        phone.check('input[name="consent"]')
    elif key == "members":
        phone.fill('input[name="q.members"]', str(10 + number))
    else:
        phone.check(f'input[name="q.overall"][value="{3 + number}"]')
    if send:
        phone.click("form.paced-form button.send")
        expect(phone.locator(".saved")).to_be_visible(timeout=scaled_ms(10))


def test_phones_follow_the_facilitator_without_reloading(browser, server, workshop):
    workshop_id, code = workshop
    staff = logged_in(browser, server.base_url, ADMIN, ADMIN_PASSWORD)
    facilitator = staff.new_page()
    facilitator.goto(f"{server.base_url}/workshops/{workshop_id}/edit")
    facilitator.check('input[name="paced"]')
    facilitator.click("form.stacked button[type=submit]")
    expect(facilitator.locator("#pace")).to_be_visible()
    contexts = [
        browser.new_context(viewport=PHONES["360x740"], is_mobile=True, has_touch=True)
        for _ in range(2)
    ]
    phones = [context.new_page() for context in contexts]
    for phone in phones:
        phone.goto(f"{server.base_url}/j/{code}?lang=de")
        phone.evaluate("() => { window.stillTheSamePage = true; }")
        expect(phone.locator("#paced .notice")).to_be_visible()
    options = facilitator.locator("#pace-move option").all()
    keys = [option.get_attribute("value") for option in options][1:-1]
    for key in keys:
        facilitator.click("#pace button[value=next]")
        facilitator.wait_for_load_state()
        for number, phone in enumerate(phones):
            if key == "religion_detail":  # does not apply to culture or sports
                expect(phone.locator("#paced .notice")).to_be_visible(timeout=scaled_ms(10))
                continue
            if key == "bye":  # a text to read, nothing to answer
                expect(phone.locator("#q-bye")).to_be_visible(timeout=scaled_ms(10))
                continue
            expect(phone.locator('#paced input[name="question"]')).to_have_value(
                key, timeout=scaled_ms(10)
            )
            if key in ANSWERED:
                # The second phone types its number but never presses send: the page
                # sends it by itself when the room moves on.
                answer(phone, key, number, send=not (key == "members" and number == 1))
    facilitator.click("#pace button[value=results]")
    for phone in phones:
        expect(phone.locator("#paced .edit-link")).to_be_visible(timeout=scaled_ms(10))
        assert phone.evaluate("() => window.stillTheSamePage") is True
    submission_ids = [
        phone.locator('a[href*="/edit/"]').get_attribute("href").split("/")[4] for phone in phones
    ]
    for number, submission_id in enumerate(submission_ids):
        rows = server.query(
            "SELECT a.question_key, a.option_key, a.value_num FROM answer a"
            " JOIN response r ON r.id = a.response_id WHERE r.submission_id = :sid"
            " ORDER BY a.question_key",
            sid=submission_id,
        )
        assert rows == [
            ("members", None, 10 + number),
            ("org_type", ("culture", "sports")[number], None),
            ("overall", None, 3 + number),
        ]
    responses = server.query(
        "SELECT count(*) FROM response WHERE workshop_id = :id", id=workshop_id
    )
    assert responses == [(2,)]
    for context in [*contexts, staff]:
        context.close()


def test_the_projector_moves_a_paced_room(browser, server, workshop):
    """Turning the projector's slides moves the phones; a projector opened without a
    slide in its address shows the question the room is on."""
    workshop_id, code = workshop
    staff = logged_in(browser, server.base_url, ADMIN, ADMIN_PASSWORD,
                      viewport={"width": 1920, "height": 1080})  # fmt: skip
    projector = staff.new_page()
    projector.goto(f"{server.base_url}/workshops/{workshop_id}/edit")
    if not projector.locator('input[name="paced"]').is_checked():
        projector.check('input[name="paced"]')
        projector.click("form.stacked button[type=submit]")
    # The room is at the results (the test before): the projector opens on its end slide.
    projector.goto(f"{server.base_url}/workshops/{workshop_id}/present")
    expect(projector.locator('.slide[data-key="end"]')).to_be_visible(timeout=scaled_ms(10))
    projector.keyboard.press("Home")
    expect(projector.locator(".present-bar .paced")).to_be_visible()
    phone_context = browser.new_context(viewport=PHONES["360x740"])
    phone = phone_context.new_page()
    phone.goto(f"{server.base_url}/j/{code}?lang=de")
    first, second = projector.evaluate(
        "() => [...document.querySelectorAll('.question-slide')].slice(0, 2)"
        ".map(s => s.getAttribute('data-key'))"
    )
    for key in (first, second):
        projector.keyboard.press("ArrowRight")
        expect(projector.locator(f'.slide[data-key="{key}"]')).to_be_visible()
        expect(phone.locator('#paced input[name="question"]')).to_have_value(
            key, timeout=scaled_ms(10)
        )
    again = staff.new_page()
    again.goto(f"{server.base_url}/workshops/{workshop_id}/present")
    expect(again.locator(f'.slide[data-key="{second}"]')).to_be_visible(timeout=scaled_ms(10))
    projector.keyboard.press("Home")
    expect(phone.locator("#paced .notice")).to_be_visible(timeout=scaled_ms(10))
    projector.keyboard.press("ArrowLeft")  # before the first slide: stays on the join slide
    expect(projector.locator('.slide[data-key="join"]')).to_be_visible()
    # The last slide thanks the room and shows the phones the end; pressing on stays there.
    projector.keyboard.press("End")
    expect(projector.locator('.slide[data-key="end"]')).to_be_visible()
    phone.evaluate("() => { window.stillTheSamePage = true; }")
    expect(phone.locator('#paced[data-state="results"]')).to_be_attached(timeout=scaled_ms(10))
    projector.keyboard.press("ArrowRight")
    expect(projector.locator('.slide[data-key="end"]')).to_be_visible()
    assert server.query("SELECT pace_state FROM workshop WHERE id = :id", id=workshop_id) == [
        ("results",)
    ]
    # Closing and reopening the workshop reaches the phone without a reload.
    server.cli("workshops", "close", str(workshop_id))
    expect(phone.locator('#paced[data-state="closed"]')).to_be_attached(timeout=scaled_ms(10))
    server.cli("workshops", "open", str(workshop_id))
    expect(phone.locator('#paced[data-state="results"]')).to_be_attached(timeout=scaled_ms(10))
    assert phone.evaluate("() => window.stillTheSamePage") is True
    for context in (phone_context, staff):
        context.close()
