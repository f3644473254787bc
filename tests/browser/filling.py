"""Fill a questionnaire in the browser the way a participant does: tap by tap."""

from __future__ import annotations

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

#: A free-text answer per language, checked in the database after sending.
SAMPLE_TEXT = {
    "de": "Mehr Räume für Treffen, bitte.",
    "en": "More rooms for meetings, please.",
    "tr": "Buluşmalar için daha fazla oda, lütfen.",
    "ar": "نحتاج إلى قاعات أكثر للاجتماعات.",
}
NUMBER = "12"
#: Numbers with a range of their own in the questionnaire.
NUMBERS = {"year_founded": "1998"}


def _radio_groups(question: Locator) -> list[str]:
    return question.evaluate(
        "q => [...new Set([...q.querySelectorAll('input[type=radio]')].map(e => e.name))]"
    )


def fill_question(question: Locator, language: str) -> None:
    """Answer one visible question by its inputs, whatever its type."""
    for name in _radio_groups(question):
        options = question.locator(f'input[type=radio][name="{name}"]')
        if not question.locator(f'input[type=radio][name="{name}"]:checked').count():
            options.nth(min(1, options.count() - 1)).check()
    boxes = question.locator("input[type=checkbox]")
    if boxes.count() and not question.locator("input[type=checkbox]:checked").count():
        boxes.first.check()
    for place, select in enumerate(question.locator("select").all(), start=1):
        if not select.input_value():
            select.select_option(index=place)
    points = question.locator("ul.points[data-points]")
    if points.count():  # share out the budget: all of it to the first option
        first = points.locator("input[type=text]").first
        if not first.input_value():
            first.fill(points.get_attribute("data-points") or "")
        return
    for field in question.locator('input[type=text]:not([name$=".other"]), textarea').all():
        if field.is_visible() and not field.input_value():
            numeric = field.get_attribute("inputmode") in ("numeric", "decimal")
            number = NUMBERS.get(question.get_attribute("data-key") or "", NUMBER)
            try:
                field.fill(number if numeric else SAMPLE_TEXT[language], timeout=5000)
            except PlaywrightTimeoutError:
                if field.is_visible():  # hidden meanwhile by an answer before it: skip it
                    raise


def fill_visible(page: Page, language: str) -> None:
    """Answer every question that is shown now (one section when the form is paged).

    Two passes, because an answer may reveal a question (``show_if``).
    """
    for _ in range(2):
        shown = page.locator("form.questionnaire fieldset.q:visible")
        # by id, not by position: an answer may show or hide the questions after it
        for key in shown.evaluate_all("qs => qs.map(q => q.id)"):
            question = page.locator(f"#{key}")
            if question.is_visible():
                fill_question(question, language)
    consent = page.locator("input[name=consent]")
    if consent.is_visible() and not consent.is_checked():
        consent.check()


def next_button(page: Page) -> Locator:
    """The pager's "next" button (only there with JavaScript on a narrow screen)."""
    return page.locator("form.questionnaire .pager .next")


def agree_first(page: Page) -> None:
    """On a paged form whose first part is consent: agree and go on to the questions."""
    consent = page.locator("input[name=consent]")
    if next_button(page).is_visible() and consent.is_visible():
        consent.check()
        next_button(page).click()
        page.wait_for_selector("#s-consent", state="hidden")


def send_too_early(page: Page) -> None:
    """Ask for remarks on an unanswered form, the way a participant meets them.

    On a paged form (JavaScript, narrow screen) "next" asks the server about the part on
    screen and stays there; otherwise "send" brings the whole form back.
    """
    if next_button(page).is_visible():
        agree_first(page)
        next_button(page).click()
    else:
        page.click("button.send")
    page.wait_for_selector("#error-summary")


def walk_to_send(page: Page, language: str | None = None) -> None:
    """Go through the sections (filling them if ``language``) until "send" is shown."""
    for _ in range(20):
        if language:
            fill_visible(page, language)
        if not next_button(page).is_visible():
            return
        before = shown_part(page)
        next_button(page).click()
        # "next" asks the server first (up to 4 s): fill only once the next part shows,
        # else a loaded machine fills the old part again and skips the new one
        page.wait_for_function(SHOWN_PART + " !== before", arg=before, timeout=15_000)
    raise AssertionError("the pager never reached the last section")


#: The id of the part of a paged form on screen (a function body of ``before``).
SHOWN_PART = (
    "(before) => ([...document.querySelectorAll('form.questionnaire section.section')]"
    ".find((part) => part.offsetParent !== null) || {}).id"
)


def shown_part(page: Page) -> str:
    """Return the id of the part of the form on screen ("" if none)."""
    return page.evaluate(f"({SHOWN_PART})(null)") or ""
