"""The "don't know" of rating and likert questions: definition, form, rows, summary,
protection, tables, API and export, end to end.

"Don't know" answers a question (a required one too) and is counted apart: never a
point of the scale, never in a mean, median, top-2 box or the points' shares.
"""

from __future__ import annotations

import csv
import io
import itertools
import re

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from survey_app.briefing.texts import numbers_for, texts_for
from survey_app.exports.codebook import codebook
from survey_app.extensions import db
from survey_app.instruments import parse_instrument_file, parse_instrument_text
from survey_app.models import Answer
from survey_app.questions import QUESTION_TYPES, AnswerRow
from survey_app.questions._figures import wording
from survey_app.questions._tables import Writer
from survey_app.responses.answers import read_answers
from survey_app.results import ResultSettings, Scope, summarize_scope
from survey_app.results.suppression import suppress_summary

from .conftest import FIXTURES, ROOT, login
from .helpers import hidden_fields, open_form, post_form
from .support.responses import close_workshops, store_responses
from .test_instruments import problems

DONT_KNOW_FILE = FIXTURES / "dont-know.yaml"
INSTRUMENT, _ = parse_instrument_file(DONT_KNOW_FILE)
RATING = QUESTION_TYPES["rating"]
LIKERT = QUESTION_TYPES["likert"]

SMALL = """\
format: 1
key: dk
version: 1
title: {de: "T", en: "T"}
languages: [de, en]
sections:
  - key: s
    title: {de: "S", en: "S"}
    questions:
      - key: overall
        type: rating
        label: {de: "G", en: "O"}
%s"""


def read(*pairs: tuple[str, str]):
    return read_answers(INSTRUMENT, MultiDict(pairs))


def question_of(result, key: str):
    return next(q for q in result["questions"] if q["key"] == key)


def writer(language: str = "en", k: int = 5) -> Writer:
    texts = texts_for(ROOT / "reports" / "briefing", language)
    return Writer(language, texts, numbers_for(language), k)


# -- the instrument ---------------------------------------------------------------------


def test_the_instrument_says_whether_a_scale_offers_dont_know():
    overall, support, plain = (INSTRUMENT.question(k) for k in ("overall", "support", "plain"))
    assert overall.dont_know and support.dont_know and not plain.dont_know
    assert overall.dont_know_label == {}
    assert support.dont_know_label["en"] == "Can't say"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("        dont_know: yes please\n",
         r"^f\.yaml:13: sections\[1\]\.questions\[1\]\.dont_know: must be true or false"),
        ("        dont_know: 1\n",
         r"^f\.yaml:13: sections\[1\]\.questions\[1\]\.dont_know: must be true or false"),
        ("        dont_know_label: {de: W, en: D}\n",
         r"^f\.yaml:13: .*questions\[1\]\.dont_know_label: needs 'dont_know: true'"),
        ("        dont_know: true\n        dont_know_label: {de: W}\n",
         r"^f\.yaml:14: .*questions\[1\]\.dont_know_label: missing translation: en"),
        ("        dont_knw: true\n", r"unknown field 'dont_knw' \(did you mean 'dont_know'\?\)"),
    ],
)  # fmt: skip
def test_a_wrong_dont_know_is_reported_with_its_line(extra, expected):
    found = problems(SMALL % extra)
    assert any(re.search(expected, p) for p in found), found


def test_no_scale_point_may_be_called_dont_know():
    custom = """\
      - key: agree
        type: likert
        label: {de: "Z", en: "A"}
        items: [{key: a, label: {de: "A", en: "A"}}]
        scale:
          - {key: yes_, value: 1, label: {de: "Ja", en: "Yes"}}
          - {key: dont_know, value: 0, label: {de: "Weiß nicht", en: "Don't know"}}
"""
    found = problems(SMALL % custom)
    assert any(
        re.search(r"^f\.yaml:19: .*scale\[2\]\.key: 'dont_know' is reserved", p) for p in found
    ), found


