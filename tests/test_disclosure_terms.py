"""Frequent terms of free text are cells of the linked set, attacked as a viewer would.

A viewer can fetch the terms of each workshop and of the series (dashboard, API).
Each listed term is a count of answers using it; the series' count is the sum of the
workshops'. A term listed in the series and in all workshops but one gives that
one's count by subtraction; a term used by all answers but one tells that one. The
reader here (``support.sdc.Reader``) knows every listed count and the answers' n,
and must not narrow any count of 1 to k-1 (answers using a term, or not using it).
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

from survey_app.extensions import db
from survey_app.instruments import parse_instrument_file
from survey_app.models import Series, Workshop
from survey_app.questions.text_terms import tokenize
from survey_app.results import ResultSettings, Scope, summarize_breakdown, summarize_scope

from .conftest import FIXTURES
from .support.attacks import database_url, fresh_decisions  # noqa: F401 (fixtures)
from .support.responses import close_workshops, store_responses
from .support.sdc import Form, Reader, exposures

FREE_TEXT = FIXTURES / "free-text.yaml"
INSTRUMENT, _ = parse_instrument_file(FREE_TEXT)
K = 5
WORDS = ("wohnungen", "arbeit", "sprachkurse")


def answers(count: int, text: str, group: str = "x") -> list[list[tuple[str, str]]]:
    return [[("q.group", group), ("q.need", text)]] * count


def used(text: str) -> frozenset[str]:
    return frozenset(tokenize(text)) & frozenset(WORDS)


def terms_of(summary: dict[str, Any]) -> dict[str, int]:
    question = next(q for q in summary.get("questions", []) if q["key"] == "need")
    return {t["term"]: t["count"] for t in question.get("terms", [])}


def attack(outputs: dict[int | None, dict[str, Any]], truth: dict[int, list[str]]) -> list[str]:
    """Read every output's n and terms; return the small counts a reader narrows down.

    ``outputs``: workshop id (None: the series) -> its summary; ``truth``: the texts.
    """
    kinds = [
        (w, None, frozenset(s))
        for w in truth
        for size in range(len(WORDS) + 1)
        for s in itertools.combinations(WORDS, size)
    ]
    reader = Reader(kinds, K)
    actual = Counter((w, None, used(text)) for w, texts in truth.items() for text in texts)

    def form(workshop: int | None, test: Any = lambda s: True) -> Form:
        return reader.form(lambda t: (workshop is None or t[0] == workshop) and test(t[2]))

    for workshop, summary in outputs.items():
        question = next(q for q in summary["questions"] if q["key"] == "need")
        if "n" in question:
            reader.shown(form(workshop), question["n"], f"{workshop} n")
        for term, count in terms_of(summary).items():
            if term in WORDS:
                reader.shown(form(workshop, lambda s, t=term: t in s), count, f"{workshop} {term}")
    cells = []
    for workshop in [*truth, None]:
        for term in WORDS:
            cells.append((f"{workshop} uses {term}", form(workshop, lambda s, t=term: t in s)))
            cells.append((f"{workshop} not {term}", form(workshop, lambda s, t=term: t not in s)))
    return [str(e) for e in exposures(reader, actual, cells)]


def fetch(client, series: int, ids: list[int]) -> dict[int | None, dict[str, Any]]:
    outputs: dict[int | None, dict[str, Any]] = {
        None: client.get(f"/api/v1/series/{series}/summary").get_json()
    }
    for workshop in ids:
        outputs[workshop] = client.get(f"/api/v1/workshops/{workshop}/summary").get_json()
    return outputs


def make_series(app, make_workshop, *workshops: list[list[tuple[str, str]]]) -> list[Workshop]:
    created = [make_workshop(FREE_TEXT) for _ in workshops]
    for workshop, responses in zip(created, workshops, strict=True):
        store_responses(app, workshop, responses, INSTRUMENT)
    close_workshops(app, *created)
    return created


def texts(responses: list[list[tuple[str, str]]]) -> list[str]:
    return [dict(pairs)["q.need"] for pairs in responses]


C = answers(3, "Wohnungen") + answers(6, "Arbeit") + answers(6, "Sprachkurse", "y")
D = answers(6, "Wohnungen") + answers(6, "Arbeit", "y") + answers(7, "Sprachkurse")


def test_series_minus_the_other_workshop_does_not_give_a_small_term_count(
    app, make_workshop, logged_in_client
):
    c, d = make_series(app, make_workshop, C, D)
    viewer = logged_in_client("viewer", c.series_id)
    outputs = fetch(viewer, c.series_id, [c.id, d.id])
    assert terms_of(outputs[c.id]).get("wohnungen") is None  # 3: fewer than k
    assert terms_of(outputs[c.id])["arbeit"] == 6
    assert terms_of(outputs[None])["sprachkurse"] == 13
    found = attack(outputs, {c.id: texts(C), d.id: texts(D)})
    assert not found, "a reader of the terms can tell:\n" + "\n".join(found)


def test_a_term_everyone_but_one_used_does_not_tell_that_one(app, make_workshop, logged_in_client):
    one = answers(6, "Wohnungen fehlen") + answers(1, "Arbeit")
    (workshop,) = make_series(app, make_workshop, one)
    viewer = logged_in_client("viewer", workshop.series_id)
    outputs = fetch(viewer, workshop.series_id, [workshop.id])
    assert "wohnungen" not in terms_of(outputs[workshop.id])  # 7 answers, 1 without it
    assert not attack(outputs, {workshop.id: texts(one)})


def test_a_term_every_answer_used_is_not_shown(app, make_workshop, logged_in_client):
    """12 of 12 answers mention Förderung: everyone's answer would be known, as for an
    option everyone chose."""
    everyone = answers(7, "Förderung, Räume") + answers(5, "Förderung, Arbeit", "y")
    (workshop,) = make_series(app, make_workshop, everyone)
    viewer = logged_in_client("viewer", workshop.series_id)
    outputs = fetch(viewer, workshop.series_id, [workshop.id])
    assert "förderung" not in terms_of(outputs[workshop.id])
    assert terms_of(outputs[workshop.id]).get("räume") == 7  # the others are no secret


def test_groups_list_no_terms_and_the_room_lists_its_own(app, make_workshop):
    c, d = make_series(app, make_workshop, C, D)
    with app.app_context():
        series = db.session.get(Series, c.series_id)
        settings = ResultSettings.published(app.config, series)
        scope = Scope.workshop(c.id)
        assert terms_of(summarize_scope(INSTRUMENT, scope, settings))["arbeit"] == 6
        filtered = summarize_scope(INSTRUMENT, scope.with_group("group", "x"), settings)
        assert filtered["n_responses"] == 9 and terms_of(filtered) == {}
        split = summarize_breakdown(INSTRUMENT, scope, "group", settings)
        assert [terms_of(group) for group in split["groups"]] == [{}, {}]
        room = ResultSettings.for_room(app.config, db.session.get(Workshop, c.id))
        own = terms_of(summarize_scope(INSTRUMENT, scope, room))
    assert own == {"arbeit": 6, "sprachkurse": 6}  # 3 (Wohnungen) is below the room's k


def test_many_workshops_and_terms_give_nothing_away(app, make_workshop, logged_in_client):
    """Three workshops, each word used by 1 to 10 answers, some answers with two words."""
    workshops = [
        answers(5, "Wohnungen, Arbeit")
        + answers(2, "Sprachkurse", "y")
        + answers(5, "Arbeit", "y"),
        answers(7, "Wohnungen")
        + answers(1, "Arbeit, Sprachkurse", "y")
        + answers(5, "Nichts", "y"),
        answers(2, "Wohnungen") + answers(9, "Sprachkurse", "y") + answers(6, "Arbeit"),
    ]
    created = make_series(app, make_workshop, *workshops)
    viewer = logged_in_client("viewer", created[0].series_id)
    outputs = fetch(viewer, created[0].series_id, [w.id for w in created])
    truth = {w.id: texts(r) for w, r in zip(created, workshops, strict=True)}
    assert not attack(outputs, truth)
    shown = {w: terms_of(summary) for w, summary in outputs.items()}
    assert shown[None] == {"arbeit": 17, "sprachkurse": 12, "wohnungen": 14}, shown
