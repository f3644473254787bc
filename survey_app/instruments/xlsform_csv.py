"""Read an XLSForm saved as CSV: the first column names the sheet, the others its columns.

Spreadsheets save CSV in several ways; pyxform reads only one (UTF-8 without a
byte-order mark, commas). The text is read here, whatever its separator (``,``, ``;`` or
a tab) and with or without Excel's byte-order mark, and handed to pyxform with commas. A
CSV that is not an XLSForm gets a message that says what is wrong with it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from pathlib import Path
from typing import Any

SEPARATORS = ",;\t"
#: Sheets every XLSForm has.
REQUIRED = "survey"
LAYOUT = (
    "its first column must name the sheet of each part (survey, choices, settings),"
    " the other columns hold that sheet's header row and rows"
)


def separator_of(text: str) -> str:
    """Return the separator of the CSV ``text`` (``,`` when it cannot be told)."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        first = next((line for line in text.splitlines() if line.strip()), "")
        counts = {separator: first.count(separator) for separator in SEPARATORS}
        best = max(counts, key=lambda separator: counts[separator])
        return best if counts[best] else ","


def read_csv_form(path: str) -> Any:
    """Return pyxform's ``DefinitionData`` of the CSV XLSForm at ``path``.

    Raises ``ValueError`` with a plain message for a file that is not one.
    """
    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import DefinitionData, csv_to_dict

    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("the CSV file is not UTF-8 text; save it as 'CSV UTF-8'") from None
    text = text.replace("\ufeff", "")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator_of(text)))
    except csv.Error as exc:
        raise ValueError(f"the CSV file cannot be read: {exc}") from None
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    try:
        sheets = csv_to_dict(io.BytesIO(out.getvalue().encode("utf-8")))
    except PyXFormError:
        sheets = {}
    known = {f.name for f in fields(DefinitionData)}
    unknown = [str(name) for name in sheets if name not in known]
    if unknown or REQUIRED not in sheets:
        found = f" (it names {', '.join(repr(n) for n in unknown[:3])})" if unknown else ""
        raise ValueError(f"the CSV file is not an XLSForm{found}: {LAYOUT}")
    return DefinitionData(fallback_form_name=Path(path).stem, **sheets)
