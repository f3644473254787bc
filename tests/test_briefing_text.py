"""Briefing words without a database: number formats, key findings, alt text, escaping."""

from __future__ import annotations

import copy
from datetime import date, datetime
from pathlib import Path

import pytest

from survey_app.briefing.figures import (
    LABEL_WIDTH,
    MAX_PRINT_HEIGHT,
    alt_text,
    chart_request,
    needs_shaping,
    print_figure,
)
from survey_app.briefing.findings import key_findings, short_question
from survey_app.briefing.render import css_string, render_html, reports_root, template_folder
from survey_app.briefing.texts import BriefingTextsError, Numbers, texts_for
from survey_app.stats import wilson_interval

FOLDER = template_folder("briefing", reports_root())
DE, EN = texts_for(FOLDER, "de"), texts_for(FOLDER, "en")


def option(key, label, count, n, low, high, **more):
    return {"key": key, "label": {"de": label, "en": label}, "count": count,
            "share": count / n, "ci_low": low, "ci_high": high, **more}  # fmt: skip


def hidden(key, label, reason="small"):
    return {"key": key, "label": {"de": label, "en": label}, "suppressed": True, "reason": reason}


def ranking(first_counts, n=212):
    options = []
    for key, first in first_counts.items():
        if first is None:
            options.append(hidden(key, key.title()))
            continue
        low, high = wilson_interval(first, n)
        cell = option(key, key.title(), first, n, 0.31, 0.45)
        cell.update(first_count=first, first_share=first / n, first_ci_low=low,
                    first_ci_high=high, top_share=0.7, borda=1.5)  # fmt: skip
        options.append(cell)
    label = {"de": "Was braucht Ihre Organisation? Bitte drei wählen.", "en": "Needs? Pick three."}
    return {"key": "needs", "type": "ranking", "label": label, "n": n, "rank": 3,
            "options": options}  # fmt: skip


def summary(*questions, k=5):
    return {"n_responses": 212, "questions": list(questions), "min_group_size": k}


def test_numbers_follow_the_language():
    de, en = Numbers("de"), Numbers("en")
    assert de.percent(0.38) == "38\u00a0%" and en.percent(0.38) == "38%"
    assert de.interval(0.31, 0.45) == "31–45\u00a0%" and en.interval(0.31, 0.45) == "31–45%"
    assert de.decimal(3.44) == "3,4" and en.decimal(3.44) == "3.4"
    assert de.number(12345) == "12.345" and en.number(12345) == "12,345"
    assert de.number(1960) == "1960"  # a year, not "1.960"
    # English dates as Europe writes them (day month year, 24-hour clock), not "Mar 5, 2026"
    assert en.day(date(2026, 3, 5)) == "5 Mar 2026" and de.day(date(2026, 3, 5)) == "05.03.2026"
    assert en.moment(datetime(2026, 3, 5, 14, 5)) == "5 Mar 2026, 14:05:00 UTC"


def test_chart_shares_are_written_like_the_tables_of_their_language():
    question = ranking({"funding": 81, "rooms": 70, "staff": 61})
    for language, expected in (("en", "38%"), ("de", "38\u00a0%")):
        figure = print_figure(question, language, 5)
        texts = [t for trace in figure["data"] for t in trace.get("text") or []]
        assert expected in texts, texts
        assert Numbers(language).percent(81 / 212) == expected


def test_ranking_finding_reads_as_a_sentence_with_its_interval():
    clear = ranking({"funding": 120, "rooms": 50, "staff": 42})  # 57 % (50-63) vs 24 % (18-30)
    findings = key_findings(summary(clear), "organization", "en", EN, Numbers("en"))
    assert [f.question for f in findings] == ["Needs?"]
    assert findings[0].text == (
        "“Funding” is ranked first most often: by 57% (95%\u00a0CI 50–63%) of 212 organizations."
    )
    de = key_findings(summary(clear), "organization", "de", DE, Numbers("de"))
    assert de[0].text.startswith("„Funding“ steht am häufigsten an erster Stelle: bei 57\u00a0%")
    # a question asked only of some (show_if): the base says who
    some = key_findings(summary(clear), "organization", "de", DE, Numbers("de"),
                        frozenset({"needs"}))  # fmt: skip
    assert some[0].text.endswith("der 212 Organisationen, denen die Frage gestellt wurde.")
    # 38 % (32-45) and 33 % (27-40) of 212: the intervals overlap, so no "most often"
    close = ranking({"funding": 81, "rooms": 70, "staff": 61})
    findings = key_findings(summary(close), "organization", "en", EN, Numbers("en"))
    assert "most often" not in findings[0].text and "“Rooms”" in findings[0].text


