"""A hidden number says why it is hidden: "fewer than k" only where its count is 1 to k-1.

One protected summary with both reasons (``results.suppression``: ``small``, and
``protects`` for a count hidden so that the small one cannot be worked out) goes
through every output: the dashboard's table and figure, the PDF table, the alt text,
the briefing's notes and method section, the key findings. (The participants'
results page marks everything it hides alike: ``participate.participant_results``.)
"""

from __future__ import annotations

import re

import pytest
from flask import render_template, render_template_string

from survey_app.briefing.figures import alt_text
from survey_app.briefing.method import protection_paragraphs
from survey_app.briefing.render import reports_root, template_environment
from survey_app.briefing.sections import Writer, part_tables
from survey_app.briefing.texts import Texts, load_texts, numbers_for, texts_for
from survey_app.questions import question_type, summary_table
from survey_app.questions._figures import WORDS, wording
from survey_app.results.display import web_writer
from survey_app.results.figures import figure_for
from survey_app.results.suppression import suppress_summary

FOLDER = reports_root() / "briefing"
LANGUAGES = ["en", "de"]
#: The label of a hidden cell, by language and reason.
CELL = {
    "en": {"small": "fewer than 5", "protects": "not shown (protects a small group)"},
    "de": {"small": "weniger als 5", "protects": "nicht gezeigt (schützt eine kleine Gruppe)"},
}
#: The note of a hidden question, item or group, by language and reason.
WHOLE = {
    "en": {
        "small": "Fewer than 5 answered: not shown",
        "protects": "Not shown, to protect a small group",
    },
    "de": {
        "small": "Weniger als 5 haben geantwortet: nicht gezeigt",
        "protects": "Nicht gezeigt, um eine kleine Gruppe zu schützen",
    },
}
#: Words that say "small", which a cell hidden to protect must never carry.
SMALL_WORDS = re.compile(r"fewer|weniger", re.IGNORECASE)


def option(key: str, count: int, n: int) -> dict:
    label = {"en": key.title(), "de": key.title()}
    return {"key": key, "label": label, "count": count, "share": count / n,
            "ci_low": max(0.0, count / n - 0.2), "ci_high": min(1.0, count / n + 0.2)}  # fmt: skip


@pytest.fixture(scope="module")
def question() -> dict:
    """Arts (2 of 20) is small; one of the nines is hidden so that 2 cannot be subtracted."""
    raw = {"key": "kind", "type": "single_choice", "label": {"en": "Kind?", "de": "Art?"},
           "n": 20, "options": [option("arts", 2, 20), option("culture", 9, 20),
                                option("sports", 9, 20)]}  # fmt: skip
    protected = suppress_summary({"n_responses": 20, "questions": [raw]}, 5)["questions"][0]
    assert [o.get("reason") for o in protected["options"]].count("small") == 1
    assert [o.get("reason") for o in protected["options"]].count("protects") == 1
    return protected


def by_reason(question: dict) -> dict[str | None, str]:
    """Return the English label of the option hidden for each reason (None: shown)."""
    return {o.get("reason"): o["label"]["en"] for o in question["options"]}


def briefing_writer(language: str) -> Writer:
    return Writer(language, texts_for(FOLDER, language), numbers_for(language), 5)


def row_of(html: str, label: str) -> str:
    """Return the table row of ``label`` in rendered HTML."""
    match = re.search(rf'<tr[^>]*><th scope="row">{label}</th>(.*?)</tr>', html, re.S)
    assert match, (label, html)
    return match.group(1)


