"""XLSForm conditions: group conditions reach their questions, only checkable show_if is written."""

from __future__ import annotations

from pathlib import Path

from survey_app.instruments import parse_instrument_text
from survey_app.instruments.xlsform import Conversion, convert_xlsform
from survey_app.instruments.xlsform_conditions import Clause, clauses, combine

from .test_xlsform import workbook

HEADER = ["type", "name", "label", "required", "relevant"]
CHOICES = [
    ["list_name", "name", "label"],
    ["yn", "yes", "Yes"],
    ["yn", "no", "No"],
    ["col", "red", "Red"],
    ["col", "blue", "Blue"],
]


def convert(tmp_path: Path, rows: list[list[str]]) -> tuple[Conversion, dict]:
    """Convert a one-language form with the yn/col lists; return it and its questions."""
    conversion = convert_xlsform(str(workbook(tmp_path / "form.xlsx", [HEADER, *rows], CHOICES)))
    instrument = parse_instrument_text(conversion.yaml, "converted.yaml")
    return conversion, {q.key: q for q in instrument.questions()}


def test_group_condition_reaches_the_questions_inside(tmp_path):
    conversion, questions = convert(
        tmp_path,
        [
            ["select_one yn", "works", "Do you work?", "yes", ""],
            ["select_one col", "colour", "Colour", "yes", ""],
            ["begin_group", "job", "Your job", "", "${works} = 'yes'"],
            ["text", "employer", "Employer", "yes", ""],
            ["begin_group", "inner", "More", "", "${colour} = 'red'"],
            ["text", "shade", "Shade", "yes", ""],
            ["end_group", "", "", "", ""],
            ["end_group", "", "", "", ""],
        ],
    )
    employer = questions["employer"]
    assert (employer.show_if.question, employer.show_if.equals) == ("works", "yes")
    assert employer.required
    # Two conditions on two unrelated questions: the inner one is kept, required is dropped.
    shade = questions["shade"]
    assert (shade.show_if.question, shade.show_if.equals) == ("colour", "red")
    assert not shade.required
    notes = "\n".join(conversion.notes)
    assert "survey:7: relevant of 'shade' only partly converted" in notes
    assert "of group 'job' (survey:4)" in notes and "no longer required" in notes


def test_group_and_own_condition_on_one_question_are_intersected(tmp_path):
    _, questions = convert(
        tmp_path,
        [
            ["select_multiple col", "colours", "Colours", "", ""],
            [
                "begin_group",
                "g",
                "G",
                "",
                "selected(${colours}, 'red') or selected(${colours}, 'blue')",
            ],
            ["text", "why_red", "Why red?", "yes", "selected(${colours}, 'red')"],
            ["end_group", "", "", "", ""],
        ],
    )
    why = questions["why_red"]
    assert (why.show_if.question, why.show_if.equals, why.required) == ("colours", "red", True)


def test_a_condition_on_a_question_already_under_the_group_condition_says_it_all(tmp_path):
    conversion, questions = convert(
        tmp_path,
        [
            ["select_one yn", "consent", "Consent?", "yes", ""],
            ["begin_group", "consented", "Questions", "", "selected(${consent}, 'yes')"],
            ["select_one col", "colour", "Colour", "yes", ""],
            ["text", "why_red", "Why red?", "yes", "${colour} = 'red'"],
            ["integer", "n", "How many?", "yes", "${colour} = 'blue'"],
            ["text", "more", "More?", "yes", "${n} != '' and ${consent} = 'yes'"],
            ["end_group", "", "", "", ""],
        ],
    )
    # 'colour' is only shown after consent: a condition on it implies the group's.
    why = questions["why_red"]
    assert (why.show_if.question, why.show_if.equals, why.required) == ("colour", "red", True)
    more = questions["more"]
    assert (more.show_if.question, more.show_if.answered, more.required) == ("n", True, True)
    assert not [n for n in conversion.notes if "relevant" in n]