def test_no_finding_when_a_hidden_cell_could_be_larger_or_on_a_tie():
    # 212 answered; shown first places 60 + 40: 112 are hidden, so 60 is no sure leader.
    hidden_bigger = ranking({"funding": 60, "rooms": 40, "training": None})
    assert key_findings(summary(hidden_bigger), "person", "en", EN, Numbers("en")) == []
    tie = ranking({"funding": 106, "rooms": 106})
    assert key_findings(summary(tie), "person", "en", EN, Numbers("en")) == []
    suppressed_question = {"key": "q", "type": "single_choice", "label": {"en": "Q"},
                           "suppressed": True}  # fmt: skip
    assert key_findings(summary(suppressed_question), "person", "en", EN, Numbers("en")) == []


def test_findings_take_turns_and_never_use_hidden_cells():
    single = {"key": "kind", "type": "single_choice", "label": {"en": "Kind?"}, "n": 20,
              "options": [option("a", "Alpha", 12, 20, 0.4, 0.8), hidden("b", "Beta"),
                          hidden("c", "Gamma")]}  # fmt: skip
    multi = {"key": "fields", "type": "multi_choice", "label": {"en": "Fields?"}, "n": 20,
             "options": [option("x", "Youth", 9, 20, 0.2, 0.6), hidden("y", "Hidden")]}  # fmt: skip
    rating = {"key": "overall", "type": "rating", "label": {"en": "Overall?"}, "n": 20,
              "mean": 4.25, "median": 4.0,
              "options": [option(str(p), str(p), 4, 20, 0.1, 0.4) for p in range(1, 6)]}  # fmt: skip
    findings = key_findings(summary(single, multi, rating, ranking({"funding": 150})), "person",
                            "en", EN, Numbers("en"))  # fmt: skip
    assert [f.question_key for f in findings] == ["needs", "fields", "kind", "overall"]
    text = " ".join(f.text for f in findings)
    assert "Beta" not in text and "Gamma" not in text and "Hidden" not in text
    assert "4.2 out of 5 points on average (median 4; 20 people)" in text
    assert "The most frequent answer is “Alpha”: 60% (95%\u00a0CI 40–80%) of 20 people." in text


def test_likert_findings_name_the_top_points():
    scale = [{"key": k, "label": {"en": k.title()}, "value": v}
             for v, k in enumerate(["no", "rather_no", "rather_yes", "yes"])]  # fmt: skip
    items = [{"key": key, "label": {"en": key.title()}, "n": 50, "top2_count": c,
              "top2_share": c / 50, "top2_ci_low": wilson_interval(c, 50)[0],
              "top2_ci_high": wilson_interval(c, 50)[1]}
             for key, c in (("city", 40), ("state", 20), ("federal", 5))]  # fmt: skip
    likert = {"key": "support", "type": "likert", "label": {"en": "Support?"}, "n": 50,
              "scale": scale, "top2_points": ["rather_yes", "yes"], "items": items}  # fmt: skip
    texts = [f.text for f in key_findings(summary(likert), "person", "en", EN, Numbers("en"))]
    assert texts[0].startswith("Most positive: “City” – 80% answer “Yes” or “Rather_Yes”")
    assert texts[1].startswith("Least positive: “Federal” – only 10% answer")
    with_hidden = copy.deepcopy(likert)
    with_hidden["items"][1] = {"key": "state", "label": {"en": "State"}, "suppressed": True}
    assert key_findings(summary(with_hidden), "person", "en", EN, Numbers("en")) == []


def test_short_question_keeps_the_first_sentence():
    assert short_question("What do you need? Please choose three.") == "What do you need?"
    assert short_question("Your needs") == "Your needs"


def test_alt_text_says_the_main_numbers():
    question = {"key": "kind", "type": "single_choice", "label": {"en": "Kind?"}, "n": 20,
                "options": [option("a", "Funding", 12, 20, 0.4, 0.8), hidden("b", "Rooms")]}  # fmt: skip
    alt = alt_text(question, "en", 5, EN, Numbers("en"))
    assert alt == "Bar chart of shares (20 respondents): Funding 60%; Rooms fewer than 5."


