"""The points question type ("dot voting"): definition, form, rows, summary, protection,
figure, export and briefing table, end to end.

The protection test reads a published summary as an outsider would: every way the
respondents could have shared out their points (enumerated) that agrees with each
number shown is possible, and a hidden count of 1 to k-1 must keep the range 1..k-1.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from survey_app.briefing.texts import numbers_for, texts_for
from survey_app.exports.codebook import codebook
from survey_app.exports.table import raw_table
from survey_app.extensions import db
from survey_app.instruments import parse_instrument_file, parse_instrument_text
from survey_app.models import Answer
from survey_app.questions import QUESTION_TYPES
from survey_app.questions._figures import wording
from survey_app.questions._tables import Writer
from survey_app.questions.points_chart import word
from survey_app.responses.answers import read_answers
from survey_app.results import ResultSettings, Scope, summarize_scope

from .conftest import FIXTURES, ROOT
from .helpers import hidden_fields, open_form, post_form
from .results_helpers import W1, assert_close, question, submit, summary
from .support.responses import store_responses
from .test_instruments import problems

ALL_TYPES = FIXTURES / "all-types.yaml"
REQUIRED = [("q.org_type", "culture"), ("q.top_needs.1", "funding"),
            ("q.agreement.heard", "no"), ("consent", "yes")]  # fmt: skip
POINTS = QUESTION_TYPES["points_allocation"]

THREE_OPTIONS = """\
format: 1
key: split
version: 1
title: {de: "Punkte", en: "Points"}
languages: [de, en]
sections:
  - key: s
    title: {de: "S", en: "S"}
    questions:
      - key: split
        type: points_allocation
        points: %d
        label: {de: "Verteilen", en: "Share out"}
        options:
          - {key: a, label: {de: "A", en: "A"}}
          - {key: b, label: {de: "B", en: "B"}}
          - {key: c, label: {de: "C", en: "C"}}
"""


#: The three-option question (10 points) with two follow-ups: "why_a" if A got points,
#: "anything" if the points were given at all.
FOLLOW_UPS = (
    (THREE_OPTIONS % 10).replace("key: split\nversion", "key: points-follow-up\nversion")
    + """\
      - key: why_a
        type: short_text
        label: {de: "Warum A?", en: "Why A?"}
        show_if: {question: split, in: [a]}
      - key: anything
        type: short_text
        label: {de: "Sonst noch etwas?", en: "Anything else?"}
        show_if: {question: split, answered: true}
"""
)
#: Points typed for A, B and C; whether "why_a" and "anything" are asked. The browser
#: (tests/browser/test_points_show_if.py) must agree with the server on every one.
SHOW_IF_CASES = [
    (("10", "", ""), True, True),
    (("", "10", ""), False, True),
    (("3", "7", ""), True, True),
    (("0", "10", "0"), False, True),
    ((" 3 ", "07", ""), True, True),
    (("\u0663", "\u0667", ""), True, True),  # Arabic-Indic 3 and 7
    (("\u06f5", "", "\u06f5"), True, True),  # Persian 5 and 5
    (("3", "6", ""), False, False),  # 9 of 10: not answered
    (("3", "8", ""), False, False),  # 11 of 10
    (("3,0", "7", ""), False, False),  # not whole points
    (("12", "-2", ""), False, False),
    (("", "", ""), False, False),
    (("0", "0", "0"), False, False),
]


#: A points question in the five interface languages, its budget to fill in.
FIVE_LANGUAGES = """\
format: 1
key: points-plurals
version: 1
title: {en: "Points", de: "Punkte", tr: "Puan", ar: "نقاط", uk: "Бали"}
languages: [en, de, tr, ar, uk]
sections:
  - key: s
    title: {en: "S", de: "S", tr: "S", ar: "S", uk: "S"}
    questions:
      - key: split
        type: points_allocation
        points: %d
        label: {en: "Share out", de: "Verteilen", tr: "Dağıtın", ar: "وزّعوا", uk: "Розподіліть"}
        options:
          - {key: a, label: {en: "A", de: "A", tr: "A", ar: "A", uk: "A"}}
          - {key: b, label: {en: "B", de: "B", tr: "B", ar: "B", uk: "B"}}
