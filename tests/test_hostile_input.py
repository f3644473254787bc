"""Hostile input everywhere, checked in every output that is not a page.

Stored as typed; the dashboard JSON and API carry it as data; table fragments are
escaped; CSV and XLSX cells never start a formula; the PDF fetches nothing outside
its template folder and prints the payloads as text. (Pages: test_hostile_pages.py.)
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Answer

from .hostile import build_world, corpus

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: The only markup a summary table fragment may hold.
TABLE_TAGS = {
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "p",
    "span",
    "bdi",
}  # bdi isolates a number from the page direction


def as_stored(payload: str) -> str:
    """What the server keeps of a typed text: NFC, trimmed, line breaks as LF, no control characters."""
    return unicodedata.normalize(
        "NFC", CONTROL.sub("", payload.replace("\r\n", "\n").replace("\r", "\n"))
    ).strip()


def test_corpus_is_large_and_covers_every_kind():
    data = json.loads((corpus.__globals__["CORPUS_FILE"]).read_text(encoding="utf-8"))
    payloads = corpus()
    assert len(payloads) >= 200 and len(set(payloads)) == len(payloads)
    assert {k: len(v) >= 40 for k, v in data.items() if k != "about"} == {
        "xss": True, "template_injection": True, "ssrf": True,
        "spreadsheet_formula": True, "polyglot": True,
    }  # fmt: skip
    for needle in ("{{7*7}}", "${7*7}", "file:///etc/passwd", "=HYPERLINK(", "\t=1+1", "@SUM("):
        assert any(needle in payload for payload in payloads), needle


def test_every_payload_is_stored_as_typed(app, tmp_path):
    world = build_world(app, tmp_path)
    with app.app_context():
        texts = db.session.scalars(
            select(Answer.value_text).filter_by(
                question_key="expectations", workshop_id=world.workshop_id
            )
        ).all()
        others = db.session.scalars(
            select(Answer.value_text).filter_by(
                question_key="org", option_key="other", workshop_id=world.workshop_id
            )
        ).all()
    assert sorted(texts) == sorted(as_stored(p) for p in world.payloads)
    assert sorted(others) == sorted(as_stored(p[:200]) for p in world.payloads)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def markup_of(fragment: str) -> tuple[set[str], set[str]]:
    """Return the tags and attribute names of an HTML fragment."""
    parser = _Markup()
    parser.feed(fragment)
    return parser.tags, parser.attributes


def test_dashboard_json_carries_payloads_as_data(hostile_sqlite):
    world = hostile_sqlite
    answer = world.staff.get(f"/workshops/{world.workshop_id}/results.json")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    body = answer.get_json()
    assert body["n_responses"] == len(world.payloads)
    for question in body["questions"]:
        tags, attributes = markup_of(question["table"])
        assert tags <= TABLE_TAGS, (question["key"], tags - TABLE_TAGS)
        assert attributes <= {"class", "scope", "colspan"}, attributes
    figures = json.dumps([q["figure"] for q in body["questions"]], ensure_ascii=False)
    # Plotly reads <a href>, <span style>, <br> in labels: no markup but our own.
    markup = re.sub(r"<extra>|</extra>|<br>", "", figures)
    assert "<" not in markup and ">" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in figures  # Plotly shows it as text


def test_api_summary_keeps_labels_as_typed(hostile_sqlite):
    world = hostile_sqlite
    answer = world.staff.get(f"/api/v1/workshops/{world.workshop_id}/summary")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    labels = [
        option["label"]["en"]
        for question in answer.get_json()["questions"]
        for option in question.get("options", [])
        if question["type"] in ("single_choice", "multi_choice", "ranking")
        and option["key"] != "other"
    ]
    assert len(labels) > 50  # a question hidden whole (to protect a small group) lists none
    assert set(labels) <= {payload[:500] for payload in world.payloads}  # data, as typed


def cells_problems(rows: list[list[object]]) -> list[str]:
    """Cells a spreadsheet would run as a formula (numbers are fine)."""
    problems = []
    for row in rows:
        for cell in row:
            if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
                try:
                    float(cell)
                except ValueError:
                    problems.append(cell)
    return problems


def test_csv_export_neutralizes_every_formula(hostile_sqlite):
    world = hostile_sqlite
    answer = world.staff.get(f"/workshops/{world.workshop_id}/export.csv")
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == len(world.payloads) + 1
    assert cells_problems(rows) == []
    flat = {cell for row in rows for cell in row}
    assert '\'=HYPERLINK("http://169.254.169.254/")' in flat
    assert "'-2+3" in flat and "'@SUM(1,1)" in flat


def test_xlsx_export_neutralizes_every_formula(hostile_sqlite):
    from openpyxl import load_workbook

    world = hostile_sqlite
    answer = world.staff.get(f"/workshops/{world.workshop_id}/export.xlsx")
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(answer.get_data()))
    for sheet in workbook.worksheets:  # data and codebook (question and option labels)
        cells = [cell for row in sheet.iter_rows() for cell in row]
        # Text is a string cell, shown as typed and never run; numbers are numbers.
        assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}, sheet.title
        assert {c.data_type for c in cells if isinstance(c.value, int | float)} <= {"n"}
        assert all(c.quotePrefix for c in cells if cells_problems([[c.value]]))
    values = {cell.value for row in workbook["data"].iter_rows() for cell in row}
    assert "=cmd|' /C calc'!A0" in values
    assert set(values) >= {as_stored(p)[:32767] for p in world.payloads if as_stored(p)}


def test_json_export_keeps_text_as_typed(hostile_sqlite):
    world = hostile_sqlite
    answer = world.staff.get(f"/workshops/{world.workshop_id}/export.json")
    texts = {row["expectations"] for row in answer.get_json()["responses"]}
    assert texts == {as_stored(p) for p in world.payloads}


@pytest.fixture
def fetches(monkeypatch):
    """Record every URL WeasyPrint asks the briefing fetcher for."""
    from survey_app.briefing.fetcher import LockedFetcher

    asked: list[str] = []
    original = LockedFetcher.fetch

    def recording(self, url, headers=None):  # type: ignore[no-untyped-def]
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(LockedFetcher, "fetch", recording)
    return asked


def test_briefing_fetches_nothing_outside_and_prints_payloads_as_text(
    hostile_sqlite, fetches, caplog
):
    from .briefing_helpers import chromium_or_skip, pdf_text

    chromium_or_skip()
    world = hostile_sqlite
    answer = world.staff.get(f"/workshops/{world.closed_id}/briefing.pdf?lang=en")
    assert answer.status_code == 200, answer.status_code
    assert answer.data.startswith(b"%PDF")
    from survey_app.briefing.render import reports_root

    folder = (reports_root() / "briefing").resolve().as_uri()
    outside = [u for u in fetches if not (u.startswith("data:") or u.startswith(folder + "/"))]
    assert outside == []
    assert "refused to fetch" not in caplog.text
    text = pdf_text(answer.data)
    assert "<script>alert(1)</script>" in text  # the workshop title, as text
