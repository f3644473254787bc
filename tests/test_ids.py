"""Ids and whole numbers typed by visitors: total parsers, the same range everywhere."""

from __future__ import annotations

import pytest

from survey_app.ids import MAX_ID, parse_id, row_id, whole_number
from survey_app.instruments.xlsform_numbers import range_spec
from survey_app.instruments.xlsform_settings import form_version

NOT_IDS = ["", "0", "-1", "+1", " 1", "1 ", "²", "①", "١٢", "１２", "x", "1.0", "1e3",
           str(MAX_ID + 1), str(2**63), "9" * 5000, "\x00", None, 1.0, True, [1]]  # fmt: skip


@pytest.mark.parametrize("value", NOT_IDS)
def test_what_is_no_id(value):
    assert parse_id(value) is None
    with pytest.raises(ValueError):
        row_id(value)


@pytest.mark.parametrize("value", ["1", "007", str(MAX_ID), 1, MAX_ID])
def test_ids(value):
    assert parse_id(value) == int(value)
    assert row_id(value) == int(value)


def test_whole_numbers_keep_to_their_range():
    assert whole_number("36500", 1, 36500) == 36500
    assert whole_number("36501", 1, 36500) is None
    assert whole_number("²", 0, 9) is None
    assert whole_number("0", 0, 9) == 0


@pytest.mark.parametrize("version", ["²", "①", "9" * 5000, "0", "x"])
def test_an_xlsform_version_of_any_text_is_a_version(version):
    notes: list[str] = []
    number = form_version({"version": version}, notes)
    assert 1 <= number and notes


@pytest.mark.parametrize("end", ["²", "①", "1e999", "nan"])
def test_an_xlsform_range_of_any_text_is_no_crash(end):
    assert range_spec({"start": "1", "end": end, "step": "1"}) == ({}, False)


def test_hostile_urls_are_no_route(client):
    assert client.get(f"/workshops/{MAX_ID + 1}").status_code == 404
    assert client.get(f"/api/v1/workshops/{2**63}").status_code == 404
    assert client.get("/j/AB%00CD").status_code == 404


def test_nul_bytes_leave_query_arguments_and_forms(app):
    from flask import request

    with app.test_request_context("/x?a=%00b&c%00=d", method="POST", data={"e": "f\x00g"}):
        assert list(request.args.items()) == [("a", "b"), ("c", "d")]
        assert request.form["e"] == "fg"


def test_a_json_body_to_a_form_is_refused_with_415(app, client):
    app.config["WTF_CSRF_ENABLED"] = False  # with it, the missing token is refused first
    answer = client.post("/login", json={"email": 1, "password": 2})
    assert answer.status_code == 415
