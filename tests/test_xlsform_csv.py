"""XLSForms saved as CSV: byte-order mark, semicolons, and CSVs that are not XLSForms."""

from __future__ import annotations

import pytest

from survey_app.instruments import parse_instrument_text
from survey_app.instruments.xlsform import UnreadableXlsform, read_xlsform

ROWS = [
    ["survey", "type", "name", "label"],
    ["", "select_one yn", "ok", "All right?"],
    ["", "text", "why", "Why?"],
    ["choices", "list_name", "name", "label"],
    ["", "yn", "yes", "Yes"],
    ["", "yn", "no", "No"],
]


def write(path, rows, separator=",", bom=False):
    """Write ``rows`` as a CSV file the way a spreadsheet would."""
    text = "\r\n".join(separator.join(row) for row in rows) + "\r\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("separator", "bom"), [(",", False), (",", True), (";", False), (";", True), ("\t", True)]
)
def test_csv_with_byte_order_mark_or_semicolons_is_read(tmp_path, separator, bom):
    form = write(tmp_path / "feedback.csv", ROWS, separator, bom)
    conversion = read_xlsform(str(form))
    instrument = parse_instrument_text(conversion.yaml, "c.yaml")
    assert [o.key for o in instrument.question("ok").options] == ["yes", "no"]
    assert instrument.question("why").type == "short_text"


@pytest.mark.parametrize(
    "rows",
    [
        [row[1:] for row in ROWS],  # no sheet column
        [["choices", "list_name", "name", "label"], ["", "yn", "yes", "Yes"]],
        [["just some text"]],
    ],
)
def test_csv_that_is_not_an_xlsform_gets_a_plain_message(tmp_path, rows):
    form = write(tmp_path / "odd.csv", rows, bom=True)
    with pytest.raises(UnreadableXlsform) as raised:
        read_xlsform(str(form))
    message = str(raised.value)
    assert "the CSV file is not an XLSForm" in message and "first column" in message
    assert "Error" not in message and "Argument" not in message and "__init__" not in message


def test_csv_that_is_not_utf8_is_refused_plainly(tmp_path):
    form = tmp_path / "latin.csv"
    form.write_bytes("survey,type,name,label\n,text,q,Qué\n".encode("latin-1"))
    with pytest.raises(UnreadableXlsform, match="not UTF-8 text"):
        read_xlsform(str(form))