# -- answers ----------------------------------------------------------------------------


def test_dont_know_is_stored_apart_from_the_points_and_from_no_answer():
    result = read(("q.overall", "dont_know"), ("q.support.city", "dont_know"),
                  ("q.support.state", "agree"))  # fmt: skip
    assert result.errors == {}
    rows = [r for r in result.rows if r.question_key in ("overall", "support")]
    assert rows == [
        AnswerRow("overall", option_key="dont_know"),
        AnswerRow("support", item_key="city", option_key="dont_know"),
        AnswerRow("support", item_key="state", option_key="agree", value_num=4.0),
    ]
    assert RATING.form_values(INSTRUMENT.question("overall"), rows[:1]) == [
        ("q.overall", "dont_know")
    ]
    assert LIKERT.form_values(INSTRUMENT.question("support"), rows[1:]) == [
        ("q.support.city", "dont_know"),
        ("q.support.state", "agree"),
    ]


def test_a_required_rating_is_answered_by_dont_know():
    assert "overall" in read(("q.support.city", "agree")).errors
    assert read(("q.overall", "dont_know")).errors == {}


def test_dont_know_is_refused_where_it_is_not_offered():
    assert "plain" in read(("q.overall", "3"), ("q.plain", "dont_know")).errors
    assert "overall" in read(("q.overall", "Dont_Know")).errors


# -- the form ---------------------------------------------------------------------------


def test_the_form_offers_dont_know_and_shows_it_back_on_edit(app, client, make_workshop):
    workshop = make_workshop(DONT_KNOW_FILE)
    fields = open_form(client, workshop.join_code, "en")
    page = client.get(f"/j/{workshop.join_code}?lang=en").get_data(as_text=True)
    # after the points, in the same radio group; the instrument's own label where it has one
    rating = page[page.index('id="q-overall"') : page.index('id="q-support"')]
    assert rating.index('value="5"') < rating.index('class="dont-know"')
    assert '<input type="radio" name="q.overall" value="dont_know">' in rating
    assert "Don&#39;t know" in rating or "Don't know" in rating
    assert '<input type="radio" name="q.support.city" value="dont_know">' in page
    assert "Can&#39;t say" in page or "Can't say" in page
    plain = page[page.index('id="q-plain"') :]
    assert "dont_know" not in plain
    answers = [("q.overall", "dont_know"), ("q.support.city", "dont_know"),
               ("q.support.state", "agree")]  # fmt: skip
    thanks = post_form(client, workshop.join_code, fields, answers)
    assert thanks.status_code == 200
    with app.app_context():
        rows = db.session.scalars(select(Answer).order_by(Answer.id)).all()
        assert [(a.question_key, a.item_key, a.option_key, a.value_num) for a in rows] == [
            ("overall", None, "dont_know", None),
            ("support", "city", "dont_know", None),
            ("support", "state", "agree", 4.0),
        ]
    link = re.search(r'<p class="edit-link"><a href="([^"]+)"', thanks.get_data(as_text=True))
    form_page = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert '<input type="radio" name="q.overall" value="dont_know" checked>' in form_page
    assert '<input type="radio" name="q.support.city" value="dont_know" checked>' in form_page
    assert re.search(r'name="q.support.state" value="agree" checked', form_page)
    assert hidden_fields(form_page)["submission_id"] == fields["submission_id"]


def test_clear_empties_dont_know_without_javascript(app, client, make_workshop):
    workshop = make_workshop(DONT_KNOW_FILE)
    fields = open_form(client, workshop.join_code, "en")
    answers = [("q.overall", "4"), ("q.support.city", "dont_know"),
               ("clear", "q.support.city")]  # fmt: skip
    page = post_form(client, workshop.join_code, fields, answers)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="dont_know" checked' not in html


# -- summaries --------------------------------------------------------------------------


