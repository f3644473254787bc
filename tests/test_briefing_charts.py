"""Charts through Kaleido and Chromium, and briefings downloaded with their charts.

These need Chromium (Debian package ``chromium``): in CI they must run; locally
they are skipped, with the reason, when it is missing. One warm browser serves
the whole test session (per xdist worker), as it serves a whole app process.
"""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from survey_app.briefing import charts
from survey_app.briefing.charts import ChartCache, ChartRequest, export_charts
from survey_app.extensions import db
from survey_app.models import Briefing

from .briefing_helpers import SECRET, alt_texts, chromium_or_skip, fill, pdf_text
from .conftest import FIXTURES, login

ALL_TYPES = FIXTURES / "all-types.yaml"
BARS = {
    "data": [{"type": "bar", "orientation": "h", "x": [0.38, 0.21], "y": ["Funding", "Rooms"]}],
    "layout": {"height": 240, "font": {"family": "Noto Sans"}},
}


@pytest.fixture
def browser() -> str:
    """Return the Chromium path, or skip (locally) / fail (CI) without it."""
    return chromium_or_skip()


@pytest.mark.slow
def test_svg_export_is_cached_in_memory_and_on_disk(browser, tmp_path, monkeypatch):
    cache = ChartCache(tmp_path / "svg-cache")
    request = ChartRequest(BARS, 600, 240)
    report = charts.ExportReport()
    (svg,) = export_charts([request], cache, browser, report)
    assert svg.startswith(b"<svg") and b"Funding" in svg
    assert (report.drawn, report.cached) == (1, 0)

    def no_browser(*args, **kwargs):
        raise AssertionError("the browser must not be asked for a cached chart")

    monkeypatch.setattr(charts._SERVER, "export", no_browser)
    assert export_charts([request], cache, browser) == [svg]  # in-process LRU
    fresh = ChartCache(tmp_path / "svg-cache")  # another process: the files on disk
    assert export_charts([request], fresh, browser, report) == [svg]
    assert report.cached == 1
    assert len(list((tmp_path / "svg-cache").rglob("*.svg"))) == 1


@pytest.mark.slow
def test_arabic_labels_are_drawn_by_chromium_as_png(browser, tmp_path):
    arabic = {**BARS, "data": [{**BARS["data"][0], "y": ["تمويل", "مقرات"]}]}
    request = ChartRequest(arabic, 600, 240, "png", 2)
    (png,) = export_charts([request], ChartCache(None), browser)
    assert png.startswith(b"\x89PNG")


@pytest.mark.slow
def test_viewers_download_briefings_with_described_charts(app, make_workshop, make_user,
                                                          browser):  # fmt: skip
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    viewer = make_user("viewer@example.org", "viewer", workshop.series_id, "read")
    client = app.test_client()
    login(client, "viewer@example.org")
    answer = client.get(f"/workshops/{workshop.id}/briefing.pdf?lang=de")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.mimetype == "application/pdf"
    disposition = answer.headers["Content-Disposition"]
    assert f"briefing-workshop-{workshop.id}-de.pdf" in disposition
    pdf = answer.get_data()
    text = pdf_text(pdf)
    assert "15 Organisationen" in text and SECRET not in text
    alts = alt_texts(pdf)
    assert any(alt.startswith("Balkendiagramm der Anteile (15 Antwortende): Kultur nicht gezeigt")
               for alt in (a.replace("\u00a0", " ") for a in alts)), alts  # fmt: skip
    assert any("Histogramm" in alt for alt in alts)
    assert all(SECRET not in alt for alt in alts)
    again = client.get(f"/workshops/{workshop.id}/briefing.pdf?lang=de")
    assert again.get_data() == pdf
    english = client.get(f"/series/{workshop.series_id}/briefing.pdf?lang=en")
    assert english.status_code == 200
    assert "“Kultur”: 53%" not in pdf_text(english.get_data())  # hidden with sports (1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Briefing)) == 2
        users = set(db.session.scalars(select(Briefing.user_id)))
        assert users == {viewer}
    bad = client.get(f"/workshops/{workshop.id}/briefing.pdf?breakdown=fields")
    assert bad.status_code == 400 and "„fields“ gibt es nicht; möglich: org_type" in bad.get_data(
        as_text=True
    )
    # a language without briefing texts is refused, naming those there are (never German)
    for path in (
        f"/series/{workshop.series_id}/briefing.pdf",
        f"/series/{workshop.series_id}/briefing.docx",
    ):
        french = client.get(f"{path}?lang=fr")
        assert french.status_code == 400 and "de, en" in french.get_data(as_text=True)
        assert 'href="/workshops"' in french.get_data(as_text=True)  # staff go back to work


@pytest.mark.slow
def test_long_option_lists_keep_their_chart_with_the_heading(app, make_workshop, runner,
                                                             browser, tmp_path):  # fmt: skip
    """Fifteen options of up to 150 characters: no heading is left alone on a page, every
    label is printed whole (in the chart and the table), and a split table keeps two rows
    on each page."""
    from pypdf import PdfReader

    from .briefing_helpers import build
    from .support.responses import close_workshops, store_responses

    workshop = make_workshop(FIXTURES / "long-labels.yaml")
    picks = [0] * 23 + [1] * 14 + [2] * 11 + [3] * 7 + [5] * 5 + [4, 6, 7, 8, 9, 10, 14] * 2
    store_responses(app, workshop, [[("q.need", f"o{i}"), ("q.needs", f"o{(i + 4) % 15}"),
                                     ("q.needs", f"o{(i + 9) % 15}")] for i in picks])  # fmt: skip
    close_workshops(app, workshop)
    result, pdf = build(runner, tmp_path, "--workshop", str(workshop.id), "--lang", "de")
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(pdf))
    pages = [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]
    for number, page in enumerate(pages, 1):
        words = page.replace("Seite", "").split()
        assert len(words) > 12, f"page {number} holds only a heading: {page}"
    first = next(page for page in pages if "Bedarfe der Organisationen" in page)
    assert "Ergebnisse nach Fragen" in first  # the part's heading is on the page of its first
    assert "Was braucht Ihre Organisation am dringendsten" in first  # question and chart
    labels = alt_texts(pdf)
    longest = "Unterstützung bei der Beantragung von Fördermitteln der Kommune"
    assert sum(longest in alt for alt in labels) == 2  # both charts name it in their alt text
    text = pdf_text(pdf)
    assert text.count("einschließlich der Verwendungsnachweise und der Abrechnung") >= 2
