"""Pure parts of the questionnaire library: upload checks, completeness, differences."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest

from survey_app.definition.errors import InvalidInstrument
from survey_app.instruments import parse_instrument_text
from survey_app.instruments.completeness import translation_completeness
from survey_app.instruments.diff import diff_instruments, differences_between
from survey_app.instruments.upload import (
    MAX_UPLOAD_BYTES,
    FileKind,
    Refusal,
    UploadRefused,
    check_upload,
    file_kind,
    shown_name,
)

from .test_library import small


def refusal(filename: str, data: bytes) -> Refusal:
    with pytest.raises(UploadRefused) as caught:
        file_kind(filename, data)
    return caught.value.reason


def test_file_kind_looks_at_name_and_content():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert file_kind("Form.XLSX", buffer.getvalue()) is FileKind.xlsx
    assert file_kind("form.yml", b"format: 1") is FileKind.yaml
    assert refusal("form.yaml", b"") is Refusal.empty
    assert refusal("form.yaml", b"#" * (MAX_UPLOAD_BYTES + 1)) is Refusal.too_large
    assert refusal("form.xls", b"\xd0\xcf\x11\xe0") is Refusal.not_xls  # cut short
    assert file_kind("form.xls", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0") is FileKind.xls
    assert refusal("form.xlsb", b"\xd0\xcf\x11\xe0") is Refusal.wrong_type
    assert refusal("form.yaml.exe", b"format: 1") is Refusal.wrong_type
    assert refusal("form.xlsx", b"format: 1") is Refusal.not_xlsx
    assert refusal("form.yaml", buffer.getvalue()) is Refusal.not_text


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/big.xml", b"0" * (30 * 1024 * 1024))
    assert len(buffer.getvalue()) < MAX_UPLOAD_BYTES
    assert refusal("form.xlsx", buffer.getvalue()) is Refusal.too_large


def test_names_of_uploads_are_reduced_to_their_last_part():
    assert shown_name("C:\\Users\\me\\needs.yaml") == "needs.yaml"
    assert shown_name("../../etc/passwd.yaml") == "passwd.yaml"
    assert shown_name("") == "upload"


def test_yaml_tags_are_never_executed():
    text = small() + "extra: !!python/object/apply:os.system ['echo hacked']\n"
    checked = check_upload("evil.yaml", text.encode())
    assert not checked.valid
    assert "not valid YAML" in checked.problems[0].problem.message


def test_aliases_that_expand_to_billions_of_values_are_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    with pytest.raises(InvalidInstrument) as caught:
        parse_instrument_text("\n".join(lines), "laughs.yaml")
    assert "aliases" in str(caught.value)


def test_completeness_counts_missing_and_identical_texts():
    instrument = parse_instrument_text(small(sports_ar="Sport"))
    question = instrument.question("kind")
    without_arabic = dataclasses.replace(question, label={"de": "Art"})
    section = dataclasses.replace(instrument.sections[0], questions=(without_arabic,))
    table = translation_completeness(dataclasses.replace(instrument, sections=(section,)))
    row = next(r for r in table.rows if r.key == "kind")
    assert row.cells["ar"].missing == ("label",)
    assert row.cells["ar"].same == ("options.sports",)
    assert row.cells["de"].complete and not row.cells["ar"].complete
    assert table.totals() == {"de": (5, 5), "ar": (3, 5)}
    assert table.open_rows() == 1


def test_diff_tells_wording_from_settings():
    old = parse_instrument_text(small())
    stricter = parse_instrument_text(
        small(version=2).replace(
            "type: single_choice", "type: single_choice\n        required: true"
        )
    )
    diff = diff_instruments(old, stricter)
    (changed,) = diff.questions
    assert [(c.kind, c.field, c.old, c.new) for c in changed.changes] == [
        ("setting", "required", "False", "True")
    ]
    assert not diff.wording_differs
    assert differences_between([stricter, old]) == []
    arabic = parse_instrument_text(small(version=3, sports_ar="الرياضة"))
    (found,) = differences_between([arabic, old, stricter])
    assert (found.old.version, found.new.version) == (2, 3)
    change, setting = found.questions[0].changes  # v3 is not "required" any more
    assert setting.field == "required"
    assert change.kind == "reworded" and change.field == "options.sports"
    assert change.languages == ("ar",) and change.language == "ar"
    assert (change.old, change.new) == ("رياضة", "الرياضة")


def test_reordered_options_are_a_setting_not_wording():
    old = parse_instrument_text(small())
    lines = small(version=2).splitlines()
    lines[13], lines[14] = lines[14], lines[13]
    diff = diff_instruments(old, parse_instrument_text("\n".join(lines)))
    assert [c.field for c in diff.questions[0].changes] == ["order"]
    assert not diff.wording_differs
