"""The participants' results page: only after closing, and only counts of at least 2k.

The attack it stops: anyone with the join code adds answers of their own to an option
whose count of others is hidden, then reads the shown count (or a share of a shown n)
off the page and subtracts their own answers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from survey_app.extensions import db
from survey_app.models import Workshop
from survey_app.participate.participant_results import participant_summary, participant_table
from survey_app.results import ResultSettings
from survey_app.results.display import web_writer
from survey_app.results.scoped import summarize_selection
from survey_app.results.selection import select_workshops
from survey_app.workshops.operations import close_workshop

from .briefing_helpers import fill
from .conftest import FIXTURES
from .helpers import open_form, post_form
from .test_points import REQUIRED

INSTRUMENT = """\
format: 1
key: pick-one
version: 1
title: {en: "Pick one", de: "Eins wählen"}
languages: [en, de]
consent: {en: "I agree.", de: "Ich bin einverstanden."}
sections:
  - key: only
    title: {en: "Only part", de: "Einziger Teil"}
    questions:
      - key: pick
        type: single_choice
        label: {en: "Which one?", de: "Welche?"}
        required: true
        options:
          - {key: a, label: {en: "Alpha", de: "Alpha"}}
          - {key: b, label: {en: "Beta", de: "Beta"}}
          - {key: c, label: {en: "Gamma", de: "Gamma"}}
"""
ALL_TYPES = FIXTURES / "all-types.yaml"
#: The published k of the tests' series (the server's default floor).
K = 5
NOT_SHOWN = "not shown (protects a small group)"


def picks(**counts: int) -> list[list[tuple[str, str]]]:
    """Return responses choosing each option as often as ``counts`` says."""
    return [
        [("q.pick", key), ("consent", "yes")] for key, count in counts.items() for _ in range(count)
    ]


@pytest.fixture
def workshop(app, make_workshop, tmp_path) -> Workshop:
    """Return an open workshop of the one-question instrument whose results page is on."""
    path = tmp_path / "pick-one.yaml"
    path.write_text(INSTRUMENT)
    made = make_workshop(path)
    with app.app_context():
        db.session.get(Workshop, made.id).results_for_participants = True  # type: ignore[union-attr]
        db.session.commit()
    return made


def close(app, workshop: Workshop) -> None:
    """Close the workshop, as its facilitators would."""
    with app.app_context():
        found = db.session.get(Workshop, workshop.id)
        assert found is not None
        close_workshop(found)
        db.session.commit()


def results_section(client, workshop: Workshop) -> str:
    """Return the part of the results page that shows the question."""
    answer = client.get(f"/j/{workshop.join_code}/results?lang=en")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    found = re.search(r'<section class="result">.*?</section>', page, re.DOTALL)
    assert found, page
    return found.group(0)


def row(section: str, label: str) -> str:
    """Return the table row of an option."""
    found = re.search(rf"<tr[^>]*><th scope=\"row\">{label}</th>.*?</tr>", section, re.DOTALL)
    assert found, section
    return found.group(0)


def written(html: str) -> set[str]:
    """Return the numbers an HTML fragment writes: in its text and its bars' values."""
    text = re.sub(r"<[^>]*>", " ", html)
    bars = re.findall(r'<progress max="100" value="(\d+)"', html)
    return set(re.findall(r"\d+", text)) | set(bars)


def protected_option(app, workshop: Workshop, key: str) -> dict[str, Any]:
    """Return an option of the protected summary every other output gets."""
    with app.app_context():
        selection = select_workshops(db.session, workshop_ids=[workshop.id])
        # as published once the workshop closes (while open, nothing is)
        settings = replace(ResultSettings.for_selection(app.config, selection), closed_only=False)
        summary = summarize_selection(selection, settings)
    question = summary["questions"][0]
    return next(o for o in question["options"] if o["key"] == key)


# Over HTTP.


def test_answers_added_on_purpose_do_not_give_a_hidden_count_away(
    app, client, workshop, add_responses
):
    add_responses(workshop, picks(a=20, b=2, c=12))
    assert protected_option(app, workshop, "b")["suppressed"]  # 2: fewer than k
    for _ in range(K):
        attacker = app.test_client()  # a browser that sent once gets its thank-you page
        fields = open_form(attacker, workshop.join_code, "en")
        thanks = post_form(attacker, workshop.join_code, fields, picks(b=1)[0])
        assert thanks.status_code == 200
    # Now 7 choose Beta: enough for the protection of every other output, which shows 7.
    assert protected_option(app, workshop, "b")["count"] == 2 + K
    close(app, workshop)
    section = results_section(client, workshop)
    beta, gamma = row(section, "Beta"), row(section, "Gamma")
    assert NOT_SHOWN in beta and not written(beta)
    # Gamma (12) is hidden too: 100 % minus Alpha's and Gamma's shares would give Beta's.
    assert NOT_SHOWN in gamma and not written(gamma)
    # Only Alpha's share (20 of 39) is written: no count, n or interval to compute 7 from.
    assert written(section) == {"51"}


