"""Writing the raw-data table as CSV, XLSX or JSON; spreadsheet formulas neutralized."""

from __future__ import annotations

import csv
import io
import json
from typing import IO, Any

from survey_app.exports.cells import CsvProfile, csv_cell
from survey_app.exports.codebook import CODEBOOK_COLUMNS
from survey_app.exports.table import RawTable
from survey_app.models._text import storable

#: The plain CSV profile: comma separated, decimal point.
COMMA = CsvProfile(",")
#: A cell starting with one of these would be run as a formula by spreadsheet software.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralize(value: Any) -> Any:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe.

    Characters no XML (XLSX) cell can hold are dropped as well; stored answers have
    none, but questionnaire texts come from files.
    """
    if isinstance(value, str):
        value = storable(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


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
    """Write ``{"columns", "codebook", "responses"}`` as JSON; return the row count."""
    rows = [{column: row.get(column) for column in table.columns} for row in table.rows]
    json.dump(
        {"columns": table.columns, "codebook": codebook, "responses": rows},
        target,
        ensure_ascii=False,
    )
    return len(rows)


def write_xlsx(table: RawTable, codebook: list[dict[str, str]], target: IO[bytes]) -> int:
    """Write a workbook with a "data" sheet and a "codebook" sheet; return the row count."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("data")
    data.append(table.columns)
    count = 0
    for row in table.rows:
        data.append([neutralize(row.get(column)) for column in table.columns])
        count += 1
    sheet = workbook.create_sheet("codebook")
    sheet.append(CODEBOOK_COLUMNS)
    for entry in codebook:
        sheet.append([neutralize(entry[column]) for column in CODEBOOK_COLUMNS])
    workbook.save(target)
    return count


#: The CSV profiles: the plain one (comma, or semicolon when asked) and "Excel (German)".
CSV_PROFILES = {"csv": COMMA, "csv-de": CsvProfile(";", ",")}


def export_bytes(
    table: RawTable,
    codebook: list[dict[str, str]],
    file_format: str,
    profile: CsvProfile | None = None,
) -> bytes:
    """Return the export in ``file_format`` (a CSV profile, xlsx or json) as bytes.

    ``profile`` overrides the CSV profile of ``file_format`` (the plain CSV's separator).
    """
    if file_format == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(table, codebook, buffer)
        return buffer.getvalue()
    text = io.StringIO()
    if file_format in CSV_PROFILES:
        write_csv(table, text, profile or CSV_PROFILES[file_format])
    else:
        write_json(table, codebook, text)
    return text.getvalue().encode("utf-8")