def test_print_figures_are_greyscale_safe_and_arabic_becomes_png():
    question = ranking({"funding": 81, "rooms": 70, "staff": 61})
    figure = print_figure(question, "en", 5)
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    assert bars[0]["marker"]["pattern"]["shape"] == "/"  # "in the top 3" hatched
    assert all(trace.get("text") for trace in bars)  # value labels on both series
    assert chart_request(figure).format == "svg"
    arabic = copy.deepcopy(question)
    arabic["options"][0]["label"] = {"ar": "تمويل"}
    figure = print_figure(arabic, "ar", 5)
    assert needs_shaping(figure) and chart_request(figure).format == "png"
    text_question = {"key": "t", "type": "long_text", "label": {"en": "T"}, "n": 9,
                     "terms": [{"term": "secret", "count": 9}]}  # fmt: skip
    assert print_figure(text_question, "en", 5) is None  # no term charts in briefings


LONG_LABEL = (
    "Unterstützung bei der Beantragung von Fördermitteln der Kommune, des Landes und des "
    "Bundes einschließlich der Verwendungsnachweise und der Abrechnung von Projekten"
)


@pytest.mark.parametrize("count", [3, 12, 24])
def test_long_option_lists_fit_a_page_with_every_label_whole(count):
    options = [option(f"o{i}", f"{i + 1}. {LONG_LABEL}"[: 150 - i].strip(), 40 - i, 212, 0.1, 0.2)
               for i in range(count)]  # fmt: skip
    question = {"key": "needs", "type": "single_choice", "n": 212, "options": options,
                "label": {"de": "Was braucht Ihre Organisation?"}}  # fmt: skip
    figure = print_figure(question, "de", 5)
    if count <= 12:  # a list this long still fits a page at its printed size
        assert figure["layout"]["height"] <= MAX_PRINT_HEIGHT
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    shown = [label.replace("<br>", " ") for label in bars[0]["y"]]
    assert sorted(shown) == sorted(o["label"]["de"] for o in options)  # none cut or left out
    longest_line = max(len(line) for label in bars[0]["y"] for line in label.split("<br>"))
    if count == 3:  # few options: the usual narrow label column
        assert longest_line <= LABEL_WIDTH + 12
    else:  # many: wider lines keep the chart on one page
        assert longest_line > LABEL_WIDTH + 12


def test_css_strings_cannot_break_out():
    quoted = css_string('Page "x" </style><script>')
    assert quoted.startswith('"') and quoted.endswith('"')
    assert '"' not in quoted[1:-1] and "<" not in quoted and ">" not in quoted


def test_templates_escape_instrument_and_user_text(tmp_path: Path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "briefing.html").write_text("<p>{{ title }}</p><p>{{ t.contents }}</p>")
    html = render_html(folder, {"title": "<script>alert(1)</script>", "t": EN})
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_unknown_language_is_a_clear_error():
    with pytest.raises(BriefingTextsError, match="no texts in 'fr'.*de, en"):
        texts_for(FOLDER, "fr")


def test_a_likert_statement_with_a_hidden_point_has_no_bar_but_says_why():
    """Left out, a hidden point would shift the statement's other segments and read as
    another distribution; the statement gets no bar and the words say why."""
    scale = [{"key": f"p{v}", "value": v, "label": {"de": f"Punkt {v}"}} for v in range(1, 6)]

    def item(key, counts):
        n = sum(c for c in counts if c is not None)
        cells = [{"key": f"p{v}", "count": c, "share": c / n} if c is not None
                 else {"key": f"p{v}", "suppressed": True, "reason": "small"}
                 for v, c in zip(range(1, 6), counts, strict=True)]  # fmt: skip
        return {"key": key, "label": {"de": key.title()}, "n": n, "distribution": cells}

    question = {"key": "support", "type": "likert", "label": {"de": "Zufrieden?"}, "n": 40,
                "scale": scale, "top": ["p4", "p5"],
                "items": [item("stadt", [6, 8, 10, 8, 8]), item("land", [None, 9, 12, 9, 8])]}  # fmt: skip
    figure = print_figure(question, "de", 5)
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    row = {label: i for i, label in enumerate(bars[0]["y"])}
    assert all(trace["x"][row["Land"]] is None for trace in bars)  # no segment at all
    assert all(trace["x"][row["Stadt"]] is not None for trace in bars)
    notes = [t for trace in figure["data"] if trace["type"] == "scatter" for t in trace["text"]]
    assert "Teils verdeckt: kein Balken" in [n.replace("<br>", " ") for n in notes if n]
    middle = next(
        trace for trace in bars if trace["legendrank"] == 2 and trace["text"][row["Stadt"]]
    )
    assert middle["textangle"] == 0  # shares never written on end