def assert_rows_say_why(html: str, question: dict, language: str) -> None:
    labels = by_reason(question)
    small, protects = row_of(html, labels["small"]), row_of(html, labels["protects"])
    assert CELL[language]["small"] in small
    assert CELL[language]["protects"] in protects and not SMALL_WORDS.search(protects)
    assert html.count(CELL[language]["small"]) == 1
    assert "<progress" not in small + protects  # a hidden share is never drawn as a bar


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard_table_says_why(app, question, language):
    with app.test_request_context(f"/?lang={language}"):
        table = summary_table(question, web_writer(language, 5))
        dashboard = render_template("facilitate/_summary_table.html", q=question, table=table, k=5)
        call = '{% from "shared/tables.html" import data_table %}{{ data_table(tb, bars=true) }}'
        with_bars = render_template_string(call, tb=table)
    assert_rows_say_why(dashboard, question, language)
    assert_rows_say_why(with_bars, question, language)
    assert "<progress" in row_of(with_bars, by_reason(question)[None])


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_table_says_why(question, language):
    table = summary_table(question, briefing_writer(language))
    call = '{% from "_macros.html" import data_table %}{{ data_table(tb) }}'
    html = template_environment(FOLDER).from_string(call).render(tb=table)
    assert_rows_say_why(html, question, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_alt_text_says_why(question, language):
    labels = by_reason(question)
    alt = alt_text(question, language, 5, texts_for(FOLDER, language), numbers_for(language))
    assert f"{labels['small']} {CELL[language]['small']}" in alt
    assert f"{labels['protects']} {CELL[language]['protects']}" in alt
    assert alt.count(CELL[language]["small"]) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_bar_chart_draws_no_hidden_bar_and_says_why(question, language):
    figure = figure_for(question, language, 5)
    bars, labels = figure["data"]
    hidden = by_reason(question)
    x = dict(zip(bars["y"], bars["x"], strict=True))
    hover = dict(zip(bars["y"], bars["customdata"], strict=True))
    written = dict(zip(labels["y"], labels["text"], strict=True))
    for reason in ("small", "protects"):
        assert x[hidden[reason]] is None  # no bar, not a bar of length 0
        assert hover[hidden[reason]] == written[hidden[reason]] == CELL[language][reason]
    arms = [
        a for a, share in zip(bars["error_x"]["array"], bars["x"], strict=True) if share is None
    ]
    assert arms == [None, None]
    assert not SMALL_WORDS.search(written[hidden["protects"]])


def test_histogram_ranking_and_likert_draw_no_hidden_lengths():
    words = wording("en", 5)
    number = {"key": "age", "type": "number", "label": {"en": "Age"}, "n": 30, "unit": {},
              "histogram": [{"low": 0, "high": 10, "count": 12},
                            {"low": 10, "high": 20, "suppressed": True, "reason": "small"},
                            {"low": 20, "high": 30, "suppressed": True, "reason": "protects"}]}  # fmt: skip
    figure = question_type("number").figure(number, words)
    bars, small, protects = figure["data"]
    assert bars["y"] == [12, None, None]
    # hidden bins: a hatched stub each, the same height whatever the count, named in
    # the legend by why it is hidden (narrow columns have no room for the words)
    assert (small["x"], small["name"]) == (["10–20"], "fewer than 5")
    assert (protects["x"], protects["name"]) == (["20–30"], "not shown (protects a small group)")
    assert small["y"] == protects["y"] == [1.2]
    assert small["marker"]["pattern"]["shape"] != protects["marker"]["pattern"]["shape"]
    assert figure["layout"]["showlegend"] and not bars["showlegend"]
    # on paper too, the legend stays above the plot, clear of the slanted bin labels
    from survey_app.briefing.figures import print_figure

    printed = print_figure(number, "en", 5)
    assert printed is not None and printed["layout"]["legend"]["yanchor"] == "bottom"
    assert printed["layout"]["legend"]["y"] > 1

    ranked = option("funding", 12, 20)
    ranked.update(top_share=0.6, first_reason="protects")
    ranking = {"key": "needs", "type": "ranking", "label": {"en": "Needs"}, "n": 20, "rank": 3,
               "options": [ranked, {"key": "rooms", "label": {"en": "Rooms"},
                                    "suppressed": True, "reason": "small"}]}  # fmt: skip
    top, first, whole, first_only = question_type("ranking").figure(ranking, words)["data"]
    assert top["x"] == [None, 0.6] and first["x"] == [None, None]
    assert first["text"] == ["fewer than 5", "not shown (protects a small group)"]
    assert (whole["y"], whole["text"]) == (["Rooms"], ["fewer than 5"])
    # long words in two lines beside the bar, not one running out of a narrow card
    assert first_only["text"] == ["not shown (protects a<br>small group)"]
    assert first_only["offsetgroup"] == first["offsetgroup"]

    scale = [{"key": k, "label": {"en": k}, "value": v} for v, k in enumerate(["no", "yes"])]
    shown = {"key": "city", "label": {"en": "City"}, "n": 9,
             "distribution": [{"key": "no", "label": {"en": "no"}, "value": 0,
                               "suppressed": True, "reason": "small"},
                              {"key": "yes", "label": {"en": "yes"}, "value": 1,
                               "suppressed": True, "reason": "protects"}]}  # fmt: skip
    hidden = {"key": "state", "label": {"en": "State"}, "suppressed": True, "reason": "protects"}
    likert = {"key": "trust", "type": "likert", "label": {"en": "Trust"}, "n": 9, "scale": scale,
              "top2_points": ["yes"], "items": [shown, hidden]}  # fmt: skip
    traces = question_type("likert").figure(likert, words)["data"]
    segments = [t for t in traces if t["type"] == "bar"]
    assert all(x is None for t in segments for x in t["x"])
    assert {t["name"]: t["customdata"][1] for t in segments} == {
        "no": "fewer than 5",
        "yes": "not shown (protects a small group)",
    }
    # a hidden statement says why; one with hidden points has no bar and says so
    assert sorted(traces[-1]["text"]) == ["Not shown, to protect a<br>small group",
                                          "Partly hidden: no bar"]  # fmt: skip
    assert all("%" not in text for t in segments for text in t["customdata"])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("reason", ["small", "protects"])
def test_hidden_questions_and_groups_say_why(app, language, reason):
    question = {"key": "kind", "type": "single_choice", "label": {"en": "Kind?"},
                "suppressed": True, "reason": reason}  # fmt: skip
    with app.test_request_context(f"/?lang={language}"):
        note = render_template("facilitate/_summary_table.html", q=question, table=None, k=5)
    assert WHOLE[language][reason] in note
    w = briefing_writer(language)
    assert w.hidden(question, answers=True) == WHOLE[language][reason]
    whole = {"key": "kind", "type": "single_choice", "label": {"en": "Kind?"}, "n": 20,
             "options": [option("arts", 10, 20), option("culture", 10, 20)]}  # fmt: skip
    group = {"key": "sport", "label": {"en": "Sport"}, "suppressed": True, "reason": reason}
    (table,) = part_tables(whole, [("Sport", group)], w, "Group")
    assert table.rows[0].span == WHOLE[language][reason]
    if reason == "protects":
        assert not SMALL_WORDS.search(note + table.rows[0].span)


def test_method_section_describes_the_rule_and_its_labels():
    en = " ".join(protection_paragraphs(briefing_writer("en")))
    assert "a count of 1 to 4" in en and "every member of a group" in en
    assert "HiGHS" in en and "linear and integer programming" in en
    assert "every workshop, the series, each group of a breakdown" in en
    assert "“fewer than 5” marks only a count of 1 to 4." in en
    assert "“not shown (protects a small group)” marks any other hidden number" in en
    assert "0 or at least 5" in en
    de = " ".join(protection_paragraphs(briefing_writer("de")))
    assert "„weniger als 5“ steht nur für eine Zahl von 1 bis 4." in de
    assert "„nicht gezeigt (schützt eine kleine Gruppe)“ steht für jede andere" in de
    assert "HiGHS" in de and "0 oder mindestens 5" in de
    template = (FOLDER / "briefing.html").read_text(encoding="utf-8")
    assert "method.protection" in template and "method_suppression" not in template


def test_a_leader_needs_no_hidden_rival_that_could_be_larger():
    multi = question_type("multi_choice")
    options = [option("youth", 9, 20), {"key": "sport", "label": {"en": "Sport"},
                                        "suppressed": True, "reason": "small"}]  # fmt: skip
    summary = {"key": "fields", "type": "multi_choice", "label": {"en": "Fields"}, "n": 20,
               "options": options}  # fmt: skip
    assert multi.key_finding_candidates(summary, 5)  # a small one holds at most 4 < 9
    options[1]["reason"] = "protects"  # 0 or at least 5: it may be larger than 9
    assert multi.key_finding_candidates(summary, 5) == []


def test_every_language_has_the_words():
    keys = ["hidden_small", "hidden_protects", "hidden_answers_small", "hidden_answers_protects"]
    for language in ("en", "de", "tr", "ar", "uk"):
        assert set(keys) <= set(WORDS[language]), language
        said = [wording(language, 7).say(key) for key in keys]
        assert "7" in said[0] and "7" in said[2] and "7" not in said[1] + said[3], language
        if language != "en":
            assert not set(said) & {wording("en", 7).say(key) for key in keys}, language
    for language, texts in load_texts(FOLDER).items():
        assert set(keys) <= set(texts), language
        assert "fewer_than" not in texts and "suppressed_question" not in texts, language


def test_texts_without_the_words_fall_back_to_the_chart_words():
    old = Texts("de", {"fewer_than": "weniger als {k}"})  # a template folder from before
    w = Writer("de", old, numbers_for("de"), 5)
    cell = {"key": "a", "suppressed": True, "reason": "protects"}
    assert w.hidden(cell) == CELL["de"]["protects"]
    assert w.hidden(cell, answers=True) == WHOLE["de"]["protects"]