"""


def test_a_points_question_needs_a_budget_and_two_options():
    broken = THREE_OPTIONS.replace("        points: %d\n", "")
    for key in "bc":
        broken = broken.replace(
            f'          - {{key: {key}, label: {{de: "{key.upper()}", en: "{key.upper()}"}}}}\n', ""
        )
    found = problems(broken)
    assert any(re.match(r"f\.yaml:1\d: .*points", p) for p in found), found
    assert any("at least two options" in p for p in found), found
    assert any("must be at least 1" in p or ">= 1" in p for p in problems(THREE_OPTIONS % 0))
    assert parse_instrument_text(THREE_OPTIONS % 10, "f.yaml").question("split").points == 10


def test_the_form_checks_the_sum_and_keeps_what_was_typed(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    page = client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    assert 'name="q.priorities.funding"' in page and 'inputmode="numeric"' in page
    assert "Vergeben Sie insgesamt 10 Punkte." in page and "points.js" in page
    short = [*REQUIRED, ("q.priorities.funding", "6"), ("q.priorities.rooms", "3")]
    answer = post_form(client, workshop.join_code, fields, short)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "Bitte vergeben Sie genau 10 Punkte; vergeben haben Sie 9." in html
    assert re.search(r'name="q.priorities.funding"[^>]*value="6"', html)
    assert re.search(r'name="q.priorities.rooms"[^>]*value="3"', html)
    for typed in ("2,5", "-1", "zehn", "1e1", "+2"):
        wrong = [*REQUIRED, ("q.priorities.funding", typed), ("q.priorities.rooms", "8")]
        answer = post_form(client, workshop.join_code, fields, wrong)
        assert answer.status_code == 422, typed
        assert "Bitte geben Sie ganze Punktzahlen ein, 0 oder mehr." in answer.get_data(
            as_text=True
        )
    # Arabic-Indic digits, as Arabic phone keyboards type them, are digits
    right = [*REQUIRED, ("q.priorities.funding", "٧"), ("q.priorities.rooms", "0"),
             ("q.priorities.training", "3")]  # fmt: skip
    thanks = post_form(client, workshop.join_code, fields, right)
    assert thanks.status_code == 200
    with app.app_context():
        rows = db.session.scalars(select(Answer).where(Answer.question_key == "priorities"))
        assert sorted((a.option_key, a.value_num) for a in rows) == [
            ("funding", 7.0),
            ("training", 3.0),
        ]
    # the edit link brings the points back
    link = re.search(r'<p class="edit-link"><a href="([^"]+)"', thanks.get_data(as_text=True))
    form_page = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(r'name="q.priorities.funding"[^>]*value="7"', form_page)
    assert re.search(r'name="q.priorities.training"[^>]*value="3"', form_page)
    assert hidden_fields(form_page)["submission_id"] == fields["submission_id"]


@pytest.mark.parametrize(("typed", "why_a", "anything"), SHOW_IF_CASES)
def test_show_if_on_points_asks_about_the_options_given_points(typed, why_a, anything):
    """A points question answers ``show_if`` with the options given at least one point,
    once its points are whole and add up; otherwise it counts as not answered."""
    instrument = parse_instrument_text(FOLLOW_UPS, "f.yaml")
    form = MultiDict([(f"q.split.{key}", points) for key, points in zip("abc", typed, strict=True)])
    read = read_answers(instrument, form)
    assert ("why_a" not in read.hidden, "anything" not in read.hidden) == (why_a, anything)


def test_show_if_on_points_through_the_form(app, client, tmp_path, make_workshop):
    path = tmp_path / "follow-ups.yaml"
    path.write_text(FOLLOW_UPS, encoding="utf-8")
    workshop = make_workshop(path)
    fields = open_form(client, workshop.join_code)
    page = client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    assert (
        'data-show-if="{&#34;in&#34;: [&#34;a&#34;], &#34;question&#34;: &#34;split&#34;}"' in page
    )
    asked = [("q.split.a", "4"), ("q.split.b", "6"), ("q.why_a", "Weil."), ("q.anything", "Ja.")]
    assert post_form(client, workshop.join_code, fields, asked).status_code == 200
    client = app.test_client()  # another participant
    fields = open_form(client, workshop.join_code)
    dropped = [("q.split.b", "10"), ("q.why_a", "Weil."), ("q.anything", "Nein.")]
    assert post_form(client, workshop.join_code, fields, dropped).status_code == 200
    with app.app_context():
        rows = db.session.scalars(select(Answer).where(Answer.question_key != "split")).all()
        assert sorted((a.question_key, a.value_text) for a in rows) == [
            ("anything", "Ja."), ("anything", "Nein."), ("why_a", "Weil.")
        ]  # fmt: skip


def _points_page(client, make_workshop, tmp_path, budget: int, language: str) -> str:
    path = tmp_path / f"plurals-{budget}.yaml"
    path.write_text(FIVE_LANGUAGES % budget, encoding="utf-8")
    workshop = make_workshop(path)
    return client.get(f"/j/{workshop.join_code}?lang={language}").get_data(as_text=True)


def _data(page: str, name: str) -> Any:
    found = re.search(rf'<ul class="points"[^>]* {name}="([^"]*)"', page)
    assert found, name
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    ("language", "budget", "rule", "done"),
    [
        ("en", 1, "Give 1 point in all.", "1 point given"),
        ("en", 10, "Give 10 points in all.", "All 10 points given"),
        ("de", 1, "Vergeben Sie insgesamt 1 Punkt.", "1 Punkt vergeben"),
        ("tr", 1, "Toplam 1 puan verin.", "1 puanın hepsi verildi"),
        ("uk", 21, "Розподіліть загалом 21 бал.", "21 бал розподілено"),
        ("uk", 3, "Розподіліть загалом 3 бали.", "Усі 3 бали розподілено"),
        ("uk", 11, "Розподіліть загалом 11 балів.", "Усі 11 балів розподілено"),
        ("ar", 2, "وزّعوا نقطتين إجمالًا.", "تم توزيع النقطتين كلتيهما"),
        ("ar", 5, "وزّعوا 5 نقاط إجمالًا.", "تم توزيع كل النقاط الـ5"),
        ("ar", 11, "وزّعوا 11 نقطةً إجمالًا.", "تم توزيع كل النقاط الـ11"),
        ("ar", 100, "وزّعوا 100 نقطة إجمالًا.", "تم توزيع كل النقاط الـ100"),
    ],
)
def test_the_texts_with_a_count_take_its_plural_form(
    client, make_workshop, tmp_path, language, budget, rule, done
):
    page = _points_page(client, make_workshop, tmp_path, budget, language)
    assert f">{rule}</p>" in page
    assert _data(page, "data-done") == done


@pytest.mark.parametrize(
    ("language", "left", "over", "forms_of"),
    [
        ("en", ["{num} point left", "{num} points left"], ["{num} point too many",
         "{num} points too many"], {1: 0, 0: 1, 2: 1, 21: 1, 101: 1}),
        ("tr", ["{num} puan kaldı"], ["{num} puan fazla"], {1: 0, 2: 0}),
        ("uk", ["Залишився {num} бал", "Залишилося {num} бали", "Залишилося {num} балів"],
         ["На {num} бал забагато", "На {num} бали забагато", "На {num} балів забагато"],
         {1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 21: 0, 22: 1, 111: 2, 122: 1}),
        # the Arabic catalogue's fifth form is of 100-102, its sixth of 11-99
        ("ar", ["تبقّى {num} نقطة", "تبقّت نقطة واحدة", "تبقّت نقطتان", "تبقّت {num} نقاط",
                "تبقّت {num} نقطة", "تبقّت {num} نقطةً"],
         ["{num} نقطة زائدة", "نقطة واحدة زائدة", "نقطتان زائدتان", "{num} نقاط زائدة",
          "{num} نقطة زائدة", "{num} نقطةً زائدة"],
         {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 5, 99: 5, 100: 4, 102: 4, 103: 3, 111: 5}),
    ],
)  # fmt: skip
def test_the_live_counter_gets_every_plural_form(
    client, make_workshop, tmp_path, language, left, over, forms_of
):
    """points.js fills in the form of its count: each form, and which count takes which."""
    page = _points_page(client, make_workshop, tmp_path, 10, language)
    assert json.loads(_data(page, "data-left")) == left
    assert json.loads(_data(page, "data-over")) == over
    rule = _data(page, "data-plural")
    assert len(rule) == 200 and {count: int(rule[count]) for count in forms_of} == forms_of


@pytest.mark.parametrize(
    ("language", "budget", "typed", "message"),
    [
        ("en", 1, "2", "Please give exactly 1 point in all; you gave 2."),
        ("en", 10, "2", "Please give exactly 10 points in all; you gave 2."),
        ("uk", 2, "1", "Будь ласка, розподіліть рівно 2 бали; ви розподілили 1."),
        ("uk", 5, "1", "Будь ласка, розподіліть рівно 5 балів; ви розподілили 1."),
        ("ar", 1, "3", "يُرجى إعطاء نقطة واحدة بالضبط؛ أعطيتم 3."),
        ("ar", 12, "3", "يُرجى توزيع 12 نقطةً بالضبط؛ وزّعتم 3."),
    ],
)
def test_the_remark_on_a_wrong_sum_takes_the_plural_form(
    client, make_workshop, tmp_path, language, budget, typed, message
):
    path = tmp_path / "plurals.yaml"
    path.write_text(FIVE_LANGUAGES % budget, encoding="utf-8")
    workshop = make_workshop(path)
    fields = open_form(client, workshop.join_code)
    fields = {**fields, "lang": language}
    answer = post_form(client, workshop.join_code, fields, [("q.split.a", typed)])
    assert answer.status_code == 422
    assert message in html.unescape(answer.get_data(as_text=True))


@pytest.mark.parametrize(
    ("language", "key", "count", "values", "expected"),
    [
        ("en", "points_each", 1, {"points": 1}, "1 point per respondent"),
        ("en", "points_each", 10, {"points": 10}, "10 points per respondent"),
        ("de", "points_each", 1, {"points": 1}, "1 Punkt je Antwort"),
        ("uk", "points_each", 2, {"points": 2}, "2 бали на відповідь"),
        ("uk", "points_each", 21, {"points": 21}, "21 бал на відповідь"),
        ("uk", "points_each", 10, {"points": 10}, "10 балів на відповідь"),
        ("ar", "points_each", 10, {"points": 10}, "10 نقاط لكل إجابة"),
        ("ar", "points_each", 11, {"points": 11}, "11 نقطةً لكل إجابة"),
        ("en", "points_axis", 1, {"total": "1"}, "share of the 1 point"),
        ("de", "points_axis", 1650, {"total": "1.650"}, "Anteil an allen 1.650 Punkten"),
        ("en", "alt_points", 1, {"n": "1", "points": 10},
         "Bar chart of the share of all points (1 respondent, 10 each)"),
        ("uk", "alt_points", 3, {"n": "3", "points": 10},
         "Стовпчикова діаграма часток усіх балів (3 відповіді, по 10)"),
    ],
)  # fmt: skip
def test_chart_and_table_words_take_the_plural_form(language, key, count, values, expected):
    assert word(wording(language, 5), key, count, **values) == expected


def test_not_answering_is_allowed_when_optional(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    blank = [*REQUIRED, ("q.priorities.funding", ""), ("q.priorities.rooms", " ")]
    assert post_form(client, workshop.join_code, fields, blank).status_code == 200
    with app.app_context():
        assert (
            db.session.scalars(select(Answer).where(Answer.question_key == "priorities")).all()
            == []
        )


def test_summary_counts_points_and_givers_by_hand(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    result = question(summary(app, Scope.workshop(workshop.id)), "priorities")
    # 7 answered, 10 points each = 70; Wilson 95 % intervals of 5, 4 and 3 of 7
    expected = [
        ("rooms", 5, 28, (0.3589, 0.9178)),
        ("funding", 4, 23, (0.2505, 0.8418)),
        ("training", 3, 19, (0.1582, 0.7495)),
    ]
    assert result["n"] == 7 and result["points"] == 10
    for option, (key, givers, total, (low, high)) in zip(result["options"], expected, strict=True):
        assert option["key"] == key
        assert_close(
            {name: option[name] for name in ("count", "share", "ci_low", "ci_high",
                                             "points_total", "points_share", "mean_points")},
            {"count": givers, "share": givers / 7, "ci_low": low, "ci_high": high,
             "points_total": total, "points_share": total / 70, "mean_points": total / 7},
        )  # fmt: skip
    assert sum(o["points_total"] for o in result["options"]) == 70


def split_workshop(app, make_workshop, tmp_path, budget: int, people: list[tuple[int, ...]]):
    """A workshop of the three-option question with ``budget`` points; one tuple per person."""
    path = tmp_path / "split.yaml"
    path.write_text(THREE_OPTIONS % budget, encoding="utf-8")
    instrument, _ = parse_instrument_file(path)
    workshop = make_workshop(path)
    answers = [[(f"q.split.{key}", str(p)) for key, p in zip("abc", person, strict=True)]
               for person in people]  # fmt: skip
    store_responses(app, workshop, answers, instrument)
    with app.app_context():
        result = summarize_scope(instrument, Scope.workshop(workshop.id), ResultSettings(5))
    return question(result, "split")


def test_small_givers_hide_their_points_and_the_rest_reads_right(app, make_workshop, tmp_path):
    # C: 4 givers and 20 points; A's and B's 90 each of 200 would tell C's 20,
    # and 20 points need at least 2 givers: one more total is hidden
    people = [(10, 0, 0)] * 8 + [(0, 10, 0)] * 8 + [(5, 0, 5)] * 2 + [(0, 5, 5)] * 2
    result = split_workshop(app, make_workshop, tmp_path, 10, people)
    by_key = {o["key"]: o for o in result["options"]}
    assert by_key["c"]["reason"] == "small" and by_key["a"]["count"] == by_key["b"]["count"] == 10
    assert not {"points_total", "points_share", "mean_points"} & set(by_key["c"])
    totals = [o.get("points_total") for o in (by_key["a"], by_key["b"])]
    assert None in totals and set(totals) - {None} <= {90}, totals
    # options without shown points follow, by key: their place would bound their points
    shown_first = [o["key"] for o in result["options"]]
    assert shown_first[-1] == "c" and shown_first[0] == ("a" if totals[0] else "b")
    # the table and the chart say why, and draw no bar for them
    texts = texts_for(ROOT / "reports" / "briefing", "de")
    table = POINTS.summary_table(result, Writer("de", texts, numbers_for("de"), 5))
    rows = {row.label: row for row in table.rows}
    assert rows["C"].span == "weniger als 5"
    written = sorted(str(row.cells[0]) for row in rows.values() if row.span is None)
    assert written == ["90", "nicht gezeigt"]
    assert "10 Punkte je Antwort" in table.note and "n = 20" in table.note
    figure = POINTS.figure(result, wording("de", 5))
    bars = figure["data"][0]
    assert sorted(x for x in bars["x"] if x is not None) == [pytest.approx(0.45)]
    assert "Anteil an allen 200 Punkten" in figure["layout"]["xaxis"]["title"]["text"]


def test_a_hidden_option_stands_among_those_given_no_points(app, make_workshop, tmp_path):
    """Options are listed by points; one whose points are hidden is not listed after the
    options given none (it would read as the least of all), nor between shown ones (its
    place would bound its points): it stands among those given none, all by key, as a
    choice question's hidden option stands among those nobody chose."""
    four = THREE_OPTIONS.replace(
        '          - {key: c, label: {de: "C", en: "C"}}\n',
        '          - {key: c, label: {de: "C", en: "C"}}\n'
        '          - {key: d, label: {de: "D", en: "D"}}\n',
    )
    path = tmp_path / "four.yaml"
    path.write_text(four % 10, encoding="utf-8")
    instrument, _ = parse_instrument_file(path)
    workshop = make_workshop(path)
    # a: 2 givers (hidden), b: nobody, c: 10 givers, d: 8 givers
    people = [(0, 0, 10, 0)] * 8 + [(0, 0, 0, 10)] * 8 + [(3, 0, 7, 0)] * 2
    answers = [[(f"q.split.{key}", str(p)) for key, p in zip("abcd", person, strict=True)]
               for person in people]  # fmt: skip
    store_responses(app, workshop, answers, instrument)
    with app.app_context():
        result = summarize_scope(instrument, Scope.workshop(workshop.id), ResultSettings(5))
    options = question(result, "split")["options"]
    assert [o["key"] for o in options] == ["c", "d", "a", "b"]
    assert options[2]["suppressed"] and options[3]["points_total"] == 0
    # the table lists them in that order
    texts = texts_for(ROOT / "reports" / "briefing", "en")
    table = POINTS.summary_table(
        question(result, "split"), Writer("en", texts, numbers_for("en"), 5)
    )
    assert [row.label for row in table.rows] == ["C", "D", "A", "B"]


