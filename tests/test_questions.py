"""Each question type from posted form to answer rows, and back (pure functions)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from survey_app.instruments import parse_instrument_file
from survey_app.questions import AnswerRow
from survey_app.questions.typed_number import number_readings, read_number, unambiguous
from survey_app.responses.answers import answers_hash, form_values, read_answers

from .conftest import FIXTURES

INSTRUMENT, _ = parse_instrument_file(FIXTURES / "all-types.yaml")
VALID = [
    ("q.org_type", "religion"),
    ("q.fields", "youth"),
    ("q.fields", "education"),
    ("q.religion_detail", "  DITIB Gemeinde  "),
    ("q.members", "1.250"),
    ("q.budget", "3500,50"),
    ("q.top_needs.1", "rooms"),
    ("q.top_needs.2", "funding"),
    ("q.support.city", "satisfied"),
    ("q.agreement.heard", "yes"),
    ("q.expectations", "Mehr Räume"),
    ("q.overall", "4"),
]


def read(pairs: list[tuple[str, str]]):
    return read_answers(INSTRUMENT, MultiDict(pairs))


def rows_of(result, key: str) -> list[AnswerRow]:
    return [r for r in result.rows if r.question_key == key]


def test_valid_form_becomes_rows_of_every_type():
    result = read(VALID)
    assert result.errors == {}
    assert rows_of(result, "org_type") == [AnswerRow("org_type", option_key="religion")]
    assert rows_of(result, "fields") == [
        AnswerRow("fields", option_key="youth"),
        AnswerRow("fields", option_key="education"),
    ]
    assert rows_of(result, "religion_detail") == [
        AnswerRow("religion_detail", value_text="DITIB Gemeinde")
    ]
    assert rows_of(result, "members") == [AnswerRow("members", value_num=1250.0)]
    assert rows_of(result, "budget") == [AnswerRow("budget", value_num=3500.5)]
    assert rows_of(result, "top_needs") == [
        AnswerRow("top_needs", option_key="rooms", value_num=1.0),
        AnswerRow("top_needs", option_key="funding", value_num=2.0),
    ]
    satisfied = [p for p in INSTRUMENT.question("support").scale if p.key == "satisfied"][0]
    assert rows_of(result, "support") == [
        AnswerRow("support", item_key="city", option_key="satisfied", value_num=satisfied.value)
    ]
    assert rows_of(result, "agreement") == [
        AnswerRow("agreement", item_key="heard", option_key="yes", value_num=1.0)
    ]
    assert rows_of(result, "overall") == [AnswerRow("overall", value_num=4.0)]
    assert rows_of(result, "bye") == []


def test_rows_round_trip_through_form_values():
    result = read(VALID)
    again = read_answers(INSTRUMENT, form_values(INSTRUMENT, result.rows))
    assert again.errors == {}
    assert answers_hash(again.rows) == answers_hash(result.rows)


def test_hash_ignores_row_order_but_not_content():
    rows = read(VALID).rows
    assert answers_hash(list(reversed(rows))) == answers_hash(rows)
    assert answers_hash(rows[:-1]) != answers_hash(rows)


def test_required_questions_report_missing_answers():
    result = read([])
    assert set(result.errors) == {"org_type", "top_needs", "agreement"}
    assert result.errors["org_type"].message == "Please answer this question."


def test_other_choice_keeps_its_text():
    result = read(
        [*VALID[1:], ("q.org_type", "other"), ("q.org_type.other", " Nachbarschaftsverein ")]
    )
    assert rows_of(result, "org_type") == [
        AnswerRow("org_type", option_key="other", value_text="Nachbarschaftsverein")
    ]


def test_other_text_alone_chooses_other():
    result = read([*VALID[1:], ("q.org_type.other", "Chor")])
    assert rows_of(result, "org_type") == [
        AnswerRow("org_type", option_key="other", value_text="Chor")
    ]


def test_other_without_text_is_an_error():
    result = read([*VALID[1:], ("q.org_type", "other")])
    assert result.errors["org_type"].message.startswith("Please say what")


@pytest.mark.parametrize(
    ("pairs", "key", "message"),
    [
        ([("q.org_type", "politics")], "org_type", "Please choose one of the options shown."),
        (
            [("q.org_type", "culture"), ("q.org_type", "sports")],
            "org_type",
            "Please choose one of the options shown.",
        ),
        (
            [("q.fields", "youth"), ("q.fields", "education"), ("q.fields", "health")],
            "fields",
            "Please choose no more than %(max)d of the options.",
        ),
        ([("q.fields", "cooking")], "fields", "Please choose one of the options shown."),
        ([("q.members", "viele")], "members", "Please enter a number, e.g. 12 or 3,5."),
        ([("q.members", "2,5")], "members", "Please enter a whole number."),
        ([("q.members", "-1")], "members", "Please enter a number of at least %(min)s."),
        ([("q.members", "100001")], "members", "Please enter a number of at most %(max)s."),
        ([("q.members", "1e400")], "members", "Please enter a number, e.g. 12 or 3,5."),
        (
            [("q.top_needs.1", "rooms"), ("q.top_needs.2", "rooms")],
            "top_needs",
            "Each option can have only one place.",
        ),
        (
            [("q.top_needs.2", "rooms")],
            "top_needs",
            "Please fill the places in order, starting with place 1.",
        ),
        ([("q.top_needs.1", "money")], "top_needs", "Please choose one of the options shown."),
        (
            [("q.support.city", "ecstatic")],
            "support",
            "Please choose one of the points of the scale.",
        ),
        (
            [("q.expectations", "x" * 51)],
            "expectations",
            "Please shorten this text to at most %(max)d characters.",
        ),
        ([("q.overall", "6")], "overall", "Please choose one of the points shown."),
        ([("q.overall", "0")], "overall", "Please choose one of the points shown."),
    ],
)
def test_invalid_values_are_refused(pairs, key, message):
    given = dict(VALID)
    base = [(k, v) for k, v in VALID if not k.startswith(f"q.{key}")]
    assert given  # the valid form is the baseline
    result = read(base + pairs)
    assert list(result.errors) == [key]
    assert result.errors[key].message == message


def test_error_parameters_are_filled():
    result = read([(k, v) for k, v in VALID if k != "q.members"] + [("q.members", "100001")])
    assert result.errors["members"].params == {"max": "100000"}


def test_min_choices_applies_when_answered():
    question_free = read([(k, v) for k, v in VALID if k != "q.fields"])
    assert "fields" not in question_free.errors  # not required, not answered: fine


def test_required_likert_needs_every_item():
    result = read([(k, v) for k, v in VALID if k != "q.agreement.heard"])
    assert result.errors["agreement"].message == "Please answer this question."


@pytest.mark.parametrize(
    ("typed", "integer", "expected"),
    [
        ("12", True, 12.0),
        ("3,5", False, 3.5),
        ("3.5", False, 3.5),
        ("1.000", True, 1000.0),
        ("1 000", True, 1000.0),
        ("1,000", True, 1000.0),
        ("١٢٣", True, 123.0),
        ("٣٫٥", False, 3.5),
        ("۴۵", True, 45.0),
        ("−7", True, -7.0),
        ("abc", True, None),
        ("nan", False, None),
        ("inf", False, None),
        ("", False, None),
    ],
)
def test_read_number(typed, integer, expected):
    assert read_number(typed, integer) == expected


@pytest.mark.parametrize(
    ("typed", "language", "integer", "expected"),
    [
        ("2.500", "de", False, [2500.0, 2.5]),  # German groups with the point: asked back
        ("2,5", "de", False, [2.5]),
        ("1.234,5", "de", False, [1234.5]),
        ("1,234.5", "de", False, [1234.5]),  # only one reading is well formed
        ("2,500", "en", False, [2500.0, 2.5]),
        ("2,500", "de", False, [2.5, 2500.0]),
        ("1.000", "en", True, [1000.0]),  # a whole number: no decimal part is written
        ("1.5", "de", False, [1.5]),
        (",5", "de", False, [0.5]),
        ("1'000'000", "de", True, [1000000.0]),
        ("1 000,5", "uk", False, [1000.5]),
        ("٣٫٥", "ar", False, [3.5]),
        ("٣,٥", "ar", False, [3.5]),
        ("١٬٢٣٤", "ar", True, [1234.0]),
        ("²", "de", True, []),  # a superscript is no digit
        ("①", "de", True, []),
        ("1e5", "en", False, []),
        ("9" * 400, "en", True, []),  # not finite
        ("-", "de", True, []),
    ],
)
def test_numbers_are_read_as_the_forms_language_writes_them(typed, language, integer, expected):
    assert number_readings(typed, language, integer) == expected


@pytest.mark.parametrize("value", [2.125, 2.5, 2500.0, 1234.5, 0.001, -3.125])
def test_stored_numbers_are_written_back_as_every_language_reads_them(value):
    for language in ("de", "en", "uk", "ar"):
        assert number_readings(unambiguous(value), language) == [value]


def test_text_is_trimmed_and_nul_free():
    pairs = [(k, v) for k, v in VALID if k != "q.expectations"] + [("q.expectations", " a\x00b ")]
    result = read(pairs)
    assert rows_of(result, "expectations") == [AnswerRow("expectations", value_text="ab")]
