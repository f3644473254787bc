"""Characterization tests: the demo series' briefings, API answers and exports stay the same.

The demo series (``survey-app demo``, seed 2026, 300 responses) is built once on SQLite with
"today" fixed, so its workshop dates and arrival times do not move, and the briefings are built
with a fixed clock. Its PDF briefings (as ``pdftotext -layout`` text plus the charts' alt texts),
the JSON API, the live dashboard's JSON, the participants' results page and the raw-data exports
are compared with the files in ``tests/golden/``. Only the randomly drawn join codes are masked;
ids, the data hash and all numbers are compared as they are. Briefing text is compared line by
line with runs of spaces shortened to two, HTML one tag per line with runs of whitespace
collapsed, JSON with sorted keys.

After an intended change of output, rewrite the files with ``SURVEY_UPDATE_GOLDEN=1`` and
review the diff.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import survey_app.briefing.context
import survey_app.demo
from survey_app import create_app
from survey_app.demo import DEMO_FACILITATOR
from survey_app.extensions import db
from survey_app.models import Workshop

from .briefing_helpers import alt_texts, chromium_or_skip
from .conftest import _test_config, login

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("SURVEY_UPDATE_GOLDEN") == "1"
#: The demo series is dated relative to "today"; this is the today it is built on.
DEMO_TODAY = date(2026, 5, 4)
DEMO_SEED = 2026
DEMO_RESPONSES = 300
#: Lines of a unified diff shown when a comparison fails.
DIFF_LINES = 80
#: When the briefings say they were made ("Erstellt"/"Generated"). Frozen, not masked: its
#: length (9 PM vs 10 PM) moves the columns of ``pdftotext -layout`` on that page.
BUILD_MOMENT = datetime(2026, 5, 4, 12, 0, 0, tzinfo=UTC)
#: Briefings: golden file stem -> ``briefing build`` arguments.
BRIEFINGS = {
    "briefing-series-de": ["--series", "demo-2026", "--lang", "de"],
    "briefing-series-en": ["--series", "demo-2026", "--lang", "en"],
    "briefing-workshop-2-de": ["--workshop", "2", "--lang", "de"],
    "briefing-series-en-breakdown-org_type": [
        "--series", "demo-2026", "--lang", "en", "--breakdown", "org_type",
    ],
    "briefing-series-de-tables-only": ["--series", "demo-2026", "--lang", "de", "--tables-only"],
}  # fmt: skip


class _DemoToday(date):
    """``date`` whose today is :data:`DEMO_TODAY`."""

    @classmethod
    def today(cls) -> _DemoToday:
        return cls(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day)


class _BuildClock(datetime):
    """``datetime`` whose now is :data:`BUILD_MOMENT`."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _BuildClock:
        return cls.fromtimestamp(BUILD_MOMENT.timestamp(), tz)


@pytest.fixture(scope="module")
def demo_app(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Return an app on an SQLite database holding the demo series (made once per module)."""
    folder = tmp_path_factory.mktemp("golden")
    path = folder / "survey.sqlite3"
    shutil.copy(sqlite_template, path)
    app = create_app(_test_config(f"sqlite:///{path}", folder / "instance"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(survey_app.demo, "date", _DemoToday)
        result = app.test_cli_runner().invoke(
            args=["demo", "--responses", str(DEMO_RESPONSES), "--seed", str(DEMO_SEED)]
        )
    assert result.exit_code == 0, result.output
    found = re.search(r"password (\S+)", result.output)
    assert found, result.output
    app.config["GOLDEN_PASSWORD"] = found.group(1)
    with app.app_context():
        # The participants' results page is off by default; show it for the first workshop.
        first = db.session.get(Workshop, 1)
        assert first is not None
        first.results_for_participants = True
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def facilitator(demo_app: Flask) -> FlaskClient:
    """Return a client logged in as the demo facilitator (manages the demo series)."""
    client = demo_app.test_client()
    answer = login(client, DEMO_FACILITATOR, demo_app.config["GOLDEN_PASSWORD"])
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


@pytest.fixture(scope="module")
def api_headers(demo_app: Flask) -> dict[str, str]:
    """Return the bearer-token header of the demo facilitator."""
    result = demo_app.test_cli_runner().invoke(args=["users", "token", "--email", DEMO_FACILITATOR])
    assert result.exit_code == 0, result.output
    return {"Authorization": f"Bearer {result.output.strip()}"}


@pytest.fixture(scope="module")
def briefing_text(
    demo_app: Flask, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], str]:
    """Return a function: golden stem -> the briefing's text (each PDF built once)."""
    folder = tmp_path_factory.mktemp("briefings")
    built: dict[str, str] = {}

    def text_of(name: str) -> str:
        if name not in built:
            args = BRIEFINGS[name]
            if "--tables-only" not in args:
                chromium_or_skip()
            target = folder / f"{name}.pdf"
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(survey_app.briefing.context, "datetime", _BuildClock)
                result = demo_app.test_cli_runner().invoke(
                    args=["briefing", "build", *args, "-o", str(target)]
                )
            assert result.exit_code == 0, result.output
            built[name] = briefing_as_text(target.read_bytes())
        return built[name]

    return text_of


def briefing_as_text(pdf: bytes) -> str:
    """Return the PDF's layout text and its figures' alt texts."""
    layout = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    # Column gaps are kept but not their widths: the same PDF's table columns came out two
    # characters apart in one process of the full suite (text and lines the same).
    lines = [re.sub(r" {2,}", "  ", line.rstrip()) for line in layout.splitlines()]
    alts = "\n".join(alt_texts(pdf))
    return "\n".join(lines) + f"\n==== alt texts of the figures ====\n{alts}\n"


def pretty_json(data: Any) -> str:
    """Return JSON with sorted keys, one value per line (the golden files' form)."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def html_lines(html: str) -> list[str]:
    """Return HTML as one tag per line, whitespace runs collapsed (layout whitespace only)."""
    return re.sub(r">\s*<", ">\n<", re.sub(r"\s+", " ", html).strip()).splitlines()


def check_golden(name: str, actual: str) -> None:
    """Compare ``actual`` with ``tests/golden/<name>`` (or rewrite it when updating)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path} is missing: run with SURVEY_UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes().decode("utf-8")  # as written: CSV lines end in CRLF
    if actual == expected:
        return
    diff = list(
        difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            f"golden/{name}",
            "actual",
            lineterm="",
        )
    )
    shown = "\n".join(diff[:DIFF_LINES])
    more = f"\n... {len(diff) - DIFF_LINES} more diff lines" if len(diff) > DIFF_LINES else ""
    pytest.fail(f"{name} differs from the golden file:\n{shown}{more}", pytrace=False)