def _summary(app, make_workshop, responses, k: int = 1):
    workshop = make_workshop(DONT_KNOW_FILE)
    store_responses(app, workshop, responses, INSTRUMENT)
    with app.app_context():
        return summarize_scope(INSTRUMENT, Scope.workshop(workshop.id), ResultSettings(k))


def test_the_mean_leaves_dont_know_out(app, make_workshop):
    result = _summary(
        app,
        make_workshop,
        [
            [("q.overall", "1"), ("q.support.city", "strongly_disagree")],
            [("q.overall", "5"), ("q.support.city", "strongly_agree")],
            [("q.overall", "dont_know"), ("q.support.city", "dont_know")],
        ],
    )
    overall = question_of(result, "overall")
    assert overall["n"] == 3 and overall["n_scale"] == 2
    assert overall["mean"] == 3.0 and overall["median"] == 3.0
    assert overall["dont_know"]["count"] == 1
    assert overall["dont_know"]["share"] == pytest.approx(1 / 3)
    assert overall["dont_know"]["label"] == {
        "de": "Weiß nicht",
        "en": "Don't know",
        "ar": "لا أعرف",
    }
    shares = {o["key"]: o["share"] for o in overall["options"]}
    assert shares == {"1": 0.5, "2": 0.0, "3": 0.0, "4": 0.0, "5": 0.5}
    city = question_of(result, "support")["items"][0]
    assert (city["n"], city["n_scale"], city["dont_know"]["count"]) == (3, 2, 1)
    assert city["mean"] == 3.0 and city["top2_count"] == 1 and city["top2_share"] == 0.5
    assert sum(p["count"] for p in city["distribution"]) == 2
    assert city["dont_know"]["label"]["en"] == "Can't say"
    assert question_of(result, "support")["dont_know_label"]["de"] == "Kann ich nicht sagen"
    plain = question_of(result, "plain")  # offers none: the summary is as it always was
    assert "dont_know" not in plain and "n_scale" not in plain


def test_tables_charts_and_alt_text_show_dont_know_apart(app, make_workshop):
    responses = [[("q.overall", "4"), ("q.support.city", "agree")]] * 6
    responses += [[("q.overall", "dont_know"), ("q.support.city", "dont_know")]] * 6
    result = _summary(app, make_workshop, responses, k=5)
    overall, support = question_of(result, "overall"), question_of(result, "support")
    table = RATING.summary_table(overall, writer("en"))
    labels = [row.label for row in table.rows]
    assert labels == ["1", "2", "3", "4", "5", "Don't know"]
    assert [str(c) for c in table.rows[-1].cells][:2] == ["6", "50%"]
    assert [str(c) for c in table.rows[3].cells][:2] == ["6", "100%"]  # of those on the scale
    assert "n = 12" in table.note and "shares of the 6 who chose one" in table.note
    figure = RATING.figure(overall, wording("en", 5))
    assert "Don't know: 50%" in figure["layout"]["xaxis"]["title"]["text"]
    assert RATING.alt_text(overall, writer("en")).endswith("4 100%; 5 0%; Don't know: 50%.")
    likert = LIKERT.summary_table(support, writer("de"))
    assert likert.head[-1] == "Kann ich nicht sagen"
    city = likert.rows[0]
    assert [str(c) for c in city.cells] == ["12", "100\xa0%", city.cells[2].text, "4,0", "50\xa0%"]
    bars = LIKERT.figure(support, wording("de", 5))
    assert any("Kann ich nicht sagen: 50\xa0%" in str(label) for label in bars["data"][0]["y"])


