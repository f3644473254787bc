"""CSV exports: the "Excel (German)" profile and cells that run nothing whatever the separator."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest

from survey_app.exports.cells import FORMULA_TRIGGERS, CsvProfile, neutralize_csv, plain_number
from survey_app.exports.table import RawTable
from survey_app.exports.writers import CSV_PROFILES, write_csv

from .test_exports import staff  # noqa: F401  (a fixture)

#: Cells typed to become a formula once a spreadsheet splits the file another way.
SPLIT_FORMULAS = {
    "a;@SUM(1+1);b": "a;'@SUM(1+1);b",
    "x,=1+1,y": "x,'=1+1,y",
    "tab\t+1": "tab\t'+1",
    "x, =1": "x, '=1",
    "line\n-1": "line\n'-1",
    '"=1"': '"\'=1"',
    "\uff1dSUM(1)": "'\uff1dSUM(1)",
    "a;\uff20x": "a;'\uff20x",
    "- Räume": "'- Räume",
    "a\t\t=1": "a\t'\t'=1",
}
#: Text that keeps every character as typed.
HARMLESS = ["Räume, die wir uns leisten können", "1-2 Mal; 3+ Leute", "e-mail@example.org", "مرحبا"]


def table(rows: list[dict[str, Any]]) -> RawTable:
    columns = list(dict.fromkeys(column for row in rows for column in row))
    return RawTable(columns, iter(rows))


def written(rows: list[dict[str, Any]], profile: CsvProfile) -> str:
    target = io.StringIO()
    assert write_csv(table(rows), target, profile) == len(rows)
    return target.getvalue()


def cells_when_split_by(text: str, delimiter: str) -> Iterator[str]:
    """Yield every cell a spreadsheet would see, reading ``text`` with ``delimiter``."""
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter):
        yield from row


@pytest.mark.parametrize("name", list(CSV_PROFILES))
def test_no_cell_starts_a_formula_whichever_separator_splits_it(name):
    profile = CSV_PROFILES[name]
    text = written([{"t": value} for value in [*SPLIT_FORMULAS, *HARMLESS]], profile)
    for delimiter in (",", ";", "\t"):
        for cell in cells_when_split_by(text, delimiter):
            assert not cell.lstrip(" ").startswith(tuple(FORMULA_TRIGGERS)), (delimiter, cell)
    read = [row[0] for row in csv.reader(io.StringIO(text[1:]), delimiter=profile.delimiter)]
    assert read[1:] == [*SPLIT_FORMULAS.values(), *HARMLESS]  # only the apostrophes added


def test_neutralizing_adds_an_apostrophe_and_nothing_else():
    for typed, safe in SPLIT_FORMULAS.items():
        assert neutralize_csv(typed) == safe
        assert safe.replace("'", "") == typed.replace("'", "")
    for typed in HARMLESS:
        assert neutralize_csv(typed) == typed


def test_german_excel_profile_writes_numbers_german_spreadsheets_read():
    rows = [
        {"n": 4.0, "year": 1987.0, "share": 2.5, "neg": -0.75, "tiny": 1e-7, "id": 3, "t": "1,5"},
        {"n": None, "year": 2001, "share": 0.1, "neg": -3.0, "tiny": 0.0, "id": 4, "t": "x"},
    ]
    text = written(rows, CSV_PROFILES["csv-de"])
    assert text.startswith("\ufeff")
    assert text[1:].split("\r\n") == [
        "n;year;share;neg;tiny;id;t",
        "4;1987;2,5;-0,75;0,0000001;3;1,5",
        ";2001;0,1;-3;0;4;x",
        "",
    ]
    plain = written(rows, CSV_PROFILES["csv"])
    assert plain[1:].split("\r\n")[1:3] == [
        '4,1987,2.5,-0.75,0.0000001,3,"1,5"',
        ",2001,0.1,-3,0,4,x",
    ]
    assert plain_number(12345678.9, ",") == "12345678,9"


def test_german_excel_download_and_command(client, runner, staff, tmp_path):  # noqa: F811
    answer = client.get(f"/workshops/{staff.id}/export.csv-de")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert answer.headers["Content-Disposition"].endswith('.csv"')
    content = answer.get_data()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.count(b"\r\n") >= 5 and b"\n" not in content.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4
    assert "42" in {row["members"] for row in rows}
    cells = [value for row in rows for value in row.values()]
    assert not [value for value in cells if value.endswith(".0")]
    page = client.get(f"/workshops/{staff.id}").get_data(as_text=True)
    assert f"/workshops/{staff.id}/export.csv-de" in page
    target = tmp_path / "de.csv"
    result = runner.invoke(
        args=["export", "--workshop", str(staff.id), "--format", "csv-de", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == content


def test_a_typed_cell_split_by_the_other_separator_runs_nothing(app, client, staff):  # noqa: F811
    for name, delimiter in (("csv", ","), ("csv-de", ";")):
        text = client.get(f"/workshops/{staff.id}/export.{name}").get_data(as_text=True)
        other = ";" if delimiter == "," else ","
        for cell in cells_when_split_by(text, other):
            assert not cell.lstrip(" ").startswith(tuple(FORMULA_TRIGGERS)), cell
