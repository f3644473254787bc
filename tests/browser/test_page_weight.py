"""The participant page, measured in the browser: under 30 KB transferred with its CSS
and JavaScript, and not one request to another host."""

from __future__ import annotations

import json

import pytest

from tests.support.browser import PHONES

LIMIT = 30 * 1024
WEIGHT = """() => {
  const entries = [performance.getEntriesByType('navigation')[0],
                   ...performance.getEntriesByType('resource')];
  return entries.map(e => ({url: e.name, transferred: e.transferSize,
                            encoded: e.encodedBodySize, decoded: e.decodedBodySize}));
}"""


@pytest.fixture(scope="module")
def code(server) -> str:
    return server.open_workshop(title="Weight")


@pytest.mark.parametrize("language", ["de", "en", "tr", "ar"])
def test_the_participant_page_weighs_under_30_kb(browser, server, code, language, artifacts):
    context = browser.new_context(viewport=PHONES["360x740"], is_mobile=True)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server.base_url}/j/{code}?lang={language}", wait_until="networkidle")
    entries = page.evaluate(WEIGHT)
    context.close()
    assert requested and all(url.startswith(server.base_url + "/") for url in requested), requested
    assert {e["url"].rsplit("/", 1)[-1].split("?")[0] for e in entries} >= {
        "participate.css",
        "participate.js",
    }
    transferred = sum(e["transferred"] for e in entries)
    decoded = sum(e["decoded"] for e in entries)
    assert 0 < sum(e["encoded"] for e in entries) < decoded  # compressed on the wire
    (artifacts / f"weight-{language}.json").write_text(
        json.dumps({"transferred": transferred, "decoded": decoded, "entries": entries}, indent=1)
    )
    assert transferred < LIMIT, f"{transferred} bytes transferred"