def test_a_small_dont_know_count_is_hidden_and_cannot_be_worked_out(app, make_workshop):
    """12 answered, 2 of them "don't know" (k = 5): the 2 is hidden, and so is the 10 who
    chose a point (12 - 10 would give it away), with the points' shares (of the 10)."""
    state = [("q.support.state", "agree"), ("q.support.state", "disagree")]
    responses = [[("q.overall", "4"), ("q.support.city", "agree"), state[i % 2]] for i in range(5)]
    responses += [
        [("q.overall", "5"), ("q.support.city", "strongly_agree"), state[i % 2]] for i in range(5)
    ]
    responses += [[("q.overall", "dont_know"), ("q.support.city", "dont_know"), s] for s in state]
    result = _summary(app, make_workshop, responses, k=5)
    for found in (question_of(result, "overall"), question_of(result, "support")["items"][0]):
        _assert_dont_know_hidden(found)
    table_of = question_of(result, "overall")
    if not table_of.get("suppressed"):
        table = RATING.summary_table(table_of, writer("de"))
        assert table.rows[-1].span == "weniger als 5"
        figure = RATING.figure(table_of, wording("de", 5))
        assert "Weiß nicht: weniger als 5" in figure["layout"]["xaxis"]["title"]["text"]


def test_a_small_dont_know_of_a_rating_alone_cannot_be_worked_out(app, make_workshop):
    responses = [[("q.overall", "4")]] * 5 + [[("q.overall", "5")]] * 5
    responses += [[("q.overall", "dont_know")]] * 2
    overall = question_of(_summary(app, make_workshop, responses, k=5), "overall")
    _assert_dont_know_hidden(overall)


def _possible_dont_know(rating, k: int = 5) -> set[int]:
    """Return every "don't know" count an outsider cannot rule out from a published rating.

    Every split of its n into the points and "don't know" is tried (enumerated) against
    each number shown: counts, labels of hidden cells, who chose a point, shares, mean.
    """

    def agrees(cell, value: int) -> bool:
        if not cell.get("suppressed"):
            return cell["count"] == value
        if cell["reason"] == "small":
            return 0 < value < k
        if cell["reason"] == "protects":
            return value == 0 or value >= k
        return True  # withheld: any count

    n, points = rating["n"], rating["options"]
    possible = set()
    for cuts in itertools.combinations(range(n + len(points)), len(points)):
        bounds = [-1, *cuts, n + len(points)]
        *counts, dont_know = [b - a - 1 for a, b in itertools.pairwise(bounds)]
        chose = sum(counts)
        if not agrees(rating["dont_know"], dont_know) or rating.get("n_scale", chose) != chose:
            continue
        if not all(agrees(p, c) for p, c in zip(points, counts, strict=True)):
            continue
        shares = [p.get("share") for p in points]
        if chose and any(s is not None and abs(s - c / chose) > 1e-9
                         for s, c in zip(shares, counts, strict=True)):  # fmt: skip
            continue
        mean = rating.get("mean")
        if mean is not None and chose:
            if (
                abs(mean - sum(p["value"] * c for p, c in zip(points, counts, strict=True)) / chose)
                > 1e-9
            ):
                continue
        possible.add(dont_know)
    return possible


def _assert_dont_know_hidden(found) -> None:
    """The 2 "don't know" of 12 is not published and no shown number gives it away.

    Either the whole question (likert item) is hidden, or its "don't know" is "fewer
    than 5" and the 10 who chose a point are hidden with every point (their shares are
    of the 10, and 12 - 10 = 2).
    """
    if found.get("suppressed"):
        assert set(found) <= {"key", "label", "type", "suppressed", "reason"}
        return
    points = "options" if "options" in found else "distribution"
    if points == "options":  # what an outsider cannot rule out still spans 1..k-1
        assert _possible_dont_know(found) >= {1, 2, 3, 4}
    assert found["n"] == 12
    assert found["dont_know"] == {
        "key": "dont_know",
        "label": found["dont_know"]["label"],
        "suppressed": True,
        "reason": "small",
    }
    assert "n_scale" not in found and "mean" not in found and "median" not in found
    assert "top2_share" not in found
    assert all(p.get("suppressed") and "count" not in p for p in found[points])


