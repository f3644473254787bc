"""XLSForm rows pyxform refuses are mended; languages, numbers and the form's name."""

from __future__ import annotations

from survey_app.instruments import parse_instrument_text
from survey_app.instruments.xlsform import convert_xlsform

from .test_xlsform import workbook


def test_rows_pyxform_refuses_are_mended_with_notes(tmp_path):
    form = workbook(
        tmp_path / "broken.xlsx",
        [
            ["type", "name", "label", "parameters", "trigger"],
            ["select_one yes_no", "power", "Power?", "", ""],
            ["begin_group", "item goat meat", "Goat", "", ""],
            ["integer", "price", "Price", "", "${nowhere}"],
            ["integer", "price", "Price again", "", ""],
            ["end_group", "", "", "", ""],
            ["range", "stars", "Stars", "tart=1 end=5 step=1", ""],
        ],
        [["list_name", "name", "label"], ["other_list", "a", "A"]],
    )
    conversion = convert_xlsform(str(form))
    instrument = parse_instrument_text(conversion.yaml, "b.yaml")
    assert instrument.question("power").type == "short_text"
    assert [s.key for s in instrument.sections] == ["main", "item_goat_meat", "main_2"]
    assert [q.key for q in instrument.sections[1].questions] == ["price", "price_2"]
    stars = instrument.question("stars")
    assert (stars.type, stars.max) == ("rating", 5)
    notes = "\n".join(conversion.notes)
    assert "survey:2: list 'yes_no' is not on the choices sheet" in notes
    assert "survey:3: the name 'item goat meat' is not allowed" in notes
    assert "survey:5: the name 'price' is not allowed or repeated in its group" in notes
    assert "survey:7: range parameters tart=1 not understood" in notes


def test_numbers_keep_their_bounds_and_wide_ranges_become_numbers(tmp_path):
    form = workbook(
        tmp_path / "numbers.xlsx",
        [
            ["type", "name", "label", "constraint", "parameters"],
            ["integer", "total", "Total", "", ""],
            ["integer", "age", "Age", ".>17 and .< 120", ""],
            ["decimal", "share", "Share", ". >= 0 and . <= 100", ""],
            ["integer", "stock", "Stock", ".>=0 and .<=${total}", ""],
            ["integer", "code", "Code", ".> 0 or .= -999", ""],
            ["range", "height", "Height", "", "start=0 end=30 step=1"],
        ],
        [["list_name", "name", "label"]],
    )
    conversion = convert_xlsform(str(form))
    instrument = parse_instrument_text(conversion.yaml, "n.yaml")
    age, share = instrument.question("age"), instrument.question("share")
    assert (age.min, age.max, age.integer) == (18, 119, True)
    assert (share.min, share.max, share.integer) == (0, 100, False)
    assert (instrument.question("stock").min, instrument.question("stock").max) == (0, None)
    assert instrument.question("code").min is None
    height = instrument.question("height")
    assert (height.type, height.min, height.max, height.integer) == ("number", 0, 30, True)
    notes = "\n".join(conversion.notes)
    assert "survey:5: constraint of 'stock' not converted (.<=${total})" in notes
    assert "survey:6: constraint of 'code' not converted" in notes
    assert "survey:7: range 'height' is not a 1 to 2-10 scale" in notes


def test_language_names_become_codes_and_the_default_comes_first(tmp_path):
    form = workbook(
        tmp_path / "langs.xlsx",
        [
            ["type", "name", "label::English", "label::Dari", "label::العربية", "label::Klingon"],
            ["text", "name", "Name", "نام", "الاسم", "pong"],
            ["integer", "age", "Age of ${name}", "", "", ""],
        ],
        [["list_name", "name", "label"]],
        [["form_title", "default_language"], ["Langs", "Dari"]],
    )
    conversion = convert_xlsform(str(form), "Household Survey 2024.xlsx")
    instrument = parse_instrument_text(conversion.yaml, "l.yaml")
    assert instrument.languages == ("prs", "en", "ar", "und")
    assert instrument.question("name").label["ar"] == "الاسم"
    assert instrument.key == "household-survey-2024"
    notes = "\n".join(conversion.notes)
    assert "survey:1: language 'Klingon' is not known; used the code 'und'" in notes
    assert "settings:1: no form_id; the file name 'Household Survey 2024' is the key" in notes
    assert "survey:3: no text in 'prs'; copied from another language" in notes
    assert "survey:3: texts show earlier answers (${name})" in notes


def test_select_one_from_list_and_select_all_that_apply_from_list(tmp_path):
    form = workbook(
        tmp_path / "from.xlsx",
        [
            ["type", "name", "label"],
            ["select one from yes_no", "q", "Q"],
            ["select all that apply from browsers", "b", "B"],
            ["select_one_from_file places.csv", "p", "P"],
        ],
        [
            ["list_name", "name", "label"],
            ["yes_no", "yes", "Yes"],
            ["yes_no", "no", "No"],
            ["browsers", "firefox", "Firefox"],
        ],
    )
    conversion = convert_xlsform(str(form))
    instrument = parse_instrument_text(conversion.yaml, "f.yaml")
    assert instrument.question("q").type == "single_choice"
    assert [o.key for o in instrument.question("q").options] == ["yes", "no"]
    assert instrument.question("b").type == "multi_choice"
    assert instrument.question("p").type == "short_text"
    assert not [n for n in conversion.notes if "not on the choices sheet" in n]


def test_language_columns_with_one_colon_are_read_as_languages(tmp_path):
    form = workbook(
        tmp_path / "one_colon.xlsx",
        [
            ["type", "name", "label:English", "label:Arabic", "hint:English"],
            ["text", "name", "What is your name?", "ما هو اسمك؟", "Given name"],
            ["select_one yn", "ok", "All right?", "هل أنت بخير؟", ""],
        ],
        [
            ["list_name", "name", "label:English", "label:Arabic"],
            ["yn", "yes", "Yes", "نعم"],
            ["yn", "no", "No", "لا"],
        ],
    )
    conversion = convert_xlsform(str(form))
    instrument = parse_instrument_text(conversion.yaml, "c.yaml")
    assert instrument.languages == ("en", "ar")
    assert dict(instrument.question("name").label) == {
        "en": "What is your name?",
        "ar": "ما هو اسمك؟",
    }
    assert instrument.question("name").help["en"] == "Given name"
    assert dict(instrument.question("ok").options[0].label) == {"en": "Yes", "ar": "نعم"}
