"""Cells of the raw-data files: numbers as a spreadsheet reads them, text that runs nothing.

CSV follows the OWASP guidance on CSV injection: a cell must not begin with a character
that starts a formula. A spreadsheet may split a CSV with another separator than it was
written with (a comma file opened with semicolons, or the other way round), and then a
separator inside a cell begins a new cell; so a formula character is neutralized at the
start of the text and after every character that can begin a cell (the separators
``,`` ``;`` and tab, a line break, a quote), spaces in between included (some programs
trim them). Neutralizing puts an apostrophe before it, the usual mark of "this is text";
everything else stays as typed. XLSX needs none of this: its text cells are string cells,
which never run (``writers.write_xlsx``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from survey_app.models._text import UNSTORABLE, storable

#: Characters that make a spreadsheet read a cell as a formula, with their full-width
#: forms (Excel reads those as the ASCII ones) and the line breaks.
FORMULA_TRIGGERS = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"
#: Characters after which a spreadsheet may begin a new cell.
CELL_BREAKS = ',;\t\r\n"'
#: Text without any of these is written as it is (the usual answer: no work to do).
_MAY_NEED_CARE = re.compile(rf"[{re.escape(FORMULA_TRIGGERS)}]|{UNSTORABLE.pattern}")
_TRIGGER = re.compile(
    rf"(?:^|(?<=[{re.escape(CELL_BREAKS)}]))( *)([{re.escape(FORMULA_TRIGGERS)}])"
)


@dataclass(frozen=True)
class CsvProfile:
    """How a CSV file separates cells and writes numbers."""

    #: Between cells: "," or ";".
    delimiter: str
    #: The decimal mark: "." or "," (German spreadsheet settings).
    decimal: str = "."


def neutralize_csv(text: str) -> str:
    """Return ``text`` with an apostrophe before each formula character that may start a cell.

    Characters no file can hold are dropped as well (stored answers have none, but
    questionnaire texts come from files).
    """
    return _TRIGGER.sub(r"\1'\2", storable(text))


def plain_number(number: float | int, decimal: str = ".") -> str:
    """Return ``number`` as a spreadsheet reads it: 4.0 as "4", 0.25 as "0.25", no exponent.

    ``decimal`` is the decimal mark written. Whole floats (answers are stored as
    floats) lose their ".0", which German spreadsheet settings would read as text.
    """
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    text = str(number) if isinstance(number, int) else repr(number)
    if "e" in text:  # 1e-07: written out, as a spreadsheet reads it
        text = format(Decimal(text), "f")
    return text.replace(".", decimal)


def csv_cell(value: Any, profile: CsvProfile) -> str:
    """Return the text of one CSV cell: empty for no value, numbers plain, text neutralized."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralize_csv(value) if _MAY_NEED_CARE.search(value) else value
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return plain_number(value, profile.decimal)
    return neutralize_csv(str(value))