def test_suppression_on_its_own_protects_dont_know_like_any_cell():
    raw = {
        "n_responses": 12,
        "questions": [
            {"key": "overall", "type": "rating", "label": {"en": "O"}, "n": 12, "n_scale": 9,
             "options": [{"key": str(p), "label": {"en": str(p)}, "value": p,
                          "count": c, "share": c / 9, "ci_low": 0.1, "ci_high": 0.9}
                         for p, c in zip(range(1, 6), (0, 0, 0, 4, 5), strict=True)],
             "mean": 41 / 9, "median": 5.0,
             "dont_know": {"key": "dont_know", "label": {"en": "Don't know"}, "count": 3,
                           "share": 0.25, "ci_low": 0.1, "ci_high": 0.5}},
        ],
    }  # fmt: skip
    protected = question_of(suppress_summary(raw, 5), "overall")
    assert not protected.get("suppressed")  # shown: 12 answered; the 3 and the 9 are not
    _assert_dont_know_hidden(protected)
    # the attack this stops: the 3 hidden alone, 12 minus the 9 who chose a point
    naive = {
        **raw["questions"][0],
        "dont_know": {"key": "dont_know", "label": {}, "suppressed": True, "reason": "small"},
    }
    assert _possible_dont_know(naive) == {3}


def test_enough_dont_know_is_shown(app, make_workshop):
    responses = [[("q.overall", "4")]] * 5 + [[("q.overall", "dont_know")]] * 5
    overall = question_of(_summary(app, make_workshop, responses, k=5), "overall")
    assert overall["dont_know"]["count"] == 5 and overall["n_scale"] == 5
    assert overall["mean"] == 4.0


# -- API and export ---------------------------------------------------------------------


def test_the_api_summary_counts_dont_know_apart(app, client, make_workshop, make_user, runner):
    workshop = make_workshop(DONT_KNOW_FILE)
    make_user("v@example.org", "viewer", workshop.series_id, "read")
    responses = [[("q.overall", "1")]] * 5 + [[("q.overall", "5")]] * 5
    responses += [[("q.overall", "dont_know")]] * 6
    store_responses(app, workshop, responses, INSTRUMENT)
    close_workshops(app, workshop)
    value = runner.invoke(args=["users", "token", "--email", "v@example.org"]).output.strip()
    body = client.get(
        f"/api/v1/workshops/{workshop.id}/summary", headers={"Authorization": f"Bearer {value}"}
    )
    assert body.status_code == 200
    overall = question_of(body.get_json(), "overall")
    assert (overall["n"], overall["n_scale"], overall["mean"]) == (16, 10, 3.0)
    assert overall["dont_know"]["count"] == 6 and overall["dont_know"]["share"] == 6 / 16
    assert [(o["key"], o["count"], o["share"]) for o in overall["options"]] == [
        ("1", 5, 0.5), ("2", 0, 0.0), ("3", 0, 0.0), ("4", 0, 0.0), ("5", 5, 0.5)
    ]  # fmt: skip
    document = client.get("/api/v1/openapi.json").get_json()
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    schema = {"$ref": "urn:openapi#/components/schemas/Summary"}
    registry = Registry().with_resource("urn:openapi", resource)
    jsonschema.Draft202012Validator(schema, registry=registry).validate(body.get_json())


def test_the_export_codes_dont_know_in_a_column_of_its_own(app, client, make_workshop, make_user):
    workshop = make_workshop(DONT_KNOW_FILE)
    make_user("fac@example.org", "facilitator", workshop.series_id, "manage")
    store_responses(
        app,
        workshop,
        [
            [("q.overall", "dont_know"), ("q.support.city", "dont_know")],
            [("q.overall", "2"), ("q.support.city", "agree")],
            [("q.overall", "3")],
        ],
        INSTRUMENT,
    )
    login(client, "fac@example.org")
    answer = client.get(f"/workshops/{workshop.id}/export.csv?lang=en")
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    picked = [
        (r["overall"], r["overall_dont_know"], r["support.city"], r["support.city_label"],
         r["support.city_dont_know"], r["plain"])
        for r in rows
    ]  # fmt: skip
    assert picked == [
        ("", "1", "", "Can't say", "1", ""),
        ("2", "0", "4", "Agree", "0", ""),
        ("3", "0", "", "", "", ""),
    ]
    assert "plain_dont_know" not in rows[0]
    entries = {e["column"]: e["codes"] for e in codebook(INSTRUMENT, "en")}
    assert entries["overall_dont_know"].startswith("1 = Don't know")
    assert entries["overall"] == "1 to 5; empty = not answered or Don't know"
    assert entries["support.city_dont_know"].startswith("1 = Can't say")
    assert entries["plain"] == "1 to 5"


