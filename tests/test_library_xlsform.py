"""XLSForm uploads: .xls and .csv too, the uploaded name, short flashes, large versions."""

from __future__ import annotations

import pytest

from survey_app.instruments.upload import FileKind, Refusal, UploadRefused, file_kind

from .test_library import small, staff, stored, upload  # noqa: F401 - staff is a fixture
from .test_xlsform import workbook
from .test_xlsform_real_forms import FORMS

CSV_FORM = """\
survey,type,name,label
,select_one yn,again,Would you come again?
,text,why,Why?
choices,list_name,name,label
,yn,yes,Yes
,yn,no,No
"""


def test_csv_xlsform_is_converted_and_named_after_the_uploaded_file(app, staff):  # noqa: F811
    answer = upload(staff, CSV_FORM, "Feedback Form.csv")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert stored(app)[-1][0] == "feedback-form"  # not the temporary file's name


def test_xls_and_csv_are_told_apart_by_content():
    assert file_kind("f.csv", CSV_FORM.encode()) is FileKind.csv
    assert FileKind.csv.is_xlsform and not FileKind.yaml.is_xlsform
    for name, data, reason in (
        ("f.xls", b"type,name\n", Refusal.not_xls),
        ("f.csv", b"PK\x03\x04zip", Refusal.not_csv),
        ("f.csv", "type,name\n".encode("utf-16"), Refusal.not_csv),
    ):
        with pytest.raises(UploadRefused) as refused:
            file_kind(name, data)
        assert refused.value.reason is reason


def test_broken_xls_is_refused_with_a_message(app, staff):  # noqa: F811
    answer = upload(staff, bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600, "broken.xls")
    assert answer.status_code == 422
    assert "is not an XLSForm that can be read" in answer.get_data(as_text=True)


@pytest.mark.skipif(not FORMS.is_dir(), reason=f"the real XLSForms are not at {FORMS}")
def test_real_xls_form_is_stored(app, staff):  # noqa: F811
    answer = upload(staff, (FORMS / "hotosm_health.xls").read_bytes(), "hotosm_health.xls")
    assert answer.status_code == 302
    assert ("healthcare", 1) in stored(app)


def test_many_notes_are_flashed_as_a_short_summary(app, staff, tmp_path):  # noqa: F811
    rows = [["type", "name", "label"], ["text", "a", "A"]]
    # Names in Arabic: each letter takes 6 bytes in the cookie's JSON (\uXXXX).
    rows += [["geopoint", f"مكان_الاجتماع_{n}_" + "ب" * 90, f"Place {n}"] for n in range(150)]
    form = workbook(tmp_path / "many.xlsx", rows, [["list_name", "name", "label"]])
    answer = upload(staff, form.read_bytes(), "many.xlsx")
    assert answer.status_code == 302
    cookie = answer.headers.get("Set-Cookie", "")
    assert 0 < len(cookie) < 4000, len(cookie)
    page = staff.get(answer.headers["Location"]).get_data(as_text=True)
    assert page.count("Not converted as is:") == 3
    assert "more notes; the command survey-app instruments import-xlsform" in page


def test_huge_version_is_refused_in_yaml_and_shortened_from_xlsform(app, staff, tmp_path):  # noqa: F811
    answer = upload(staff, small(version=20240508231115), "small.yaml")
    assert answer.status_code == 422
    assert "must be at most 2147483647" in answer.get_data(as_text=True)
    form = workbook(
        tmp_path / "v.xlsx",
        [["type", "name", "label"], ["text", "a", "A"]],
        [["list_name", "name", "label"]],
        [["form_id", "version"], ["dated", "20240508231115"]],
    )
    assert upload(staff, form.read_bytes(), "v.xlsx").status_code == 302
    assert ("dated", 2024050823) in stored(app)