def get_json(client: FlaskClient, url: str, **kwargs: Any) -> Any:
    """GET ``url`` and return its JSON body (asserting 200)."""
    answer = client.get(url, **kwargs)
    assert answer.status_code == 200, (url, answer.status_code)
    return json.loads(answer.get_data(as_text=True))


@pytest.mark.parametrize("name", list(BRIEFINGS))
def test_briefing_text(briefing_text: Callable[[str], str], name: str) -> None:
    check_golden(f"{name}.txt", briefing_text(name))


def test_api_workshops(demo_app: Flask, api_headers: dict[str, str]) -> None:
    body = get_json(demo_app.test_client(), "/api/v1/workshops", headers=api_headers)
    for workshop in body["workshops"]:
        # Join codes are drawn at random (``secrets``); everything else is stable.
        assert re.fullmatch(r"[A-Z0-9]+", workshop["join_code"]), workshop["join_code"]
        workshop["join_code"] = "<JOIN CODE>"
    check_golden("api-workshops.json", pretty_json(body))


@pytest.mark.parametrize("workshop_id", [1, 2, 3, 4])
def test_api_workshop_summary(
    demo_app: Flask, api_headers: dict[str, str], workshop_id: int
) -> None:
    url = f"/api/v1/workshops/{workshop_id}/summary"
    body = get_json(demo_app.test_client(), url, headers=api_headers)
    check_golden(f"api-workshop-{workshop_id}-summary.json", pretty_json(body))


def test_api_series_summary(demo_app: Flask, api_headers: dict[str, str]) -> None:
    body = get_json(demo_app.test_client(), "/api/v1/series/1/summary", headers=api_headers)
    check_golden("api-series-1-summary.json", pretty_json(body))


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("dashboard-workshop-2-de", "lang=de"),
        ("dashboard-workshop-3-en", "lang=en"),
        ("dashboard-series-de", "scope=series&lang=de"),
        ("dashboard-series-en-group-org_type-culture", "scope=series&lang=en&group=org_type:culture"),
    ],
)  # fmt: skip
def test_dashboard_json(facilitator: FlaskClient, name: str, query: str) -> None:
    workshop = 3 if "workshop-3" in name else 2
    body = get_json(facilitator, f"/workshops/{workshop}/results.json?{query}")
    for question in body["questions"]:
        question["table"] = html_lines(question["table"])
    check_golden(f"{name}.json", pretty_json(body))


@pytest.mark.parametrize("language", ["de", "en"])
def test_participant_results_page(demo_app: Flask, language: str) -> None:
    with demo_app.app_context():
        code = db.session.get(Workshop, 1).join_code  # type: ignore[union-attr]
    answer = demo_app.test_client().get(f"/j/{code}/results?lang={language}")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    main = re.search(r"<main\b.*?</main>", page, re.DOTALL)
    assert main, page
    html = html_lines(main.group(0).replace(code, "<JOIN CODE>"))
    check_golden(f"participant-results-1-{language}.html", "\n".join(html) + "\n")


def test_export_series_csv(facilitator: FlaskClient) -> None:
    answer = facilitator.get("/series/1/export.csv")
    assert answer.status_code == 200
    check_golden("export-series-1.csv", answer.get_data(as_text=True))


def test_export_series_csv_for_german_excel(facilitator: FlaskClient) -> None:
    answer = facilitator.get("/series/1/export.csv-de")
    assert answer.status_code == 200
    check_golden("export-series-1-de.csv", answer.get_data(as_text=True))


def test_export_series_json_with_codebook(facilitator: FlaskClient) -> None:
    body = get_json(facilitator, "/series/1/export.json?lang=en")
    responses = body.pop("responses")
    # One response a line: its values in the order of the keys every row has.
    keys = list(responses[0])
    assert all(list(row) == keys for row in responses)
    rows = [json.dumps(keys, ensure_ascii=False)]
    rows += [json.dumps(list(row.values()), ensure_ascii=False) for row in responses]
    check_golden("export-series-1-en-json.txt", pretty_json(body) + "".join(f"{r}\n" for r in rows))
