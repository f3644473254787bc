"""SPSS (.sav) and Stata (.dta) exports read back with pyreadstat: values, names and labels."""

from __future__ import annotations

import math

import pytest

from survey_app.exports.names import SPSS, STATA, variable_names

from .conftest import login
from .helpers import read_statistical_file as read_back
from .helpers import send_responses

#: 150 characters of German: longer than a Stata variable label (80) holds.
LONG_DE = (
    "Wie zufrieden sind Sie insgesamt mit der Unterstützung, die Ihre Organisation von der "
    "Stadtverwaltung, dem Land und den Verbänden bisher erhalten hat?"
)
assert len(LONG_DE) == 150
ARABIC = "ما نوع المنظمة التي تمثلونها؟"
LONG_KEY = "satisfaction_with_the_support_of_the_municipality"
TWIN_KEY = "satisfaction_with_the_support_of_the_state"

INSTRUMENT = f"""\
format: 1
key: stats-check
version: 1
title: {{de: "Statistik", ar: "إحصاء"}}
languages: [de, ar]
sections:
  - key: main
    title: {{de: "Teil", ar: "جزء"}}
    questions:
      - key: org_type
        type: single_choice
        other: true
        label: {{de: "Was für eine Organisation?", ar: "{ARABIC}"}}
        options:
          - {{key: culture, label: {{de: "Kulturverein", ar: "جمعية ثقافية"}}}}
          - {{key: youth, label: {{de: "{LONG_DE}", ar: "منظمة شبابية"}}}}
      - key: fields
        type: multi_choice
        label: {{de: "Felder", ar: "مجالات"}}
        options:
          - {{key: education, label: {{de: "Bildung", ar: "تعليم"}}}}
          - {{key: sports, label: {{de: "Sport", ar: "رياضة"}}}}
      - key: support
        type: likert
        scale: agree5
        label: {{de: "Unterstützung", ar: "دعم"}}
        items:
          - {{key: city, label: {{de: "Stadt", ar: "مدينة"}}}}
      - key: needs
        type: ranking
        rank: 2
        label: {{de: "Bedarf", ar: "احتياجات"}}
        options:
          - {{key: money, label: {{de: "Geld", ar: "مال"}}}}
          - {{key: rooms, label: {{de: "Räume", ar: "غرف"}}}}
          - {{key: staff, label: {{de: "Personal", ar: "موظفون"}}}}
      - key: members
        type: number
        label: {{de: "Mitglieder", ar: "أعضاء"}}
      - key: municipality
        type: short_text
        label: {{de: "Ihre Stadt", ar: "مدينتكم"}}
      - key: remarks
        type: long_text
        label: {{de: "{LONG_DE}", ar: "ملاحظات"}}
      - key: {LONG_KEY}
        type: rating
        label: {{de: "Stadt", ar: "مدينة"}}
      - key: {TWIN_KEY}
        type: rating
        label: {{de: "Land", ar: "ولاية"}}
"""
ANSWERS = [
    [
        ("q.org_type", "youth"), ("q.fields", "education"), ("q.fields", "sports"),
        ("q.support.city", "agree"), ("q.members", "1987"), ("q.municipality", "Bielefeld"),
        ("q.remarks", "ع" * 1500), (f"q.{LONG_KEY}", "4"), (f"q.{TWIN_KEY}", "2"),
        ("q.needs.1", "rooms"), ("q.needs.2", "money"),
    ],
    [("q.org_type", "other"), ("q.org_type.other", "Moscheeverein"), ("q.members", "12,5")],
    [("q.remarks", "- Räume =1+1")],
]  # fmt: skip


@pytest.fixture
def staff_client(app, client, make_workshop, make_user, tmp_path):
    path = tmp_path / "stats-check.yaml"
    path.write_text(INSTRUMENT, encoding="utf-8")
    workshop = make_workshop(path)
    send_responses(app, workshop.join_code, ANSWERS, "de")
    make_user("fac@example.org", "facilitator", workshop.series_id, "manage")
    login(client, "fac@example.org")
    return client, workshop


@pytest.mark.parametrize("suffix", ["sav", "dta"])
def test_statistics_file_keeps_values_and_labels(staff_client, suffix, tmp_path):
    client, workshop = staff_client
    answer = client.get(f"/workshops/{workshop.id}/export.{suffix}?lang=de")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].endswith(f'.{suffix}"')
    frame, meta = read_back(answer.data, suffix, tmp_path)
    flavour = SPSS if suffix == "sav" else STATA
    if suffix == "dta":  # format 118: Unicode, long texts as strL
        assert answer.data.startswith(b"<stata_dta><header><release>118</release>")
    meta_prefix = "meta_" if suffix == "sav" else "_"
    assert len(frame) == 3
    first, second, third = (frame.iloc[i] for i in range(3))
    # Numbers are numbers, codes are numbers with value labels, texts are strings.
    assert meta.readstat_variable_types["members"] == "double"
    assert list(frame["members"][:2]) == [1987.0, 12.5]
    assert first["org_type"] == 2.0 and second["org_type"] == 3.0
    labels = meta.variable_value_labels["org_type"]
    assert labels[1] == "Kulturverein" and labels[3] == "Andere"
    if suffix == "sav":  # SPSS holds 120 bytes of a value label, Stata the whole label
        assert len(labels[2].encode()) <= 120 and labels[2].endswith("…")
        assert LONG_DE.startswith(labels[2][:-1])
    else:
        assert labels[2] == LONG_DE
    assert second["org_type_other"] == "Moscheeverein"
    assert "org_type_label" not in frame.columns  # the value labels say it
    assert (first["fields_education"], first["fields_sports"]) == (1.0, 1.0)
    assert meta.variable_value_labels["fields_education"] == {0: "not chosen", 1: "chosen"}
    assert first["support_city"] == 4.0
    assert (first["needs_rooms"], first["needs_money"]) == (1.0, 2.0)
    assert math.isnan(first["needs_staff"]) and math.isnan(second["needs_rooms"])
    assert meta.variable_value_labels["support_city"][4] == "Stimme eher zu"
    assert first["remarks"] == "ع" * 1500 and third["remarks"] == "- Räume =1+1"
    assert frame[f"{meta_prefix}municipality"].tolist() == ["Teststadt"] * 3
    assert first["municipality"] == "Bielefeld"
    assert meta.readstat_variable_types[f"{meta_prefix}response_id"] == "double"
    # Variable labels: whole where they fit, cut with "…" where they do not.
    remarks = meta.column_names_to_labels["remarks"]
    if suffix == "sav":
        assert remarks == LONG_DE
    else:
        assert len(remarks) == 80 and remarks.endswith("…") and LONG_DE.startswith(remarks[:-1])
    # A key too long for the format is cut, and its twin still has a name of its own.
    names = variable_names([LONG_KEY, TWIN_KEY], flavour)
    assert frame[names[LONG_KEY]].tolist()[0] == 4.0
    assert frame[names[TWIN_KEY]].tolist()[0] == 2.0
    assert all(len(name) <= flavour.name_length for name in frame.columns)
    assert len({name.lower() for name in frame.columns}) == len(frame.columns)