def _allocations(budget: int) -> list[tuple[int, int, int]]:
    return [(a, b, budget - a - b) for a in range(budget + 1) for b in range(budget + 1 - a)]


def _feasible_counts(published: dict[str, Any], n: int, budget: int, k: int) -> dict[str, set]:
    """Per option, every number of givers that agrees with everything shown."""
    options = [next(o for o in published["options"] if o["key"] == key) for key in "abc"]
    possible: dict[str, set] = {key: set() for key in "abc"}
    for people in itertools.combinations_with_replacement(_allocations(budget), n):
        truth = [(sum(1 for p in people if p[i]), sum(p[i] for p in people)) for i in range(3)]
        if all(_agrees(o, *t, k) for o, t in zip(options, truth, strict=True)):
            for key, (givers, _) in zip("abc", truth, strict=True):
                possible[key].add(givers)
    return possible


def _agrees(option: dict[str, Any], count: int, total: int, k: int) -> bool:
    if option.get("suppressed"):
        return {"small": 0 < count < k, "protects": count == 0 or count >= k}.get(
            option["reason"], True
        )
    if option["count"] != count:
        return False
    return "points_total" not in option or option["points_total"] == total


@pytest.mark.parametrize(
    "people",
    [
        # C: one giver of one point; A's 18 and B's 17 of 36 points would tell it
        [(3, 0, 0)] * 6 + [(0, 3, 0)] * 5 + [(0, 2, 1)],
        # C: 2 givers of 4 points; 36 - 18 - 14 would say at least 2 (4 points, 3 each)
        [(3, 0, 0)] * 6 + [(0, 3, 0)] * 4 + [(0, 1, 2)] * 2,
        # too few answers to show much: still nothing narrowed
        [(3, 0, 0)] * 6 + [(2, 1, 0)],
    ],
)
def test_points_shown_never_narrow_a_hidden_count(app, make_workshop, tmp_path, people):
    published = split_workshop(app, make_workshop, tmp_path, 3, people)
    shown = [o for o in published.get("options", []) if not o.get("suppressed")]
    assert shown or len(people) < 10, "the larger cases show options, so the check bites"
    possible = _feasible_counts(published, len(people), 3, 5) if "options" in published else {}
    for index, key in enumerate("abc"):
        givers = sum(1 for person in people if person[index])
        assert key not in possible or givers in possible[key]
        if 0 < givers < 5 and key in possible:
            assert {1, 4} <= possible[key], f"{key}'s {givers} narrowed to {possible[key]}"


