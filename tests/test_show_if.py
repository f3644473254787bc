"""show_if: hidden questions are never required and their answers are discarded."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from survey_app.instruments import parse_instrument_file
from survey_app.responses.answers import read_answers

from .conftest import FIXTURES

INSTRUMENT, _ = parse_instrument_file(FIXTURES / "all-types.yaml")
BASE = [("q.top_needs.1", "rooms"), ("q.agreement.heard", "no")]


def keys(result) -> set[str]:
    return {r.question_key for r in result.rows}


def test_equals_shows_question_when_option_chosen():
    result = read_answers(
        INSTRUMENT, MultiDict([*BASE, ("q.org_type", "religion"), ("q.religion_detail", "X")])
    )
    assert "religion_detail" in keys(result)
    assert "religion_detail" not in result.hidden


def test_equals_hides_and_discards_when_other_option_chosen():
    result = read_answers(
        INSTRUMENT, MultiDict([*BASE, ("q.org_type", "culture"), ("q.religion_detail", "X")])
    )
    assert "religion_detail" not in keys(result)
    assert "religion_detail" in result.hidden


def test_hidden_question_errors_are_ignored():
    result = read_answers(
        INSTRUMENT, MultiDict([*BASE, ("q.org_type", "culture"), ("q.budget", "not a number")])
    )
    assert "budget" in result.hidden  # members not answered, so budget is hidden
    assert "budget" not in result.errors


def test_answered_condition():
    shown = read_answers(
        INSTRUMENT,
        MultiDict([*BASE, ("q.org_type", "culture"), ("q.members", "10"), ("q.budget", "5")]),
    )
    assert {"members", "budget"} <= keys(shown)
    hidden = read_answers(
        INSTRUMENT, MultiDict([*BASE, ("q.org_type", "culture"), ("q.budget", "5")])
    )
    assert "budget" not in keys(hidden)


def test_invalid_trigger_answer_hides_dependents():
    result = read_answers(
        INSTRUMENT,
        MultiDict([*BASE, ("q.org_type", "culture"), ("q.members", "many"), ("q.budget", "5")]),
    )
    assert "members" in result.errors
    assert "budget" in result.hidden


def test_kickoff_in_condition(tmp_path):
    from .conftest import INSTRUMENTS

    instrument, _ = parse_instrument_file(INSTRUMENTS / "needs-expectations.yaml")
    conditional = [
        q for q in instrument.questions() if q.show_if and (q.show_if.in_ or q.show_if.equals)
    ]
    assert conditional, "the kick-off questionnaire uses show_if with options"
    question = conditional[0]
    trigger = instrument.question(question.show_if.question)
    wanted = question.show_if.equals or question.show_if.in_[0]
    unwanted = next(
        k
        for k in trigger.option_keys
        if k not in (question.show_if.in_ or (question.show_if.equals,))
    )
    name = f"q.{trigger.key}"
    yes = read_answers(instrument, MultiDict([(name, wanted)]))
    no = read_answers(instrument, MultiDict([(name, unwanted)]))
    assert question.key not in yes.hidden
    assert question.key in no.hidden