def test_unconvertible_condition_drops_required_with_the_row(tmp_path):
    conversion, questions = convert(
        tmp_path,
        [
            ["select_one yn", "a", "A", "", ""],
            ["integer", "n", "N", "yes", "not(${a} = 'yes')"],
            ["integer", "m", "M", "yes", "${n} > 3"],
        ],
    )
    assert questions["n"].show_if is None and not questions["n"].required
    assert (questions["m"].show_if.question, questions["m"].show_if.answered) == ("n", True)
    assert not questions["m"].required
    notes = "\n".join(conversion.notes)
    assert "survey:3: relevant of 'n' not converted" in notes
    assert "always shown and no longer required" in notes
    assert "survey:4: relevant of 'm' only partly converted" in notes


def test_conditions_the_checker_would_refuse_are_not_written(tmp_path):
    conversion, questions = convert(
        tmp_path,
        [
            ["select_one yn", "b.c-d", "Dotted", "", ""],
            ["text", "t", "T", "", ""],
            ["text", "dotted", "D", "yes", '${b.c-d} = "yes"'],
            ["text", "missing", "M", "yes", "${b.c-d} = 'maybe'"],
            ["text", "optionless", "O", "yes", "${t} = 'x'"],
            ["text", "later", "L", "yes", "${z} = 'yes'"],
            ["select_one yn", "z", "Z", "", ""],
            ["text", "some", "S", "", "${b.c-d} = 'yes' or ${b.c-d} = 'maybe'"],
        ],
    )
    dotted = questions["dotted"]
    assert (dotted.show_if.question, dotted.show_if.equals, dotted.required) == (
        "b_c_d",
        "yes",
        True,
    )
    for key in ("missing", "optionless", "later"):
        assert questions[key].show_if is None and not questions[key].required
    # A choice that does not exist can never be chosen: leaving it out changes nothing.
    assert questions["some"].show_if.equals == "yes"
    notes = "\n".join(conversion.notes)
    for row, key in ((5, "missing"), (6, "optionless"), (7, "later")):
        assert f"survey:{row}: relevant of '{key}' not converted" in notes


def test_expressions_become_clauses():
    assert clauses("${a} = 'x' or ${a}='y'") == [Clause("a", ("x", "y"))]
    assert clauses("count-selected(${m}) > 0") == [Clause("m", None)]
    assert clauses("string-length(${t}) > 0 and ${a} != ''") == [
        Clause("t", None),
        Clause("a", None),
    ]
    assert clauses("selected(../q, 'other')") == [Clause("q", ("other",))]
    assert clauses("${n} + 1 > 2") == [None]
    assert clauses("${a} = 'x' or ${b} = 'x'") == [None]
    clause, exact = combine([Clause("a", ("x", "y")), Clause("a", ("y", "z")), Clause("a", None)])
    assert (clause, exact) == (Clause("a", ("y",)), True)
    assert combine([Clause("a", None), Clause("b", ("x",))]) == (Clause("b", ("x",)), False)
    assert combine([None]) == (None, False)


def test_not_an_option_is_the_other_options_only_when_everyone_chooses_one(tmp_path):
    conversion, questions = convert(
        tmp_path,
        [
            ["select_one col", "colour", "Colour", "yes", ""],
            ["select_one yn", "maybe", "Maybe", "", ""],
            ["text", "not_red", "Why not red?", "yes", "${colour} != 'red'"],
            ["text", "not_blue", "Why not blue?", "yes", "not(selected(${colour}, 'blue'))"],
            ["text", "not_yes", "Why not?", "yes", "${maybe} != 'yes'"],
        ],
    )
    assert questions["not_red"].show_if.equals == "blue" and questions["not_red"].required
    assert questions["not_blue"].show_if.equals == "red"
    assert questions["not_yes"].show_if is None and not questions["not_yes"].required
    notes = "\n".join(conversion.notes)
    assert "survey:6: relevant of 'not_yes' not converted" in notes
    assert "('maybe' may be left unanswered or allow several)" in notes
