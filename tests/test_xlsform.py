"""XLSForm import: real-shaped forms (multilingual, choices, relevant) become instruments."""

from __future__ import annotations

from pathlib import Path

import yaml
from openpyxl import Workbook

from survey_app.instruments import parse_instrument_text
from survey_app.instruments.xlsform import convert_xlsform


def workbook(
    path: Path,
    survey: list[list[str]],
    choices: list[list[str]],
    settings: list[list[str]] | None = None,
) -> Path:
    """Write an XLSForm with the given sheets."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    choice_sheet = book.create_sheet("choices")
    for row in choices:
        choice_sheet.append(row)
    if settings:
        settings_sheet = book.create_sheet("settings")
        for row in settings:
            settings_sheet.append(row)
    book.save(path)
    return path


def kobo_needs_form(tmp_path: Path) -> Path:
    """A KoboToolbox-style needs assessment in German, English and Arabic."""
    return workbook(
        tmp_path / "needs.xlsx",
        [
            [
                "type",
                "name",
                "label::Deutsch (de)",
                "label::English (en)",
                "label::العربية (ar)",
                "hint::Deutsch (de)",
                "hint::English (en)",
                "hint::العربية (ar)",
                "required",
                "relevant",
                "appearance",
            ],
            ["begin_group", "profile", "Profil", "Profile", "الملف", "", "", "", "", "", ""],
            ["select_one org_type", "org_type", "Art", "Type", "النوع", "", "", "", "yes", "", ""],
            [
                "text",
                "religion_name",
                "Name der Gemeinde",
                "Community name",
                "اسم الجماعة",
                "",
                "",
                "",
                "",
                "${org_type} = 'religion'",
                "",
            ],
            [
                "integer",
                "members",
                "Mitglieder",
                "Members",
                "الأعضاء",
                "Ungefähr",
                "Roughly",
                "تقريبًا",
                "",
                "",
                "",
            ],
            ["end_group", "", "", "", "", "", "", "", "", "", ""],
            [
                "begin_group",
                "needs_group",
                "Bedarfe",
                "Needs",
                "الاحتياجات",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "select_multiple need",
                "needs",
                "Bedarfe",
                "Needs",
                "الاحتياجات",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            ["rank need", "top", "Rangfolge", "Ranking", "الترتيب", "", "", "", "", "", ""],
            [
                "text",
                "why",
                "Warum?",
                "Why?",
                "لماذا؟",
                "",
                "",
                "",
                "",
                "selected(${needs}, 'money') or selected(${needs}, 'rooms')",
                "multiline",
            ],
            [
                "decimal",
                "budget",
                "Budget",
                "Budget",
                "الميزانية",
                "",
                "",
                "",
                "",
                "${members} != ''",
                "",
            ],
            ["range", "overall", "Gesamt", "Overall", "إجمالي", "", "", "", "", "", ""],
            ["geopoint", "where", "Ort", "Location", "الموقع", "", "", "", "", "", ""],
            [
                "text",
                "note_x",
                "Notiz",
                "Note",
                "ملاحظة",
                "",
                "",
                "",
                "",
                "${members} > 10 and ${org_type} = 'culture'",
                "",
            ],
            ["end_group", "", "", "", "", "", "", "", "", "", ""],
        ],
        [
            [
                "list_name",
                "name",
                "label::Deutsch (de)",
                "label::English (en)",
                "label::العربية (ar)",
            ],
            ["org_type", "culture", "Kultur", "Culture", "ثقافة"],
            ["org_type", "religion", "Religion", "Religion", "دين"],
            ["org_type", "Other", "Andere", "Other", "أخرى"],
            ["need", "money", "Geld", "Money", "المال"],
            ["need", "rooms", "Räume", "Rooms", "مقرات"],
            ["need", "1", "Ehrenamt", "Volunteers", "متطوعون"],
        ],
        [
            ["form_title", "form_id", "version", "default_language"],
            ["Bedarfsabfrage", "needs_2026", "202611", "Deutsch (de)"],
        ],
    )


def test_multilingual_form_with_groups_choices_and_relevant(tmp_path):
    conversion = convert_xlsform(str(kobo_needs_form(tmp_path)))
    instrument = parse_instrument_text(conversion.yaml, "converted.yaml")
    assert instrument.key == "needs_2026" and instrument.version == 202611
    assert instrument.languages == ("de", "en", "ar")
    assert [s.key for s in instrument.sections] == ["profile", "needs_group"]
    questions = {q.key: q for q in instrument.questions()}
    assert questions["org_type"].type == "single_choice" and questions["org_type"].required
    assert [o.key for o in questions["org_type"].options] == ["culture", "religion", "o_other"] or [
        o.key for o in questions["org_type"].options
    ] == ["culture", "religion", "other_choice"]
    assert questions["religion_name"].show_if.equals == "religion"
    assert questions["members"].integer and questions["members"].help["ar"] == "تقريبًا"
    assert questions["needs"].type == "multi_choice"
    assert [o.key for o in questions["needs"].options] == ["money", "rooms", "o_1"]
    assert questions["top"].type == "ranking" and questions["top"].rank == 3
    assert questions["why"].type == "long_text"
    assert set(questions["why"].show_if.in_) == {"money", "rooms"}
    assert questions["budget"].show_if.answered
    assert questions["overall"].type == "rating" and questions["overall"].max == 10
    assert "where" not in questions
    notes = "\n".join(conversion.notes)
    assert "'where' of type 'geopoint' has no equivalent" in notes
    assert questions["note_x"].show_if.equals == "culture" and not questions["note_x"].required
    assert "survey:14: relevant of 'note_x' only partly converted" in notes
    assert "list 'need': names changed to keys" in notes and "'1' -> 'o_1'" in notes


def test_single_language_form_and_command(tmp_path, runner):
    form = workbook(
        tmp_path / "feedback.xlsx",
        [
            ["type", "name", "label", "required"],
            ["select_one yn", "again", "Would you come again?", "true"],
            ["note", "thanks", "Thank you!", ""],
        ],
        [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
    )
    out = tmp_path / "feedback.yaml"
    result = runner.invoke(args=["instruments", "import-xlsform", str(form), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text())
    assert (
        data["languages"] == ["en"]
        and data["sections"][0]["questions"][0]["label"] == "Would you come again?"
    )
    instrument = parse_instrument_text(out.read_text(), str(out))
    assert [o.key for o in instrument.question("again").options] == ["yes", "no"]
    assert runner.invoke(args=["instruments", "load", str(out)]).exit_code == 0


def test_broken_workbook_is_reported_without_traceback(tmp_path, runner):
    broken = workbook(
        tmp_path / "broken.xlsx",
        [["type", "name", "label"], ["begin_group", "g", "G"], ["text", "q", "Q"]],
        [["list_name", "name", "label"]],
    )
    result = runner.invoke(args=["instruments", "import-xlsform", str(broken)])
    assert result.exit_code == 1
    assert "not a readable XLSForm" in result.output and "Traceback" not in result.output


def test_output_in_a_missing_folder_is_an_error_without_traceback(tmp_path, runner):
    form = workbook(
        tmp_path / "f.xlsx",
        [["type", "name", "label"], ["text", "q", "Q"]],
        [["list_name", "name", "label"]],
    )
    out = tmp_path / "missing" / "x.yaml"
    result = runner.invoke(args=["instruments", "import-xlsform", str(form), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert f"cannot write {out}" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, FileNotFoundError)