def test_export_codebook_and_key_finding(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    instrument, _ = parse_instrument_file(ALL_TYPES)
    with app.app_context():
        table = raw_table(instrument, [workshop.id], "de")
        rows = list(table.rows)
    columns = ["priorities.funding", "priorities.rooms", "priorities.training"]
    assert all(c in table.columns for c in columns)
    given = Counter()
    for row in rows:
        if row.get("priorities.funding") is not None:
            assert sum(row[c] for c in columns) == 10
            given.update({c: row[c] for c in columns})
    assert given == {"priorities.funding": 23, "priorities.rooms": 28, "priorities.training": 19}
    assert sum(1 for row in rows if row.get("priorities.funding") is None) == 3  # 3 skipped
    entry = next(e for e in codebook(instrument, "en") if e["column"] == "priorities.rooms")
    assert entry["type"] == "points_allocation" and "add up to 10" in entry["codes"]
    result = question(summary(app, Scope.workshop(workshop.id)), "priorities")
    [finding] = POINTS.key_finding_candidates(result, 1)
    assert finding.text == "finding_no_clear_lead"  # 5 of 7 and 4 of 7 overlap


def test_a_changed_budget_is_a_change_between_versions():
    from survey_app.instruments.diff import question_changes

    ten = parse_instrument_text(THREE_OPTIONS % 10, "f.yaml").question("split")
    five = parse_instrument_text(THREE_OPTIONS % 5, "f.yaml").question("split")
    changes = list(question_changes(ten, five, "de"))
    assert any(c.kind == "setting" and c.field == "points" for c in changes), changes
