"""The participant page stays light and makes no third-party request."""

from __future__ import annotations

import re

import pytest

ASSET = re.compile(r'(?:href|src)="([^"]+)"')


@pytest.mark.parametrize("language", ["de", "ar"])
def test_questionnaire_with_assets_under_30_kb_transferred(client, make_workshop, language):
    workshop = make_workshop("needs-expectations")
    headers = {"Accept-Encoding": "gzip, deflate"}
    page = client.get(f"/j/{workshop.join_code}?lang={language}", headers=headers)
    assert page.headers["Content-Encoding"] == "gzip"
    html = client.get(f"/j/{workshop.join_code}?lang={language}").get_data(as_text=True)
    assets = [url for url in ASSET.findall(html) if url.startswith("/static/")]
    assert {"/static/participate.css", "/static/participate.js"} <= set(assets)
    total = len(page.data)
    for url in assets:
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200
        total += len(answer.data)
    assert total < 30 * 1024, f"{total} bytes transferred"


def test_no_third_party_references(client, make_workshop):
    workshop = make_workshop("needs-expectations")
    html = client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    external = [url for url in ASSET.findall(html) if not url.startswith(("/", "data:"))]
    assert external == []
    assert "//" not in "".join(u for u in ASSET.findall(html) if u.startswith("/static"))