def test_arabic_labels_in_both_formats(staff_client, tmp_path):
    client, workshop = staff_client
    for suffix in ("sav", "dta"):
        answer = client.get(f"/workshops/{workshop.id}/export.{suffix}?lang=ar")
        frame, meta = read_back(answer.data, suffix, tmp_path)
        assert meta.column_names_to_labels["org_type"] == ARABIC
        assert meta.variable_value_labels["org_type"][1] == "جمعية ثقافية"
        assert meta.column_names_to_labels["fields_sports"] == "مجالات: رياضة"


def test_names_are_valid_unique_and_listed_in_the_codebook(staff_client):
    client, workshop = staff_client
    codebook = client.get(f"/workshops/{workshop.id}/export.json").get_json()["codebook"]
    by_column = {entry["column"]: entry for entry in codebook}
    assert by_column["_response_id"]["spss"] == "meta_response_id"
    assert by_column["_response_id"]["stata"] == "_response_id"
    assert by_column["fields.sports"]["stata"] == "fields_sports"
    assert by_column["org_type_label"]["spss"] == by_column["org_type_label"]["stata"] == ""
    stata = [entry["stata"] for entry in codebook if entry["stata"]]
    assert by_column[LONG_KEY]["stata"] == LONG_KEY[:32]
    assert by_column[TWIN_KEY]["stata"] == TWIN_KEY[:30] + "_2"
    assert len(set(stata)) == len(stata)
    assert all(len(name) <= 32 and name.isidentifier() for name in stata)
    spss = [entry["spss"] for entry in codebook if entry["spss"]]
    assert by_column[LONG_KEY]["spss"] == LONG_KEY and all(n[0].isalpha() for n in spss)


def test_name_rule_is_deterministic_and_avoids_reserved_words():
    columns = ["_response_id", "in", "str12", "all", "a" * 40, "a" * 40 + "_label", "x.y", "x_y"]
    stata = variable_names(columns, STATA)
    assert stata == variable_names(columns, STATA)
    assert stata["in"] == "in_2" and stata["str12"] == "str12_2"
    assert stata["a" * 40] == "a" * 32 and stata["a" * 40 + "_label"] == "a" * 30 + "_2"
    assert stata["x.y"] == "x_y" and stata["x_y"] == "x_y_2"
    spss = variable_names(columns, SPSS)
    assert spss["_response_id"] == "meta_response_id" and spss["all"] == "all_2"
    assert spss["in"] == "in" and spss["str12"] == "str12"


def test_command_line_writes_statistics_files(app, runner, staff_client, tmp_path):
    _, workshop = staff_client
    for suffix in ("sav", "dta"):
        target = tmp_path / f"out.{suffix}"
        result = runner.invoke(
            args=["export", "--workshop", str(workshop.id), "--format", suffix, "-o", str(target)]
        )
        assert result.exit_code == 0, result.output
        frame, _ = read_back(target.read_bytes(), suffix, tmp_path)
        assert len(frame) == 3


def test_download_links_offer_every_format(staff_client):
    client, workshop = staff_client
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    for name in ("xlsx", "csv", "csv-de", "sav", "dta"):
        assert f"/workshops/{workshop.id}/export.{name}" in page
    series = client.get(f"/series/{workshop.series_id}").get_data(as_text=True)
    assert f"/series/{workshop.series_id}/export.dta" in series


def test_a_file_pyreadstat_refuses_is_an_error_page_not_a_crash(staff_client, monkeypatch):
    import pyreadstat as library

    def refuse(*args, **kwargs):
        raise library.ReadstatError("refused")

    monkeypatch.setattr(library, "write_dta", refuse)
    client, workshop = staff_client
    answer = client.get(f"/workshops/{workshop.id}/export.dta")
    assert answer.status_code == 422
    assert "Traceback" not in answer.get_data(as_text=True)


def test_spss_levels_of_measurement(staff_client, tmp_path):
    client, workshop = staff_client
    answer = client.get(f"/workshops/{workshop.id}/export.sav")
    _, meta = read_back(answer.data, "sav", tmp_path)
    levels = meta.variable_measure
    assert levels["org_type"] == levels["fields_sports"] == levels["remarks"] == "nominal"
    assert levels["support_city"] == levels["needs_rooms"] == "ordinal"
    assert levels["members"] == levels["meta_response_id"] == "scale"