def test_before_closing_the_page_shows_no_results(app, client, workshop, add_responses):
    add_responses(workshop, picks(a=30, b=20, c=15))
    page = client.get(f"/j/{workshop.join_code}/results?lang=en").get_data(as_text=True)
    assert "The results will appear here when the workshop has closed." in page
    assert "<table" not in page and "<progress" not in page and "%" not in page
    assert "Test workshop" in page


def test_before_closing_the_notice_is_translated(client, workshop, add_responses):
    add_responses(workshop, picks(a=30))
    page = client.get(f"/j/{workshop.join_code}/results?lang=de").get_data(as_text=True)
    assert "Die Ergebnisse erscheinen hier, sobald der Workshop geschlossen ist." in page
    assert "<table" not in page


def test_a_large_group_is_shown_after_closing(app, client, workshop, add_responses):
    add_responses(workshop, picks(a=30, b=20, c=15))
    close(app, workshop)
    section = results_section(client, workshop)
    assert NOT_SHOWN not in section
    for label, share in (("Alpha", "46%"), ("Beta", "31%"), ("Gamma", "23%")):
        assert share in row(section, label)
    assert section.count("<progress") == 3
    assert written(section) == {"46", "31", "23"}  # shares only


def test_the_closed_questionnaire_leads_to_the_results(app, client, workshop):
    results = f"/j/{workshop.join_code}/results"
    assert results not in client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    close(app, workshop)
    assert results in client.get(f"/j/{workshop.join_code}").get_data(as_text=True)


def test_results_page_still_needs_the_facilitators_consent(app, client, workshop):
    with app.app_context():
        db.session.get(Workshop, workshop.id).results_for_participants = False  # type: ignore[union-attr]
        db.session.commit()
    close(app, workshop)
    assert client.get(f"/j/{workshop.join_code}/results").status_code == 404


# The rule, without a server.


def option(key: str, count: int, n: int) -> dict[str, Any]:
    """Return a shown option cell of a protected summary."""
    share = count / n
    return {"key": key, "label": {"en": key}, "count": count, "share": share,
            "ci_low": share / 2, "ci_high": min(1.0, share * 2)}  # fmt: skip


def question(type_name: str, key: str = "q", **counts: int) -> dict[str, Any]:
    """Return a shown question of a protected summary with these option counts."""
    n = sum(counts.values())
    options = [option(name, count, n) for name, count in counts.items()]
    return {"key": key, "type": type_name, "label": {"en": key}, "n": n, "options": options}


def strict(*questions: dict[str, Any], k: int = K) -> list[dict[str, Any]]:
    """Return the questions ``participant_summary`` keeps of a summary of ``questions``."""
    summary = {"n_responses": 100, "questions": list(questions), "min_group_size": k}
    return participant_summary(summary)["questions"]


