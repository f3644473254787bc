"""A participant's whole way through the questionnaire on a phone, in four languages,
with JavaScript on and off: join by code, switch language, see the remarks on a form
sent too early, watch a follow-up question appear and disappear, answer every question
type, send, and get the thank-you page; then the answers are checked in the database."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.support.browser import PHONES

from .conftest import interface_text
from .filling import NUMBER, SAMPLE_TEXT, send_too_early, walk_to_send

LANGUAGES = ["de", "en", "tr", "ar"]
#: English texts of the participant buttons; none may show on a page in another language.
ENGLISH_BUTTONS = ["Next", "Back", "Send answers", "Close", "Try again now", "Open"]


@pytest.fixture(scope="module")
def code(server) -> str:
    return server.open_workshop(title="Browser test")


def visible_button_texts(page: Page) -> set[str]:
    """Texts of the buttons a participant can see right now."""
    return set(
        page.eval_on_selector_all(
            "button, input[type=submit]",
            "els => els.filter(e => e.offsetParent !== null)"
            ".map(e => (e.innerText || e.value).trim())",
        )
    )


def check_follow_up_question(page: Page, javascript: bool) -> None:
    """``umbrella_name`` is asked only of members of an umbrella organization."""
    follow_up = page.locator("#q-umbrella_name")
    member = page.locator('input[name="q.umbrella_member"][value=member]')
    not_member = page.locator('input[name="q.umbrella_member"]:not([value=member])').first
    if not javascript:  # without JavaScript the question is always there, with a note
        assert follow_up.is_visible()
        assert follow_up.locator(".condition").is_visible()
        member.check()
        return
    assert follow_up.is_hidden()
    member.check()
    assert follow_up.is_visible()
    not_member.check()
    assert follow_up.is_hidden()
    member.check()
    assert follow_up.is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("viewport", list(PHONES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_participant_answers_every_question_type(
    server, browser, artifacts, code, language, viewport, javascript
):
    context = browser.new_context(
        viewport=PHONES[viewport], java_script_enabled=javascript, locale="en-GB",
        is_mobile=True, has_touch=True,
    )  # fmt: skip
    page = context.new_page()
    shot = f"{language}-{viewport}-{'js' if javascript else 'nojs'}"

    # Join by the code on the poster, typed in lower case with a space
    page.goto(f"{server.base_url}/j")
    page.fill("input[name=code]", f"{code[:3].lower()} {code[3:].lower()}")
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(f"**/j/{code}**")
    assert page.get_attribute("html", "lang") == "en"

    # Switch the language
    if language != "en":
        page.click(f'.languages a[hreflang="{language}"]')
        page.wait_for_url(f"**lang={language}**")
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    title = page.locator("h1").inner_text()
    assert title and (language == "en" or title != "Needs and expectations")
    if language != "en":
        assert not visible_button_texts(page) & set(ENGLISH_BUTTONS)
    page.screenshot(path=artifacts / f"{shot}-1-start.png")

    # Sent too early (or, paged, "next" on an unanswered part): remarks, nothing stored
    send_too_early(page)
    assert page.get_attribute("#error-summary", "role") == "alert"
    assert page.locator("#err-org_type").is_visible()
    assert page.locator("#q-org_type").get_attribute("aria-invalid") == "true"
    if javascript:  # the remarks get the focus, so a screen reader reads them
        assert page.evaluate("document.activeElement.id") == "error-summary"
    if language != "en":
        assert not visible_button_texts(page) & set(ENGLISH_BUTTONS)
    page.screenshot(path=artifacts / f"{shot}-2-remarks.png")

    # A follow-up question appears and disappears; then every question is answered
    check_follow_up_question(page, javascript)
    walk_to_send(page, language)
    page.screenshot(path=artifacts / f"{shot}-3-filled.png")
    page.click("button.send")
    page.wait_for_selector(".thanks")
    assert page.locator("h1").inner_text() == interface_text(language, "Thank you!")
    page.screenshot(path=artifacts / f"{shot}-4-thanks.png")
    submission_id = page.get_attribute(".thanks", "data-acknowledged")
    if javascript:  # nothing of this questionnaire is left on the phone
        left = page.evaluate("Object.keys(localStorage)")
        assert not [k for k in left if k.endswith(code)]
    context.close()

    rows = server.query(
        "SELECT r.language, a.question_key, a.option_key, a.value_num, a.value_text"
        " FROM response r JOIN answer a ON a.response_id = r.id"
        " WHERE r.submission_id = :sid",
        sid=submission_id,
    )
    assert {row[0] for row in rows} == {language}
    by_question: dict[str, list[tuple[object, ...]]] = {}
    for row in rows:
        by_question.setdefault(str(row[1]), []).append(row)
    assert by_question["members"][0][3] == float(NUMBER)
    assert by_question["municipality"][0][4] == SAMPLE_TEXT[language]
    assert by_question["umbrella_member"][0][2] == "member"
    assert by_question["umbrella_name"][0][4] == SAMPLE_TEXT[language]
    for key in ["org_type", "fields_of_work", "top_needs", "support_satisfaction",
                "kickoff_rating", "expectations_state"]:  # fmt: skip
        assert key in by_question, key
    assert len(by_question["top_needs"]) >= 3
