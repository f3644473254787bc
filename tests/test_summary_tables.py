"""One summary table per question type, laid out by one macro on the web and in briefings."""

from __future__ import annotations

import re

from flask import render_template_string

from survey_app.briefing.render import reports_root, template_environment
from survey_app.briefing.sections import Writer
from survey_app.briefing.texts import numbers_for, texts_for
from survey_app.questions import summary_table
from survey_app.results.display import web_writer

FOLDER = reports_root() / "briefing"
POINTS = [
    {"key": key, "label": {"en": key}, "value": value}
    for value, key in enumerate(["no", "rather_no", "neutral", "rather_yes", "yes"], 1)
]
LIKERT = {
    "key": "support",
    "type": "likert",
    "label": {"en": "Support"},
    "n": 40,
    "scale": POINTS,
    "top2_points": ["rather_yes", "yes"],
    "items": [
        {
            "key": "funding",
            "label": {"en": "Funding"},
            "n": 40,
            "distribution": [{**p, "count": 8, "share": 0.2} for p in POINTS],
            "mean": 3.0,
            "top2_count": 16,
            "top2_share": 0.4,
            "top2_ci_low": 0.26,
            "top2_ci_high": 0.56,
        },
        {"key": "rooms", "label": {"en": "Rooms"}, "suppressed": True, "reason": "small"},
    ],
}


def briefing_writer(language: str) -> Writer:
    return Writer(language, texts_for(FOLDER, language), numbers_for(language), 5)


def test_the_web_pages_show_the_briefing_table(app):
    with app.test_request_context("/?lang=en"):
        web = summary_table(LIKERT, web_writer("en", 5))
    printed = summary_table(LIKERT, briefing_writer("en"))
    assert web is not None and printed is not None
    assert len(web.head) == len(printed.head) == 5
    assert web.head[1] == printed.head[1] == "n"
    assert [[str(c) for c in row.cells] for row in web.rows] == [
        [str(c) for c in row.cells] for row in printed.rows
    ]
    assert [str(c) for c in printed.rows[0].cells] == ["40", "40%", "26–56%", "3.0"]
    assert printed.rows[1].span == web.rows[1].span == "Fewer than 5 answered: not shown"


def test_one_macro_lays_tables_out_in_the_app_and_in_briefings(app):
    table = summary_table(LIKERT, briefing_writer("en"))
    call = '{% from "shared/tables.html" import data_table %}{{ data_table(tb, "x") }}'
    with app.test_request_context("/"):
        web = render_template_string(call, tb=table)
    printed = template_environment(FOLDER).from_string(call).render(tb=table)

    def squeeze(html: str) -> str:
        return re.sub(r">\s+<", "><", html).strip()

    assert squeeze(web) == squeeze(printed)
    assert "<caption>" not in web and "<progress" not in web
    assert '<td class="span" colspan="4">Fewer than 5 answered: not shown</td>' in web


def test_share_cells_can_be_drawn_as_bars(app):
    table = summary_table(LIKERT, briefing_writer("en"))
    call = '{% from "shared/tables.html" import data_table %}{{ data_table(tb, bars=true) }}'
    with app.test_request_context("/"):
        html = render_template_string(call, tb=table)
    assert html.count("<progress") == 1 and 'value="40"' in html


def _single_choice(counts: dict[str, int], hidden: str | None = None) -> dict:
    n = sum(counts.values())
    options = [
        {"key": key, "label": {"en": key.title()}, "suppressed": True, "reason": "small"}
        if key == hidden
        else {"key": key, "label": {"en": key.title()}, "count": c, "share": c / n,
              "ci_low": 0.1, "ci_high": 0.6}
        for key, c in counts.items()
    ]  # fmt: skip
    return {"key": "lang", "type": "single_choice", "label": {"en": "Language"}, "n": n,
            "options": options}  # fmt: skip


def test_rounded_shares_that_do_not_add_up_to_100_say_so(app):
    """6, 6 and 7 of 19 are written 32 + 32 + 37 %: the note gives the total, 101 %."""
    odd = _single_choice({"a": 6, "b": 6, "c": 7})
    printed = summary_table(odd, briefing_writer("de"))
    assert printed is not None and "gerundete Anteile: zusammen 101\u00a0%" in printed.note
    with app.test_request_context("/?lang=en"):
        web = summary_table(odd, web_writer("en", 5))
    assert web is not None and "rounded shares: together 101%" in web.note
    even = summary_table(_single_choice({"a": 5, "b": 5, "c": 10}), briefing_writer("en"))
    assert even is not None and "rounded" not in even.note  # 25 + 25 + 50
    # a hidden option is no rounding matter: no total that would tell its share
    partly = summary_table(_single_choice({"a": 6, "b": 6, "c": 7}, "a"), briefing_writer("en"))
    assert partly is not None and "rounded" not in partly.note
