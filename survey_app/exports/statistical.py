"""SPSS (.sav) and Stata (.dta) files of the raw data, written by pyreadstat.

Each kept export column is one variable (``names``: the name rule), labelled with its
codebook label; numbers are numeric, texts strings (Stata format 118, which holds
Unicode, with strL for long texts); coded columns carry value labels
(``questions.variables``): a single choice's option as its number, a multiple choice's
options as 0/1 indicators, likert points with the scale's labels. Columns that only
repeat a code's label are left out: the value labels say it. SPSS shows a numeric
variable whose values are all whole numbers (ids, codes, counts) without decimals
(``F8.0``, wider for longer numbers); other numbers keep pyreadstat's ``F8.2``.
"""

from __future__ import annotations

import math
import tempfile
from array import array
from pathlib import Path
from typing import IO, Any, cast

from survey_app.definition.columns import RESPONSE_COLUMNS
from survey_app.definition.model import Instrument
from survey_app.exports.names import (
    SPSS,
    STATA,
    Flavour,
    fitted,
    value_label,
    variable_label,
    variable_names,
)
from survey_app.exports.table import RawTable
from survey_app.questions import question_type
from survey_app.questions.variables import Variable

#: The statistics file formats by their export name.
FLAVOURS = {"sav": SPSS, "dta": STATA}
#: The columns about the response that hold numbers (the others hold text).
RESPONSE_NUMBERS = frozenset({"_response_id", "_workshop_id"})
#: pyreadstat's ``version`` for Stata 14 files: format 118, Unicode.
STATA_VERSION = 14


class StatisticalFileError(RuntimeError):
    """pyreadstat could not write the file; the message says why."""


def statistical_variables(instrument: Instrument, language: str) -> dict[str, Variable]:
    """Return every export column's variable (labels in ``language``), in column order."""
    found = {column: Variable(text=column not in RESPONSE_NUMBERS) for column in RESPONSE_COLUMNS}
    for question in instrument.questions():
        found.update(question_type(question.type).export_variables(question, language))
    return found


def statistical_names(
    columns: list[str], variables: dict[str, Variable], flavour: Flavour
) -> dict[str, str]:
    """Return ``{column: variable name}`` of the columns a ``flavour`` file keeps."""
    kept = [c for c in columns if not variables.get(c, Variable()).dropped]
    labelled = {c for c in kept if _labelled(variables.get(c, Variable()))}
    return variable_names(kept, flavour, labelled)


def _labelled(variable: Variable) -> bool:
    """Say whether a variable's file carries value labels for it."""
    return not variable.text and bool(variable.labels or variable.codes)


def write_statistical(
    table: RawTable,
    codebook: list[dict[str, str]],
    variables: dict[str, Variable],
    flavour: Flavour,
    target: IO[bytes],
    file_label: str = "",
) -> int:
    """Write the table as a ``flavour`` file to ``target``; return the row count.

    ``codebook`` gives the variable labels (its ``label`` per ``column``). Raises
    ``StatisticalFileError`` if pyreadstat refuses the data.
    """
    import pandas as pd
    import pyreadstat

    labels = {entry["column"]: entry["label"] for entry in codebook}
    kept_columns = statistical_names(table.columns, variables, flavour)
    columns = {column: _Column(variables.get(column, Variable())) for column in kept_columns}
    count = 0
    for row in table.rows:  # column by column, not row dicts: a series has 100,000 rows
        for column, kept in columns.items():
            kept.add(row.get(column))
        count += 1
    # the codebook's names, unless a cell got a code the questionnaire does not know
    labelled = {column for column, kept in columns.items() if kept.labels}
    names = variable_names(list(columns), flavour, labelled)
    frame: dict[str, Any] = {}
    value_labels: dict[str, dict[int | float, str]] = {}
    for column, kept in columns.items():
        name = names[column]
        frame[name] = pd.Series(kept.values, dtype=object if kept.text else "float64")
        if kept.labels:
            value_labels[name] = {
                code: value_label(text, flavour) for code, text in kept.labels.items()
            }
    column_labels = {
        name: variable_label(labels.get(column, ""), flavour) for column, name in names.items()
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{flavour.suffix}"
        options: dict[str, Any] = {
            "file_label": fitted(file_label, 64, 64),
            "column_labels": column_labels,
            "variable_value_labels": value_labels,
        }
        try:
            if flavour is STATA:
                pyreadstat.write_dta(pd.DataFrame(frame), path, version=STATA_VERSION, **options)
            else:
                measures = {names[c]: kept.level for c, kept in columns.items()}
                formats = {names[c]: f for c, kept in columns.items() if (f := kept.spss_format())}
                pyreadstat.write_sav(
                    pd.DataFrame(frame),
                    path,
                    variable_measure=measures,
                    variable_format=formats,
                    **options,
                )
        except Exception as exc:  # pyreadstat's errors share no base class
            raise StatisticalFileError(f"cannot write the {flavour.suffix} file: {exc}") from exc
        target.write(path.read_bytes())
    return count


class _Column:
    """The cells of one variable, gathered row by row: text, or numbers and their labels.

    Text cells of a numeric variable are coded by ``Variable.codes``; a text the codes
    do not know (an option of an older version of the questionnaire) gets the next free
    number, labelled with itself.
    """

    def __init__(self, variable: Variable):
        self.text = variable.text
        self.level = variable.level
        self.labels: dict[int, str] = dict(variable.labels)
        self.codes = dict(variable.codes)
        self.values: list[str] | array[float] = [] if self.text else array("d")

    def spss_format(self) -> str:
        """Return ``F<width>.0`` for numbers that are all whole; "" (the default) else."""
        if self.text:
            return ""
        numbers = [value for value in self.values if not math.isnan(cast("float", value))]
        if not all(cast("float", value).is_integer() for value in numbers):
            return ""
        width = max((len(str(int(cast("float", value)))) for value in numbers), default=1)
        return f"F{max(8, width)}.0"

    def add(self, cell: Any) -> None:
        """Append one cell: "" or NaN when empty."""
        if self.text:
            cast("list[str]", self.values).append("" if cell is None else str(cell))
        elif cell is None or isinstance(cell, bool | int | float):
            cast("array[float]", self.values).append(math.nan if cell is None else float(cell))
        else:
            text = str(cell)
            if text not in self.codes:
                self.codes[text] = max([0, *self.codes.values(), *self.labels]) + 1
                self.labels[self.codes[text]] = text
            cast("array[float]", self.values).append(float(self.codes[text]))
