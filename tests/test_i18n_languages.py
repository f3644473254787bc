"""Language arguments (``?lang=``, ``--lang``): any case, and a regional variant reads as its
base language where only that is available; an unknown language is still refused."""

from __future__ import annotations

import re

import pytest

from survey_app.i18n import choose_language, match_language

from .briefing_helpers import build, fill
from .conftest import FIXTURES

ALL_TYPES = FIXTURES / "all-types.yaml"


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("de", "de"),
        ("DE", "de"),
        (" En ", "en"),
        ("en-GB", "en"),
        ("en_gb", "en"),
        ("DE-at", "de"),
        ("pt-br", "pt-BR"),
        ("PT-BR", "pt-BR"),
        ("fr", None),
        ("fr-DE", None),
        ("", None),
        (None, None),
    ],
)
def test_a_language_matches_in_any_case_and_by_its_base(asked, expected):
    assert match_language(["de", "en", "pt-BR"], asked) == expected


def test_choosing_falls_back_to_the_first_language_only_when_nothing_matches(app):
    with app.test_request_context("/"):  # no Accept-Language
        assert choose_language(("de", "en"), "EN-us") == "en"
        assert choose_language(("de", "en"), "fr") == "de"


def test_the_form_takes_the_language_in_any_case(client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    for asked in ("AR", "ar-EG", "ar_sa"):
        page = client.get(f"/j/{workshop.join_code}?lang={asked}").get_data(as_text=True)
        assert '<html lang="ar" dir="rtl">' in page, asked


@pytest.mark.parametrize("scope", ["workshop", "series"])
def test_briefings_take_the_language_in_any_case_and_by_its_base(
    app, make_workshop, logged_in_client, scope
):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    viewer = logged_in_client("viewer", workshop.series_id)
    path = (
        f"/workshops/{workshop.id}/briefing.docx"
        if scope == "workshop"
        else f"/series/{workshop.series_id}/briefing.docx"
    )
    for asked, language in (("DE", "de"), ("en-GB", "en"), ("En_us", "en"), ("de-AT", "de")):
        answer = viewer.get(f"{path}?lang={asked}")
        assert answer.status_code == 200, (asked, answer.get_data(as_text=True)[:300])
        disposition = answer.headers["Content-Disposition"]
        assert re.search(rf"-{language}\.docx", disposition), (asked, disposition)
    for unknown in ("fr", "FR-fr", "xx"):
        refused = viewer.get(f"{path}?lang={unknown}")
        assert refused.status_code == 400, unknown
        assert "de, en" in refused.get_data(as_text=True)


def test_the_briefing_summary_page_takes_the_language_in_any_case(
    app, make_workshop, logged_in_client
):
    workshop = make_workshop(ALL_TYPES)
    client = logged_in_client("facilitator", workshop.series_id)
    page = client.get(f"/series/{workshop.series_id}/briefing/summary?lang=EN-gb")
    assert page.status_code == 200 and "Kernaussagen" not in page.get_data(as_text=True)
    german = client.get(f"/series/{workshop.series_id}/briefing/summary?lang=De")
    assert "Kernaussagen" in german.get_data(as_text=True)


def test_the_briefing_command_takes_the_language_in_any_case(app, make_workshop, runner, tmp_path):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    result, document = build(
        runner, tmp_path, "--workshop", str(workshop.id), "--lang", "EN-gb", name="b.docx"
    )
    assert result.exit_code == 0 and document, result.output
    assert "language en," in result.output
    result, _ = build(runner, tmp_path, "--workshop", str(workshop.id), "--lang", "fr")
    assert result.exit_code != 0 and "de, en" in result.output
