"""Raw-data exports: CSV, XLSX and JSON read back with the standard readers."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from survey_app.demo import simulated_form
from survey_app.exports.table import time_zone_of
from survey_app.extensions import db
from survey_app.instruments import parse_instrument_file
from survey_app.models import DEFAULT_TIME_ZONE, Answer, Response, Series, Workshop

from .conftest import FIXTURES, INSTRUMENTS, login
from .helpers import open_form, post_form

KICKOFF, _ = parse_instrument_file(INSTRUMENTS / "needs-expectations.yaml")
HOSTILE = '=HYPERLINK("http://evil.example","click")'


def fill(app, code: str, count: int, extra: list[tuple[str, str]] | None = None) -> None:
    for seed in range(count):
        participant = app.test_client()
        fields = open_form(participant, code, "de")
        form = [
            *simulated_form(KICKOFF, "de", random.Random(seed)).items(multi=True),
            ("consent", "yes"),
        ]
        if extra and seed == 0:
            form = [(k, v) for k, v in form if k not in dict(extra)] + extra
        assert post_form(participant, code, fields, form).status_code == 200


@pytest.fixture
def staff(app, client, make_workshop, make_user):
    workshop = make_workshop("needs-expectations")
    make_user("fac@example.org", "facilitator", workshop.series_id, "manage")
    make_user("viewer@example.org", "viewer", workshop.series_id, "read")
    extra = [
        ("q.expectations_state", HOSTILE),
        ("q.members", "42"),
        ("q.municipality", "Bielefeld"),
    ]
    fill(app, workshop.join_code, 4, extra)
    login(client, "fac@example.org")
    return workshop


def stored(app) -> dict[int, dict[str, list[Answer]]]:
    with app.app_context():
        result: dict[int, dict[str, list[Answer]]] = {}
        for answer in db.session.scalars(select(Answer).order_by(Answer.id)):
            result.setdefault(answer.response_id, {}).setdefault(answer.question_key, []).append(
                answer
            )
        db.session.expunge_all()
        return result


def test_csv_matches_stored_answers(app, client, staff):
    answer = client.get(f"/workshops/{staff.id}/export.csv?delimiter=semicolon")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    text = answer.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    answers = stored(app)
    assert len(rows) == 4 == len(answers)
    for row in rows:
        mine = answers[int(row["_response_id"])]
        org = mine["org_type"][0].option_key
        assert row["org_type"] == org
        assert (
            row["org_type_label"]
            == next(o.label["de"] for o in KICKOFF.question("org_type").options if o.key == org)
            or org == "other"
        )
        ranked = {a.option_key: int(a.value_num) for a in mine.get("top_needs", [])}
        for option in KICKOFF.question("top_needs").options:
            assert row[f"top_needs.{option.key}"] == (
                str(ranked[option.key]) if option.key in ranked else ""
            )
        chosen = {a.option_key for a in mine.get("fields_of_work", [])}
        if chosen:
            assert {
                o
                for o in KICKOFF.question("fields_of_work").option_keys
                if row[f"fields_of_work.{o}"] == "1"
            } == chosen
    first = next(r for r in rows if r["members"] == "42.0" or r["members"] == "42")
    assert first["expectations_state"] == "'" + HOSTILE  # a formula is neutralized


def test_xlsx_has_data_codebook_and_no_formula(app, client, staff):
    answer = client.get(f"/series/{staff.series_id}/export.xlsx")
    workbook = load_workbook(io.BytesIO(answer.data))
    assert workbook.sheetnames == ["data", "codebook"]
    data = list(workbook["data"].iter_rows(values_only=True))
    header, body = data[0], data[1:]
    assert len(body) == 4
    column = header.index("expectations_state")
    texts = [row[column] for row in body if row[column]]
    assert HOSTILE in texts  # as typed, in a string cell
    cells = [cell for row in workbook["data"].iter_rows() for cell in row]
    assert {cell.data_type for cell in cells if isinstance(cell.value, str)} == {"s"}
    assert {cell.data_type for cell in cells if isinstance(cell.value, int | float)} == {"n"}
    hostile = next(cell for cell in cells if cell.value == HOSTILE)
    assert hostile.quotePrefix  # stays text when somebody edits it
    answers = stored(app)
    for row in body:  # numbers as numbers, 0 included
        mine = answers[row[header.index("_response_id")]]
        chosen = {a.option_key for a in mine.get("fields_of_work", [])}
        for option in KICKOFF.question("fields_of_work").option_keys if chosen else ():
            assert row[header.index(f"fields_of_work.{option}")] == int(option in chosen)
        if "members" in mine:
            assert row[header.index("members")] == mine["members"][0].value_num
    codebook = list(workbook["codebook"].iter_rows(values_only=True))
    entry = next(r for r in codebook if r[0] == "org_type")
    assert "culture = Kulturverein" in entry[4]
    assert {r[0] for r in codebook[1:]} == set(header)


def test_json_round_trip(app, client, staff):
    body = json.loads(client.get(f"/workshops/{staff.id}/export.json?lang=en").data)
    assert set(body) == {"columns", "codebook", "responses"}
    answers = stored(app)
    for row in body["responses"]:
        mine = answers[row["_response_id"]]
        if "members" in mine:
            assert row["members"] == mine["members"][0].value_num
        if "expectations_state" in mine:
            assert (
                row["expectations_state"] == mine["expectations_state"][0].value_text
            )  # JSON keeps text as typed
    assert any(
        row["org_type_label"] and row["org_type_label"][0].isascii() for row in body["responses"]
    )


def test_viewers_and_other_series_get_no_raw_data(app, client, staff, make_workshop, make_user):
    viewer = app.test_client()
    login(viewer, "viewer@example.org")
    assert viewer.get(f"/workshops/{staff.id}/export.csv").status_code == 403
    other = make_workshop(FIXTURES / "all-types.yaml", series="other")
    assert client.get(f"/workshops/{other.id}/export.csv").status_code == 403
    assert client.get(f"/workshops/{staff.id}/export.exe").status_code == 404


def test_export_command(app, runner, staff, tmp_path):
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["export", "--series", "s1", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    with app.app_context():
        assert len(rows) == db.session.query(Response).count() == 4
    both = runner.invoke(
        args=["export", "--series", "s1", "--workshop", "1", "--format", "csv", "-o", str(target)]
    )
    assert both.exit_code == 2


def test_response_columns_never_share_a_name_with_a_question(client, staff):
    """The workshop's municipality and the question "municipality" are two columns."""
    text = client.get(f"/workshops/{staff.id}/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["_municipality"] for row in rows} == {"Teststadt"}
    assert "Bielefeld" in {row["municipality"] for row in rows}
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(header) == len(set(header))
    assert header[:7] == [
        "_response_id", "_workshop_id", "_workshop", "_municipality", "_language", "_submitted_at",
        "_time_zone",
    ]  # fmt: skip
    body = json.loads(client.get(f"/workshops/{staff.id}/export.json").data)
    assert {row["_municipality"] for row in body["responses"]} == {"Teststadt"}
    assert "Bielefeld" in {row["municipality"] for row in body["responses"]}
    assert [e["column"] for e in body["codebook"]] == body["columns"]
    sheet = load_workbook(io.BytesIO(client.get(f"/workshops/{staff.id}/export.xlsx").data))
    data = list(sheet["data"].iter_rows(values_only=True))
    place, answer = data[0].index("_municipality"), data[0].index("municipality")
    assert {row[place] for row in data[1:]} == {"Teststadt"}
    assert "Bielefeld" in {row[answer] for row in data[1:]}


def set_times(app, zone: str | None, moment: datetime) -> None:
    """Give every response ``moment`` (UTC) and the series the time zone ``zone``."""
    with app.app_context():
        for response in db.session.scalars(select(Response)):
            response.submitted_at = moment
        if zone:
            db.session.scalars(select(Series)).one().time_zone = zone
        db.session.commit()


@pytest.mark.parametrize(
    ("zone", "moment", "shown"),
    [
        (None, datetime(2026, 5, 4, 8, 15), "2026-05-04T10:15:00+02:00"),
        (None, datetime(2026, 1, 15, 23, 30), "2026-01-16T00:30:00+01:00"),
        ("America/New_York", datetime(2026, 5, 4, 8, 15), "2026-05-04T04:15:00-04:00"),
        ("Asia/Kolkata", datetime(2026, 5, 4, 8, 15), "2026-05-04T13:45:00+05:30"),
    ],
)
def test_times_carry_their_offset_in_the_series_time_zone(app, client, staff, zone, moment, shown):
    set_times(app, zone, moment)
    body = json.loads(client.get(f"/workshops/{staff.id}/export.json").data)
    assert {row["_submitted_at"] for row in body["responses"]} == {shown}
    assert {row["_time_zone"] for row in body["responses"]} == {zone or "Europe/Berlin"}
    assert datetime.fromisoformat(shown).astimezone(UTC).replace(tzinfo=None) == moment
    notes = {entry["column"]: entry["label"] for entry in body["codebook"]}
    # in the export's language (this questionnaire's first: German)
    assert "Abstand zu UTC" in notes["_submitted_at"] and "_time_zone" in notes["_submitted_at"]
    text = client.get(f"/workshops/{staff.id}/export.csv-de").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert {row["_submitted_at"] for row in rows} == {shown}


def test_a_workshop_outside_a_series_uses_the_default_time_zone(app, client, make_workshop):
    workshop = make_workshop("workshop-feedback", series=None)
    with app.app_context():
        assert time_zone_of(db.session.get(Workshop, workshop.id)).key == DEFAULT_TIME_ZONE


def test_an_unknown_time_zone_name_falls_back_to_the_default():
    series = Series(slug="x", title="X", time_zone="Nowhere/Atlantis")
    assert time_zone_of(Workshop(title="W", series=series)).key == DEFAULT_TIME_ZONE
    series.time_zone = "Asia/Tokyo"
    assert time_zone_of(Workshop(title="W", series=series)).key == "Asia/Tokyo"


VERSIONED = """format: 1
key: versioned
version: {version}
title: {{de: "Versionen"}}
languages: [de]
sections:
  - key: main
    title: {{de: "Fragen"}}
    questions:
      - key: {question}
        type: short_text
        label: {{de: "{label}"}}
      - key: shared
        type: short_text
        label: {{de: "Beide"}}
"""


def test_workshops_of_two_versions_keep_every_answer(
    app, client, make_workshop, make_user, tmp_path
):
    """A question that only the earlier version asks keeps its column and its answers."""
    files = []
    for version, question, label in ((1, "dropped", "Nur in Version 1"), (2, "added", "Neu")):
        path = tmp_path / f"versioned-{version}.yaml"
        path.write_text(VERSIONED.format(version=version, question=question, label=label))
        files.append(path)
    first = make_workshop(files[0])
    phone = app.test_client()
    fields = open_form(phone, first.join_code, "de")
    post_form(phone, first.join_code, fields, [("q.dropped", "alte Antwort"), ("q.shared", "eins")])
    second = make_workshop(files[1])
    phone = app.test_client()
    fields = open_form(phone, second.join_code, "de")
    post_form(phone, second.join_code, fields, [("q.added", "neue Antwort"), ("q.shared", "zwei")])
    make_user("admin@example.org", "admin")
    login(client, "admin@example.org")
    with app.app_context():
        series_id = db.session.get(Workshop, first.id).series_id
    answer = client.get(f"/series/{series_id}/export.csv")
    assert answer.status_code == 200, answer.status_code
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    got = {row["_workshop_id"]: (row["added"], row["dropped"], row["shared"]) for row in rows}
    assert got == {
        str(first.id): ("", "alte Antwort", "eins"),
        str(second.id): ("neue Antwort", "", "zwei"),
    }


def test_workshops_of_different_questionnaires_are_refused_not_mixed(
    app, runner, make_workshop, tmp_path
):
    make_workshop(FIXTURES / "free-text.yaml")
    make_workshop(FIXTURES / "all-types.yaml")
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["export", "--series", "s1", "--format", "csv", "-o", str(target)])
    assert result.exit_code != 0 and not target.exists()
    assert "different questionnaires (all-types, free-text)" in result.output


def test_the_refusal_of_mixed_questionnaires_is_in_the_readers_language(
    make_workshop, logged_in_client
):
    """Finding: the 422 page of a mixed series was German around an English reason."""
    first = make_workshop(FIXTURES / "free-text.yaml")
    make_workshop(FIXTURES / "all-types.yaml")
    facilitator = logged_in_client("facilitator", first.series_id)
    answer = facilitator.get(
        f"/series/{first.series_id}/export.csv", headers={"Accept-Language": "de"}
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "verschiedene Fragebögen (all-types, free-text)" in page
    assert "different questionnaires" not in page