def numbers(value: Any) -> set[str]:
    """Return every key of ``value`` (nested) that holds a number."""
    if isinstance(value, dict):
        found = {
            key
            for key, item in value.items()
            if isinstance(item, int | float) and not isinstance(item, bool)
        }
        return found.union(*(numbers(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(numbers(item) for item in value))
    return set()


def test_a_count_below_2k_is_hidden_with_the_next_smallest_and_no_n_or_count():
    (result,) = strict(question("single_choice", a=20, b=7, c=12))
    by_key = {o["key"]: o for o in result["options"]}
    assert by_key["b"] == {
        "key": "b",
        "label": {"en": "b"},
        "suppressed": True,
        "reason": "protects",
    }
    assert by_key["c"]["suppressed"] and "share" not in by_key["c"]
    assert by_key["a"] == {"key": "a", "label": {"en": "a"}, "share": 0.51}
    assert numbers(result) == {"share"}  # no n, count or interval


def test_2k_itself_is_shown():
    (result,) = strict(question("single_choice", a=10, b=10, c=10))
    assert [o.get("share") for o in result["options"]] == [0.33, 0.33, 0.33]


def test_the_next_smallest_is_hidden_also_where_options_do_not_partition():
    # Everyone choosing the same number of options adds up just as well.
    (result,) = strict(question("multi_choice", a=30, b=9, c=20, d=25))
    assert [o.get("suppressed", False) for o in result["options"]] == [False, True, True, False]


def test_two_hidden_options_need_no_third():
    (result,) = strict(question("single_choice", a=30, b=9, c=3, d=25))
    assert [o.get("suppressed", False) for o in result["options"]] == [False, True, True, False]


def test_a_question_answered_by_fewer_than_2k_is_hidden_whole():
    (result,) = strict(question("single_choice", a=6, b=3))
    assert result == {"key": "q", "type": "single_choice", "label": {"en": "q"},
                      "suppressed": True, "reason": "protects"}  # fmt: skip


def test_every_hidden_thing_says_the_same_whatever_the_protected_summary_said():
    shown = question("single_choice", a=30, b=12)
    small = {"key": "c", "label": {"en": "c"}, "suppressed": True, "reason": "small"}
    shown["options"].append(small)
    (result,) = strict(shown)
    assert {o["reason"] for o in result["options"] if o.get("suppressed")} == {"protects"}


def test_a_rating_mean_only_when_no_point_is_hidden():
    full = {**question("rating", **{"1": 10, "2": 20, "3": 30}), "mean": 2.3333, "median": 2}
    (kept,) = strict(full)
    assert kept["mean"] == 2.3 and "median" not in kept
    partial = {**question("rating", **{"1": 4, "2": 20, "3": 30}), "mean": 2.48, "median": 3}
    (dropped,) = strict(partial)
    assert "mean" not in dropped


def test_a_ranking_keeps_its_places_and_the_share_ranked_but_not_first_places_or_borda():
    ranking = {**question("ranking", a=30, b=20), "rank": 2}
    for cell in ranking["options"]:
        cell.update(first_count=cell["count"], first_share=cell["share"], borda=1.5)
    (result,) = strict(ranking)
    assert result["rank"] == 2 and numbers(result) == {"share", "rank"}


def test_a_likert_matrix_is_shown_item_by_item_under_the_same_rules():
    def item(key: str, **counts: int) -> dict[str, Any]:
        shown = question("likert", key, **counts)
        return {"key": key, "label": {"en": f"item {key}"}, "n": shown["n"],
                "distribution": shown["options"]}  # fmt: skip

    small = {"key": "c", "label": {"en": "item c"}, "suppressed": True, "reason": "small"}
    likert = {"key": "l", "type": "likert", "label": {"en": "l"}, "n": 60,
              "items": [item("a", agree=30, neutral=20, disagree=10),
                        item("b", agree=40, neutral=12, disagree=8), small]}  # fmt: skip
    a, b, c = strict(likert)
    assert [part["key"] for part in (a, b, c)] == ["l.a", "l.b", "l.c"]
    assert a["label"] == {"en": "l"} and a["item"] == {"en": "item a"}
    assert [o.get("share") for o in a["options"]] == [0.5, 0.33, 0.17]
    # one point below 2k is hidden with the next smallest (the shares add up to 100 %)
    assert [o.get("suppressed", False) for o in b["options"]] == [False, True, True]
    assert c == {"key": "l.c", "type": "likert", "label": {"en": "l"}, "item": {"en": "item c"},
                 "suppressed": True, "reason": "protects"}  # fmt: skip
    assert numbers([a, b, c]) == {"share"}


def test_questions_the_page_does_not_show_are_left_out():
    likert = {"key": "l", "type": "likert", "label": {"en": "l"}, "n": 50, "items": []}
    text = {"key": "t", "type": "long_text", "label": {"en": "t"}, "n": 50, "terms": []}
    assert strict(likert, text) == []
    summary = participant_summary({"n_responses": 100, "questions": [], "min_group_size": 7})
    assert summary == {"min_group_size": 7, "questions": []}


@pytest.mark.parametrize(
    ("type_name", "language", "head", "note"),
    [
        ("single_choice", "en", ["Answer", "Share"], ""),
        ("ranking", "en", ["Option", "In the top 2"], ""),
        (
            "points_allocation",
            "en",
            ["Option", "Gave points"],
            "gave points: share of respondents who gave it at least one point",
        ),
        (
            "points_allocation",
            "de",
            ["Antwortmöglichkeit", "Punkte vergeben"],
            "Punkte vergeben: Anteil derer, die mindestens einen Punkt gaben",
        ),
    ],
)
def test_the_table_says_what_its_share_is(app, type_name, language, head, note):
    """A points question's share is of those who gave the option any point, not of the
    points: the head and a note say so, as the dashboard's table does."""
    extra = {"rank": 2} if type_name == "ranking" else {"points": 10}
    (shown,) = strict({**question(type_name, a=30, b=20), **extra})
    with app.test_request_context(f"/?lang={language}"):
        table = participant_table(shown, web_writer(language, K), NOT_SHOWN)
    assert table is not None
    assert [str(cell) for cell in table.head] == head
    assert table.note == note
    assert [row.label for row in table.rows] == ["a", "b"]


def test_the_page_names_the_share_of_a_points_question(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    half = 2 * K + 2
    fill(app, workshop, [[*REQUIRED, ("q.priorities.funding", "10")]] * half
         + [[*REQUIRED, ("q.priorities.rooms", "5"), ("q.priorities.training", "5")]] * half)  # fmt: skip
    with app.app_context():
        db.session.get(Workshop, workshop.id).results_for_participants = True  # type: ignore[union-attr]
        db.session.commit()
    page = client.get(f"/j/{workshop.join_code}/results?lang=de").get_data(as_text=True)
    section = re.search(r'<section class="result">\s*<h2>Verteilen Sie 10 Punkte</h2>.*?</section>',
                        page, re.DOTALL)  # fmt: skip
    assert section, page
    assert "Punkte vergeben" in section.group(0)
    assert "Anteil derer, die mindestens einen Punkt gaben" in section.group(0)
