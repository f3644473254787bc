"""The live counter of a points question says its count in the right plural form: Ukrainian
has three forms, Arabic six (the texts and which count takes which form come from the
server's catalogue; ``tests/test_points.py`` checks those)."""

from __future__ import annotations

import pytest

from tests.support.browser import PHONES
from tests.test_points import FIVE_LANGUAGES

#: Points typed for A (B left empty) with a budget of 25, and what the counter says.
COUNTS = {
    "en": [("24", "1 point left"), ("23", "2 points left"), ("26", "1 point too many"),
           ("25", "All 25 points given")],
    "uk": [("24", "Залишився 1 бал"), ("22", "Залишилося 3 бали"), ("4", "Залишився 21 бал"),
           ("20", "Залишилося 5 балів"), ("27", "На 2 бали забагато"),
           ("30", "На 5 балів забагато"), ("247", "На 222 бали забагато"),
           ("25", "Усі 25 балів розподілено")],
    "ar": [("23", "تبقّت نقطتان"), ("24", "تبقّت نقطة واحدة"), ("20", "تبقّت 5 نقاط"),
           ("14", "تبقّت 11 نقطةً"), ("٢٦", "نقطة واحدة زائدة"), ("125", "100 نقطة زائدة"),
           ("25", "تم توزيع كل النقاط الـ25")],
}  # fmt: skip


@pytest.fixture(scope="module")
def code(server, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("instruments") / "points-plurals.yaml"
    path.write_text(FIVE_LANGUAGES % 25, encoding="utf-8")
    server.cli("instruments", "load", str(path))
    return server.open_workshop(instrument="points-plurals", title="Points plurals")


@pytest.mark.parametrize("language", list(COUNTS))
def test_the_counter_says_its_count_in_the_plural_form(server, browser, artifacts, code, language):
    context = browser.new_context(viewport=PHONES["360x740"], locale="en-GB", is_mobile=True,
                                  has_touch=True)  # fmt: skip
    page = context.new_page()
    page.goto(f"{server.base_url}/j/{code}?lang={language}")
    counter = page.locator(".points-left")
    for typed, said in COUNTS[language]:
        page.fill('input[name="q.split.a"]', typed)
        assert counter.inner_text() == said, typed
    page.screenshot(path=artifacts / f"points-counter-{language}.png")
    context.close()
