"""Instrument files: the shipped ones are valid; every kind of error is reported with its line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from survey_app.definition.errors import InvalidInstrument
from survey_app.instruments import parse_instrument_file, parse_instrument_text
from survey_app.questions import QUESTION_TYPES

from .conftest import FIXTURES, INSTRUMENTS

SHIPPED = sorted(INSTRUMENTS.glob("*.yaml"))

MINIMAL = """\
format: 1
key: mini
version: 1
title: {de: "Titel", en: "Title"}
languages: [de, en]
sections:
  - key: main
    title: {de: "Teil", en: "Part"}
    questions:
      - key: colour
        type: single_choice
        label: {de: "Farbe", en: "Colour"}
        options:
          - {key: red, label: {de: "Rot", en: "Red"}}
          - {key: blue, label: {de: "Blau", en: "Blue"}}
"""


def problems(text: str) -> list[str]:
    """Return the problems of instrument ``text`` as printed lines."""
    with pytest.raises(InvalidInstrument) as caught:
        parse_instrument_text(textwrap.dedent(text), "f.yaml")
    return [str(p) for p in caught.value.problems]


def test_minimal_instrument_parses():
    instrument = parse_instrument_text(MINIMAL, "f.yaml")
    assert instrument.key == "mini"
    assert instrument.languages == ("de", "en")
    question = instrument.question("colour")
    assert [o.key for o in question.options] == ["red", "blue"]
    assert question.options[1].label == {"de": "Blau", "en": "Blue"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_instruments_are_valid(path: Path):
    instrument, _ = parse_instrument_file(path)
    assert instrument.languages[:4] == ("de", "en", "tr", "ar")
    assert sum(1 for _ in instrument.questions()) >= 5


def test_kickoff_uses_every_question_type():
    instrument, _ = parse_instrument_file(INSTRUMENTS / "needs-expectations.yaml")
    assert {q.type for q in instrument.questions()} == set(QUESTION_TYPES)
    assert instrument.consent and instrument.respondent == "organization"
    assert any(q.breakdown for q in instrument.questions())
    assert any(q.show_if for q in instrument.questions())


@pytest.mark.parametrize("path", [*SHIPPED, FIXTURES / "all-types.yaml"], ids=lambda p: p.name)
def test_files_match_json_schema(path: Path):
    schema = json.loads((INSTRUMENTS / "schema.json").read_text())
    jsonschema.validate(yaml.safe_load(path.read_text()), schema)


def test_unknown_format_is_refused():
    assert problems(MINIMAL.replace("format: 1", "format: 2")) == [
        "f.yaml:1: format: format 2 is not supported; this version reads format 1"
    ]


def test_yaml_syntax_error_has_line():
    found = problems(
        MINIMAL.replace('title: {de: "Teil", en: "Part"}', 'title: {de: "Teil", en: "Part"')
    )
    assert len(found) == 1
    assert found[0].startswith("f.yaml:9: not valid YAML") or found[0].startswith(
        "f.yaml:10: not valid YAML"
    )


def test_duplicate_mapping_key_is_reported():
    found = problems(MINIMAL.replace("version: 1\n", "version: 1\nversion: 2\n"))
    assert found == ["f.yaml:4: version: this key appears twice in the same block"]


def test_missing_translation_names_languages_and_line():
    found = problems(MINIMAL.replace('label: {de: "Farbe", en: "Colour"}', 'label: {de: "Farbe"}'))
    assert found == ["f.yaml:12: sections[1].questions[1].label: missing translation: en"]


def test_undeclared_language_is_reported():
    found = problems(
        MINIMAL.replace('{de: "Rot", en: "Red"}', '{de: "Rot", en: "Red", fr: "Rouge"}')
    )
    assert found == [
        "f.yaml:14: sections[1].questions[1].options[1].label.fr: 'fr' is not a declared language"
    ]


def test_plain_string_needs_single_language():
    found = problems(MINIMAL.replace('title: {de: "Titel", en: "Title"}', "title: Titel"))
    assert found == ["f.yaml:4: title: needs a text for each language: de, en"]


def test_every_error_of_a_file_at_once():
    broken = (
        MINIMAL.replace("key: colour", "key: Colour")
        .replace("type: single_choice", "type: single_choice\n        lable: x")
        .replace("{key: blue,", "{key: red,")
    )
    found = problems(broken)
    assert (
        "f.yaml:10: sections[1].questions[1].key: must be a key of lower-case letters, digits and _, not 'Colour'"
        in found
    )
    assert (
        "f.yaml:12: sections[1].questions[1].lable: unknown field 'lable' (did you mean 'label'?)"
        in found
    )
    assert "f.yaml:16: sections[1].questions[1].options[2].key: option 'red' appears twice" in found


def test_unknown_type_lists_known_types():
    found = problems(MINIMAL.replace("type: single_choice", "type: dropdown"))
    assert found[0].startswith(
        "f.yaml:11: sections[1].questions[1].type: unknown type 'dropdown'; known: single_choice"
    )


def test_boolean_looking_key_gets_a_quoting_hint():
    found = problems(MINIMAL.replace("{key: red,", "{key: yes,"))
    assert found == [
        "f.yaml:14: sections[1].questions[1].options[1].key: yes/no/true/false are read as booleans here; quote the key"
    ]


def test_reserved_other_option():
    found = problems(MINIMAL.replace("{key: red,", "{key: other,"))
    assert "use 'other: true' instead" in found[0]


def test_duplicate_question_keys():
    doubled = MINIMAL + MINIMAL[MINIMAL.index("      - key: colour") :]
    found = problems(doubled)
    assert found == ["f.yaml:16: sections[1].questions[2].key: question 'colour' appears twice"]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            "{question: later, equals: x}",
            "show_if.question: must name an earlier question, not 'later'",
        ),
        ("{question: colour, equals: green}", "show_if.equals: 'colour' has no option 'green'"),
        ("{question: colour, in: [red, pink]}", "show_if.in: 'colour' has no option 'pink'"),
        ("{question: colour}", "show_if: needs exactly one of equals, in, answered"),
        ("{question: colour, answered: false}", "show_if.answered: must be true"),
        (
            "{question: colour, equal: red}",
            "show_if.equal: unknown field 'equal' (did you mean 'equals'?)",
        ),
    ],
)
def test_show_if_errors(condition: str, message: str):
    text = MINIMAL + textwrap.indent(
        f"- key: shade\n  type: short_text\n  label: {{de: Ton, en: Shade}}\n  show_if: {condition}\n",
        " " * 6,
    )
    found = problems(text)
    assert any(
        p.startswith("f.yaml:19: sections[1].questions[2].") and p.endswith(message) for p in found
    ), found


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            "type: ranking\n  options: [{key: a, label: {de: A, en: A}}]\n  rank: 3",
            "rank: is larger than the 1 options",
        ),
        (
            "type: multi_choice\n  options: [{key: a, label: {de: A, en: A}}]\n  min_choices: 2\n  max_choices: 1",
            "min_choices: must not be larger than max_choices",
        ),
        ("type: number\n  min: 10\n  max: 1", "min: must not be larger than max"),
        ("type: number\n  integer: maybe", "integer: must be true or false, not 'maybe'"),
        (
            "type: likert\n  scale: agree7\n  items: [{key: a, label: {de: A, en: A}}]",
            "scale: unknown scale 'agree7'; built in: agree5, satisfied5, important5, frequency5",
        ),
        ("type: likert\n  scale: agree5", "'items' is missing"),
        ("type: rating\n  max: 50", "max: must be at most 10"),
        ("type: long_text\n  max_length: 0", "max_length: must be at least 1, not 0"),
        ("type: single_choice\n  options: []", "options: must be a list of at least one option"),
        ("type: info", "'text' is missing"),
    ],
)
def test_type_specific_errors(question: str, message: str):
    block = f"- key: extra\n  label: {{de: X, en: X}}\n  {question}\n"
    found = problems(MINIMAL + textwrap.indent(block, " " * 6))
    assert any(p.endswith(message) for p in found), found
    assert all(p.startswith("f.yaml:") for p in found)


def test_builtin_scale_without_labels_for_a_language():
    text = MINIMAL.replace("languages: [de, en]", "languages: [de, en, xx]").replace(
        "en: ", "xx: x, en: "
    )
    text += textwrap.indent(
        "- key: l\n  type: likert\n  label: {de: L, xx: L, en: L}\n  scale: agree5\n  items: [{key: a, label: {de: A, xx: A, en: A}}]\n",
        " " * 6,
    )
    found = problems(text)
    assert any("the built-in scale 'agree5' has no labels in xx" in p for p in found), found


def test_builtin_scales_cover_required_languages():
    from survey_app.questions.scales import builtin_scales

    for name, points in builtin_scales().items():
        assert len(points) == 5, name
        for point in points:
            assert {"de", "en", "tr", "ar", "uk"} <= set(point["label"]), (name, point["key"])


def test_export_columns_of_two_questions_are_refused_with_their_line():
    block = "- key: colour_label\n  type: short_text\n  label: {de: X, en: X}\n"
    text = MINIMAL + textwrap.indent(block, " " * 6)
    assert problems(text) == [
        "f.yaml:16: sections[1].questions[2].key: makes the export column 'colour_label', "
        "which question 'colour' makes too; rename one of them"
    ]
    # A snapshot stored before this check still opens (its workshops keep working).
    assert parse_instrument_text(text, "f.yaml", stored=True).question("colour_label")


def test_export_columns_twice_within_a_question_are_refused():
    block = (
        "- key: rate\n  type: likert\n  scale: agree5\n  label: {de: X, en: X}\n  items:\n"
        "    - {key: a, label: {de: A, en: A}}\n    - {key: a_label, label: {de: B, en: B}}\n"
    )
    found = problems(MINIMAL + textwrap.indent(block, " " * 6))
    assert found == [
        "f.yaml:16: sections[1].questions[2].key: makes the export column 'rate.a_label' "
        "twice; rename one of its options or items"
    ]


def test_question_keys_never_look_like_response_columns():
    from survey_app.definition.columns import RESPONSE_COLUMNS, is_response_column

    assert all(is_response_column(c) for c in RESPONSE_COLUMNS)
    for path in SHIPPED:
        instrument, _ = parse_instrument_file(path)
        columns = [
            column
            for question in instrument.questions()
            for column in QUESTION_TYPES[question.type].export_columns(question)
        ]
        assert not any(is_response_column(c) for c in columns)
        assert len(columns) == len(set(columns))
    found = problems(MINIMAL.replace("key: colour", "key: _colour"))
    assert "must be a key of lower-case letters, digits and _, not '_colour'" in found[0]


def test_validate_command_names_the_export_column_clash(runner, tmp_path):
    block = "- key: colour_label\n  type: short_text\n  label: {de: X, en: X}\n"
    path = tmp_path / "clash.yaml"
    path.write_text(MINIMAL + textwrap.indent(block, " " * 6), encoding="utf-8")
    for command in ("validate", "load"):
        result = runner.invoke(args=["instruments", command, str(path)])
        assert result.exit_code == 1, result.output
        assert f"{path}:16: sections[1].questions[2].key: makes the export column" in result.output
        assert "Traceback" not in result.output


def test_keys_longer_than_their_column_are_refused(tmp_path):
    """Keys are stored in 64-character columns: a longer one is a FILE:LINE error."""
    text = (FIXTURES / "free-text.yaml").read_text(encoding="utf-8")
    long_key = "a" * 65
    path = tmp_path / "long.yaml"
    path.write_text(text.replace("key: need", f"key: {long_key}", 1), encoding="utf-8")
    with pytest.raises(InvalidInstrument) as caught:
        parse_instrument_file(str(path))
    assert "must be at most 64 characters long, not 65" in str(caught.value)
    path.write_text(text.replace("key: need", f"key: {'a' * 64}", 1), encoding="utf-8")
    assert parse_instrument_file(str(path))[0].key == "free-text"
