"""XLSForm choices: filters, repeated names, ``or_other``, lists from files, keys and order."""

from __future__ import annotations

import yaml

from survey_app.instruments import parse_instrument_text
from survey_app.instruments.xlsform import convert_xlsform

from .test_xlsform import workbook


def test_choice_filters_fixed_are_applied_answer_dependent_keep_all(tmp_path):
    form = workbook(
        tmp_path / "cascade.xlsx",
        [
            ["type", "name", "label", "choice_filter"],
            ["select_one state", "state", "State", ""],
            ["select_one county", "county", "County", "state=${state}"],
            ["select_one county", "big", "Big county", "size='big'"],
            ["select_one county", "odd", "Odd", "starts-with(name, 'k')"],
        ],
        [
            ["list_name", "name", "label", "state", "size"],
            ["state", "tx", "Texas", "", ""],
            ["state", "wa", "Washington", "", ""],
            ["county", "king", "King", "wa", "big"],
            ["county", "pierce", "Pierce", "wa", "small"],
            ["county", "cameron", "Cameron", "tx", "big"],
        ],
    )
    conversion = convert_xlsform(str(form))
    instrument = parse_instrument_text(conversion.yaml, "c.yaml")
    assert [o.key for o in instrument.question("county").options] == ["king", "pierce", "cameron"]
    assert [o.key for o in instrument.question("big").options] == ["king", "cameron"]
    assert len(instrument.question("odd").options) == 3
    notes = "\n".join(conversion.notes)
    assert "survey:3: the choices of 'county' depend on the answer to 'state'" in notes
    assert "all 3 are offered" in notes
    assert "survey:4: choice_filter of 'big' (size='big') applied: 2 of 3 choices kept" in notes
    assert "survey:5: choice_filter of 'odd' not converted" in notes


def test_repeated_and_case_colliding_choice_names_get_suffixes(tmp_path):
    form = workbook(
        tmp_path / "dups.xlsx",
        [
            ["type", "name", "label", "relevant"],
            ["select_one yn", "q", "Q", ""],
            ["text", "why", "Why?", "${q} = 'Yes'"],
        ],
        [
            ["list_name", "name", "label"],
            ["yn", "yes", "Yes"],
            ["yn", "Yes", "Yes!"],
            ["yn", "no", "No"],
            ["yn", "no", "No again"],
            ["yn", "no", "No"],
        ],
    )
    conversion = convert_xlsform(str(form))
    instrument = parse_instrument_text(conversion.yaml, "d.yaml")
    assert [o.key for o in instrument.question("q").options] == ["yes", "yes_2", "no", "no_2"]
    assert instrument.question("why").show_if.equals == "yes_2"
    notes = "\n".join(conversion.notes)
    assert (
        "choices:3, choices:5, choices:6: list 'yn' repeats names (or the same name in other"
        " case): 'Yes' -> 'yes_2', 'no' -> 'no_2', 'no' kept once"
    ) in notes


def test_or_other_becomes_other_and_a_file_list_becomes_text(tmp_path):
    form = workbook(
        tmp_path / "other.xlsx",
        [
            ["type", "name", "label", "relevant"],
            ["select_one col or_other", "colour", "Colour", ""],
            ["select_one_from_file places.csv", "place", "Place", ""],
            ["text", "colour_detail", "Which?", "selected(${colour}, 'other')"],
            ["text", "why_other", "Why?", "selected(${colour}, 'other') and ${place} != ''"],
        ],
        [["list_name", "name", "label"], ["col", "red", "Red"], ["col", "blue", "Blue"]],
    )
    conversion = convert_xlsform(str(form))
    instrument = parse_instrument_text(conversion.yaml, "o.yaml")
    colour = instrument.question("colour")
    assert colour.other and [o.key for o in colour.options] == ["red", "blue"]
    assert instrument.question("place").type == "short_text"
    # The text row for "other" is asked by the select itself; a partial one stays.
    assert "colour_detail" not in {q.key for q in instrument.questions()}
    assert instrument.question("why_other").show_if.equals == "other"
    notes = "\n".join(conversion.notes)
    assert "survey:3: 'place' chooses from 'places.csv'" in notes
    assert "survey:4: 'colour_detail' asks what 'other' means for 'colour'" in notes


def test_keys_unique_order_kept_and_form_id_made_a_key(tmp_path):
    form = workbook(
        tmp_path / "order.xlsx",
        [
            ["type", "name", "label"],
            ["text", "first", "First"],
            ["begin_group", "a", "A"],
            ["text", "name", "Name in A"],
            ["end_group", "", ""],
            ["text", "after", "After A"],
            ["begin_group", "b", "B"],
            ["text", "name", "Name in B"],
            ["end_group", "", ""],
        ],
        [["list_name", "name", "label"]],
        [["form_title", "form_id", "version"], ["Order", "2024 Survey!", "20240508231115"]],
    )
    conversion = convert_xlsform(str(form))
    instrument = parse_instrument_text(conversion.yaml, "k.yaml")
    assert [s.key for s in instrument.sections] == ["main", "a", "main_2", "b"]
    assert [q.key for q in instrument.questions()] == ["first", "name", "after", "name_2"]
    assert instrument.key == "form-2024-survey"
    assert instrument.version == 2024050823
    notes = "\n".join(conversion.notes)
    assert "survey:8: the name 'name' is used before" in notes and "written as 'name_2'" in notes
    assert "settings:2: form_id '2024 Survey!' written as the key 'form-2024-survey'" in notes
    assert "settings:2: version 20240508231115 is too large" in notes


def test_other_choice_stays_an_option_when_key_other_is_a_question(tmp_path):
    form = workbook(
        tmp_path / "other.xlsx",
        [
            ["type", "name", "label", "relevant"],
            ["select_one food", "spend", "Spent on", ""],
            ["integer", "spend_other", "How much else?", ""],
            ["text", "what", "What?", "${spend} = 'other'"],
        ],
        [
            ["list_name", "name", "label"],
            ["food", "rice", "Rice"],
            ["food", "other", "Something else"],
        ],
    )
    conversion = convert_xlsform(str(form))
    instrument = parse_instrument_text(conversion.yaml, "o.yaml")
    spend = instrument.question("spend")
    assert [(o.key, o.label) for o in spend.options][-1][0] == "other_choice"
    assert instrument.question("spend_other").type == "number"
    data = yaml.safe_load(conversion.yaml)
    what = data["sections"][0]["questions"][2]
    assert what["show_if"] == {"question": "spend", "equals": "other_choice"}
    assert "survey:2: the 'other' choice of 'spend' is kept as the option 'other_choice'" in (
        "\n".join(conversion.notes)
    )
