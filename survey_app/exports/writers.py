"""Writing the raw-data table as CSV, XLSX, JSON, SPSS or Stata; no cell runs a formula."""

from __future__ import annotations

import csv
import io
import json
from typing import IO, TYPE_CHECKING, Any

from survey_app.exports.cells import FORMULA_TRIGGERS, CsvProfile, csv_cell
from survey_app.exports.codebook import CODEBOOK_COLUMNS
from survey_app.exports.statistical import FLAVOURS, write_statistical
from survey_app.exports.table import RawTable
from survey_app.models._text import storable
from survey_app.questions.variables import Variable

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: What a text cell of a workbook starts with when it needs a string cell made by hand.
TRIGGERS = tuple(FORMULA_TRIGGERS)
#: The plain CSV profile: comma separated, decimal point.
COMMA = CsvProfile(",")


def write_csv(table: RawTable, target: IO[str], profile: CsvProfile = COMMA) -> int:
    """Write the table as CSV; return the row count.

    UTF-8 with a byte-order mark and CRLF line ends, as spreadsheet software expects;
    cells as ``cells.csv_cell`` writes them for ``profile``.
    """
    target.write("\ufeff")
    writer = csv.writer(target, delimiter=profile.delimiter, lineterminator="\r\n")
    writer.writerow([csv_cell(column, profile) for column in table.columns])
    count = 0
    for row in table.rows:
        writer.writerow([csv_cell(row.get(column), profile) for column in table.columns])
        count += 1
    return count


def write_json(table: RawTable, codebook: list[dict[str, str]], target: IO[str]) -> int:
    """Write ``{"columns", "codebook", "responses"}`` as JSON; return the row count.

    Whole numbers are JSON integers (answers are stored as floats: 4.0 is written 4,
    as in the CSV); other numbers keep their decimals.
    """
    rows = [{column: json_cell(row.get(column)) for column in table.columns} for row in table.rows]
    json.dump(
        {"columns": table.columns, "codebook": codebook, "responses": rows},
        target,
        ensure_ascii=False,
    )
    return len(rows)


def json_cell(value: Any) -> Any:
    """Return ``value`` for JSON: a whole float as an int, anything else as it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_xlsx(table: RawTable, codebook: list[dict[str, str]], target: IO[bytes]) -> int:
    """Write a workbook with a "data" sheet and a "codebook" sheet; return the row count.

    Numbers are number cells; text is a string cell (``xlsx_cell``), never a formula.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("data")
    data.append([xlsx_cell(data, column) for column in table.columns])
    count = 0
    for row in table.rows:
        data.append([xlsx_cell(data, row.get(column)) for column in table.columns])
        count += 1
    sheet = workbook.create_sheet("codebook")
    sheet.append(CODEBOOK_COLUMNS)
    for entry in codebook:
        sheet.append([xlsx_cell(sheet, entry[column]) for column in CODEBOOK_COLUMNS])
    workbook.save(target)
    return count


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell | Any:
    """Return ``value`` for a workbook row: text as a string cell, other values as they are.

    A string cell shows its text as typed and is never run, even when it starts with
    "=", so no apostrophe is added. Text a spreadsheet would read as a formula once
    somebody edits the cell also gets Excel's quote prefix (a style: shown nowhere but
    in the formula bar). Characters no XML can hold are dropped.
    """
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    value = storable(value)
    if not value:
        return None
    if not value.startswith(TRIGGERS):
        return value  # openpyxl writes any other text as a string cell
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl took a leading "=" for a formula
    cell.quotePrefix = True
    return cell


#: The CSV profiles: the plain one (comma, or semicolon when asked) and "Excel (German)".
CSV_PROFILES = {"csv": COMMA, "csv-de": CsvProfile(";", ",")}


def export_bytes(
    table: RawTable,
    codebook: list[dict[str, str]],
    file_format: str,
    profile: CsvProfile | None = None,
    variables: dict[str, Variable] | None = None,
    title: str = "",
) -> bytes:
    """Return the export in ``file_format`` (a CSV profile, xlsx, json, sav, dta) as bytes.

    ``profile`` overrides the CSV profile of ``file_format`` (the plain CSV's separator);
    ``variables`` and ``title`` (the file label) are for SPSS and Stata files.
    """
    if file_format == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(table, codebook, buffer)
        return buffer.getvalue()
    if file_format in FLAVOURS:
        buffer = io.BytesIO()
        write_statistical(table, codebook, variables or {}, FLAVOURS[file_format], buffer, title)
        return buffer.getvalue()
    text = io.StringIO()
    if file_format in CSV_PROFILES:
        write_csv(table, text, profile or CSV_PROFILES[file_format])
    else:
        write_json(table, codebook, text)
    return text.getvalue().encode("utf-8")
