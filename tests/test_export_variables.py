"""Statistics files and JSON of questions with long keys, whole numbers and "don't know"."""

from __future__ import annotations

import pytest

from .conftest import login
from .helpers import read_statistical_file as read_back
from .helpers import send_responses

CHOICE_KEY = "type_of_organisation_that_you_represent_x"
SCALE_KEY = "agreement_with_the_statements_about_the_municipal_support_xy"
assert (len(CHOICE_KEY), len(SCALE_KEY)) == (41, 60)

INSTRUMENT = f"""\
format: 1
key: long-keys
version: 1
title: {{en: "Long keys"}}
languages: [en]
sections:
  - key: main
    title: {{en: "Part"}}
    questions:
      - key: {CHOICE_KEY}
        type: single_choice
        label: {{en: "Organisation"}}
        options:
          - {{key: club, label: {{en: "Club"}}}}
          - {{key: union, label: {{en: "Union"}}}}
      - key: {SCALE_KEY}
        type: likert
        scale: agree5
        dont_know: true
        label: {{en: "Support"}}
        items:
          - {{key: city, label: {{en: "City"}}}}
          - {{key: state, label: {{en: "State"}}}}
      - key: members
        type: number
        label: {{en: "Members"}}
      - key: share
        type: number
        label: {{en: "Share"}}
      - key: overall
        type: rating
        dont_know: true
        label: {{en: "Overall"}}
"""
ANSWERS = [
    [(f"q.{CHOICE_KEY}", "union"), (f"q.{SCALE_KEY}.city", "agree"),
     (f"q.{SCALE_KEY}.state", "dont_know"), ("q.members", "4"), ("q.share", "2.5"),
     ("q.overall", "dont_know")],
    [(f"q.{CHOICE_KEY}", "club"), ("q.members", "37"), ("q.overall", "3")],
]  # fmt: skip


@pytest.fixture
def exported(app, client, make_workshop, make_user, tmp_path):
    """Return a function giving the export of a workshop in a format (``answered``: with answers)."""
    path = tmp_path / "long-keys.yaml"
    path.write_text(INSTRUMENT, encoding="utf-8")
    workshop = make_workshop(path)
    make_user("fac@example.org", "facilitator", workshop.series_id, "manage")
    login(client, "fac@example.org")

    def export(suffix: str, answered: bool = True):
        if answered and not getattr(export, "answered", False):
            send_responses(app, workshop.join_code, ANSWERS, "en")
            export.answered = True  # type: ignore[attr-defined]
        return client.get(f"/workshops/{workshop.id}/export.{suffix}?lang=en")

    return export


def codebook_names(exported, suffix: str) -> dict[str, str]:
    """Return ``{column: variable name}`` of a format, from the JSON codebook."""
    field = "spss" if suffix == "sav" else "stata"
    return {e["column"]: e[field] for e in exported("json", False).get_json()["codebook"]}


@pytest.mark.parametrize("suffix", ["sav", "dta"])
@pytest.mark.parametrize("answered", [False, True])
def test_long_keys_of_labelled_questions_are_written(exported, suffix, answered, tmp_path):
    answer = exported(suffix, answered)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    frame, meta = read_back(answer.data, suffix, tmp_path)
    names = codebook_names(exported, suffix)
    choice, city = names[CHOICE_KEY], names[f"{SCALE_KEY}.city"]
    assert meta.variable_value_labels[choice] == {1: "Club", 2: "Union"}
    assert meta.variable_value_labels[city][4] == "Agree"
    assert len(frame) == (2 if answered else 0)
    if answered:
        assert frame[choice].tolist() == [2.0, 1.0]
        assert frame[city].tolist()[0] == 4.0
    limit = 64 if suffix == "sav" else 32
    assert all(len(name) <= limit for name in frame.columns)
    assert len({name.lower() for name in frame.columns}) == len(frame.columns)


def test_labelled_names_leave_room_for_their_label_set_number():
    from survey_app.exports.names import SPSS, STATA, variable_names

    columns = ["a" * 40, "b" * 40, "c" * 40]
    stata = variable_names(columns, STATA, {"a" * 40, "c" * 40})
    assert stata == {"a" * 40: "a" * 31, "b" * 40: "b" * 32, "c" * 40: "c" * 31}
    assert stata == variable_names(columns, STATA, {"a" * 40, "c" * 40})
    labelled = ["x1", *[f"z{i}" for i in range(9)], "x"]
    clash = variable_names(labelled, SPSS, labelled)
    assert clash["x1"] == "x1" and clash["x"] == "x_2"  # set "x" + "10" is "x1" + "0"


def test_json_writes_whole_numbers_as_integers(exported):
    responses = exported("json").get_json()["responses"]
    first, second = responses
    assert first["members"] == 4 and isinstance(first["members"], int)
    assert second["members"] == 37 and isinstance(second["members"], int)
    assert first["share"] == 2.5
    assert first[f"{SCALE_KEY}.city"] == 4 and isinstance(first[f"{SCALE_KEY}.city"], int)
    assert second["overall"] == 3 and isinstance(second["overall"], int)
    assert exported("json").data.count(b"4.0") == 0


def test_spss_shows_whole_numbers_without_decimals(exported, tmp_path):
    _, meta = read_back(exported("sav").data, "sav", tmp_path)
    names = codebook_names(exported, "sav")
    formats = meta.original_variable_types
    for column in ("_response_id", "_workshop_id", CHOICE_KEY, f"{SCALE_KEY}.city", "members"):
        assert formats[names[column]] == "F8.0", column
    assert formats[names["overall_dont_know"]] == "F8.0"
    assert formats[names["share"]] == "F8.2"  # 2.5: a real number keeps its decimals
    assert formats[names["_workshop"]].startswith("A")


@pytest.mark.parametrize("suffix", ["sav", "dta"])
def test_dont_know_columns_have_value_and_variable_labels(exported, suffix, tmp_path):
    frame, meta = read_back(exported(suffix).data, suffix, tmp_path)
    names = codebook_names(exported, suffix)
    rating, item = names["overall_dont_know"], names[f"{SCALE_KEY}.state_dont_know"]
    assert frame[rating].tolist() == [1.0, 0.0] and frame[item].tolist()[0] == 1.0
    labels = meta.variable_value_labels
    assert labels[rating] == {0: "a point 1 to 5", 1: "Don't know"}
    assert labels[item] == {0: "a point of the scale", 1: "Don't know"}
    assert meta.column_names_to_labels[rating] == "Overall: Don't know"
    assert meta.column_names_to_labels[item] == "Support: State: Don't know"
    assert meta.column_names_to_labels[names[f"{SCALE_KEY}.state"]] == "Support: State"