def test_parsing_a_rating_of_the_old_shape_still_works():
    text = SMALL % ""
    assert not parse_instrument_text(text, "f.yaml").question("overall").dont_know


# -- pages and the briefing -------------------------------------------------------------


def test_dashboard_projector_and_briefing_show_dont_know(
    app, client, runner, make_workshop, make_user, tmp_path
):
    workshop = make_workshop(DONT_KNOW_FILE)
    make_user("fac@example.org", "facilitator", workshop.series_id, "manage")
    responses = [[("q.overall", "2"), ("q.support.city", "agree")]] * 5
    responses += [[("q.overall", "4"), ("q.support.city", "disagree")]] * 5
    responses += [[("q.overall", "dont_know"), ("q.support.city", "dont_know")]] * 5
    store_responses(app, workshop, responses, INSTRUMENT)
    login(client, "fac@example.org")
    for page in ("live", "present", "results.json"):
        answer = client.get(f"/workshops/{workshop.id}/{page}?lang=de")
        assert answer.status_code == 200, page
    data = client.get(f"/workshops/{workshop.id}/results.json?lang=de").get_json()
    rating = next(q for q in data["questions"] if q["key"] == "overall")
    assert "Anteil an 10 Antwortenden · Weiß nicht: 33" in str(rating["figure"])
    assert re.search(r'<tr class="apart"><th scope="row">Weiß nicht</th><td[^>]*><bdi>5</bdi>',
                     rating["table"])  # fmt: skip
    likert = next(q for q in data["questions"] if q["key"] == "support")
    labels = likert["figure"]["data"][0]["y"]
    assert labels[0] == "Das Land hilft"  # nobody answered it: no share to write
    assert labels[1].startswith("Die Stadt hilft · Kann ich nicht sagen: 33")
    assert client.get(f"/j/{workshop.join_code}/results").status_code in (200, 403, 404)
    close_workshops(app, workshop)
    target = tmp_path / "b.pdf"
    result = runner.invoke(args=["briefing", "build", "--workshop", str(workshop.id), "--lang",
                                 "de", "--tables-only", "-o", str(target)])  # fmt: skip
    assert result.exit_code == 0, result.output
    from .briefing_helpers import pdf_text

    text = pdf_text(target.read_bytes())
    # the rating's points are of the 10 who chose one; "don't know" of all 15
    assert re.search(r"2 5 50 %", text) and re.search(r"Weiß nicht 5 33 %", text), text
    assert "Im Mittel 3,0 von 5 Punkten (Median 3; 10 Personen)" in text
    assert "Kann ich nicht sagen" in text


@pytest.mark.parametrize(("dont_know", "shown"), [(12, True), (6, False)])
def test_the_participants_page_shows_dont_know_only_from_2k(app, dont_know, shown):
    from survey_app.participate.participant_results import participant_summary, participant_table
    from survey_app.results.display import web_writer

    from .test_participant_results import numbers, option

    points = [option(str(p), c, 30) for p, c in zip(range(1, 6), (0, 0, 10, 10, 10), strict=True)]
    for point, value in zip(points, range(1, 6), strict=True):
        point["value"] = value
    apart = option("dont_know", dont_know, 30 + dont_know)
    rating = {"key": "overall", "type": "rating", "label": {"en": "O"}, "n": 30 + dont_know,
              "n_scale": 30, "options": points, "mean": 4.0, "dont_know": apart}  # fmt: skip
    summary = {"n_responses": 100, "questions": [rating], "min_group_size": 5}
    (result,) = participant_summary(summary)["questions"]
    assert numbers(result) <= {"share", "value", "mean"}  # no n, no count
    if shown:
        assert result["dont_know"] == {"key": "dont_know", "label": {"en": "dont_know"},
                                       "share": round(12 / 42, 2)}  # fmt: skip
    else:
        assert result["dont_know"]["suppressed"] and "share" not in result["dont_know"]
    with app.test_request_context("/?lang=en"):
        table = participant_table(result, web_writer("en", 5), "not shown")
    assert table is not None and table.rows[-1].label == "dont_know"
    assert (table.rows[-1].span == "not shown") is not shown


def test_rows_of_a_version_that_offered_it_do_not_count_where_this_one_does_not():
    from dataclasses import replace

    from survey_app.questions.data import ScopeData

    counts = {"overall": {(None, 4.0): 2, ("dont_know", None): 1}}
    data = ScopeData(None, None, 3, ("de", "en"), counts)  # type: ignore[arg-type]
    offered = INSTRUMENT.question("overall")
    with_it = RATING.summarize(offered, data)
    assert (with_it["n"], with_it["n_scale"], with_it["dont_know"]["count"]) == (3, 2, 1)
    without = RATING.summarize(replace(offered, dont_know=False), data)
    assert without["n"] == 2 and "dont_know" not in without and without["mean"] == 4.0


def test_a_new_version_that_offers_dont_know_says_so():
    from survey_app.instruments.completeness import question_texts
    from survey_app.instruments.diff import question_changes

    plain, offered = INSTRUMENT.question("plain"), INSTRUMENT.question("support")
    changes = list(question_changes(INSTRUMENT.question("overall"), plain, "en"))
    assert any(c.kind == "setting" and c.field == "dont_know" for c in changes), changes
    assert "dont_know_label" in dict(question_texts(offered))


def test_simulated_respondents_sometimes_do_not_know():
    import random

    from survey_app.demo import simulated_form

    forms = [simulated_form(INSTRUMENT, "de", random.Random(seed)) for seed in range(200)]
    for form in forms:
        assert read_answers(INSTRUMENT, form).errors == {}
    overall = [form.get("q.overall") for form in forms]
    city = [form.get("q.support.city") for form in forms]
    assert 0 < overall.count("dont_know") < 40 and 0 < city.count("dont_know") < 40
    assert "dont_know" not in [form.get("q.plain") for form in forms]


def test_a_series_does_not_give_a_workshops_small_dont_know_away(app, make_workshop):
    """Workshop A: 2 of 12 "don't know"; B: 5 of 15. The series' 7 minus B's 5 would be
    A's 2, and the series' who-chose-a-point minus B's would give A's 10 (12 - 10 = 2)."""
    first, second = make_workshop(DONT_KNOW_FILE), make_workshop(DONT_KNOW_FILE)
    store_responses(app, first, [[("q.overall", "4")]] * 5 + [[("q.overall", "5")]] * 5
                    + [[("q.overall", "dont_know")]] * 2, INSTRUMENT)  # fmt: skip
    store_responses(app, second, [[("q.overall", "4")]] * 5 + [[("q.overall", "2")]] * 5
                    + [[("q.overall", "dont_know")]] * 5, INSTRUMENT)  # fmt: skip
    close_workshops(app, first, second)
    with app.app_context():
        summaries = [
            question_of(summarize_scope(INSTRUMENT, scope, ResultSettings(5)), "overall")
            for scope in (
                Scope.workshop(first.id),
                Scope.workshop(second.id),
                Scope(frozenset({first.id, second.id})),
            )
        ]
    mine, other, series = summaries
    _assert_dont_know_hidden(mine)
    for name in ("dont_know", "n_scale"):

        def shown(summary, name=name):
            value = summary.get(name)
            return value is not None and not (isinstance(value, dict) and value.get("suppressed"))

        assert not (shown(series) and shown(other)), name
