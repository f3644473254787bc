"""Read an XLSForm workbook with pyxform, keeping the workbook row of every element.

pyxform's JSON does not say which row a question or choice came from, but every note of
the converter must name it (``survey:42``). Before pyxform groups the rows, each survey
row gets an ``instance::xlsform_row`` column (pyxform keeps instance attributes on the
element) and each choice row an ``xlsform_row`` column (kept on the choice). A workbook
whose choice lists repeat a name is read again allowing duplicates, which the converter
then tells apart. Text columns written with one colon (``label:English``) are read as
``label::English``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from survey_app.definition.errors import S_, Detail, LocalMessage
from survey_app.instruments.xlsform_csv import read_csv_form
from survey_app.instruments.xlsform_repair import repair_survey

#: The column added to every survey row (read back from ``element["instance"]``).
SURVEY_ROW = "xlsform_row"
#: The column added to every choice row (read back from the choice).
CHOICE_ROW = "xlsform_row"
PYXFORM_ROW = re.compile(r"^\s*\[row\s*:\s*(\d+)\]\s*")
DUPLICATE_CHOICES = "allow_choice_duplicates"
#: A text column with one colon before its language (``label:English``), as some forms
#: write ``label::English``.
ONE_COLON = re.compile(
    r"^(\s*(?:label|hint|guidance_hint|constraint_message|required_message"
    r"|image|audio|video|big-image)\s*):(?!:)(\s*\S.*)$",
    re.IGNORECASE,
)


@dataclass
class WorkbookForm:
    """pyxform's JSON of a form, its warnings, and how it had to be read."""

    form: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    #: True when choice lists repeat names (read with ``allow_choice_duplicates``).
    duplicate_choices: bool = False
    #: True when the settings have no ``form_id`` (the file's name stands in for it).
    named_by_file: bool = False
    #: Rows mended before pyxform read them (``xlsform_repair``).
    notes: list[str] = field(default_factory=list)


def survey_row(element: dict[str, Any]) -> str:
    """Return where an element was written, as ``survey:ROW`` (``survey`` if unknown)."""
    row = (element.get("instance") or {}).get(SURVEY_ROW)
    return f"survey:{row}" if row else "survey"


def choice_row(choice: dict[str, Any]) -> str:
    """Return where a choice was written, as ``choices:ROW`` (``choices`` if unknown)."""
    row = choice.get(CHOICE_ROW)
    return f"choices:{row}" if row else "choices"


def pyxform_note(warning: str) -> str:
    """Return a pyxform warning with its ``[row : N]`` as ``survey:N``.

    A warning without a row is about a sheet's header row (its columns).
    """
    text = " ".join(warning.split())
    match = PYXFORM_ROW.match(text)
    if match:
        sheet = "choices" if "'choices' sheet" in text else "survey"
        where, said = f"{sheet}:{match.group(1)}", text[match.end() :]
    else:
        sheet = "settings" if "settings sheet" in text else "survey"
        where, said = f"{sheet}:1", text
    # pyxform writes its warnings in English: pages quote them as they are
    return LocalMessage(S_("%(where)s: pyxform: %(warning)s"), where=where, warning=Detail(said))


def read_workbook(path: str, filename: str | None = None) -> WorkbookForm:
    """Read the XLSForm at ``path``; ``filename`` (the name given by its author) names
    the form when its settings have no ``form_id``.

    Raises pyxform's errors for a workbook it cannot read even allowing duplicate choices.
    """
    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import get_xlsform

    def load() -> Any:
        if PurePath(path).suffix.lower() == ".csv":
            return read_csv_form(path)
        return get_xlsform(xlsform=path)

    try:
        return _to_json(load(), filename, allow_duplicates=False)
    except PyXFormError as exc:
        if DUPLICATE_CHOICES not in str(exc):
            raise
    return _to_json(load(), filename, allow_duplicates=True)


def _to_json(workbook: Any, filename: str | None, allow_duplicates: bool) -> WorkbookForm:
    from pyxform.xls2json import workbook_to_json

    _language_columns(workbook)
    _number_rows(workbook)
    notes = repair_survey(workbook)
    if filename:
        stem = PurePath(filename.replace("\\", "/")).stem
        workbook.fallback_form_name = stem or workbook.fallback_form_name
    if allow_duplicates:
        settings = list(workbook.settings or [{}])
        settings[0] = {**settings[0], DUPLICATE_CHOICES: "yes"}
        workbook.settings = settings
        headers = list(workbook.settings_header or [{}])
        headers[0] = {**headers[0], DUPLICATE_CHOICES: None}
        workbook.settings_header = headers
    warnings: list[str] = []
    form = workbook_to_json(
        workbook_dict=workbook,
        form_name="data",
        fallback_form_name=workbook.fallback_form_name,
        warnings=warnings,
    )
    named_by_file = form.get("id_string") == workbook.fallback_form_name
    return WorkbookForm(form, warnings, allow_duplicates, named_by_file, notes)


def _number_rows(workbook: Any) -> None:
    """Add the row number column to the survey and choices sheets (data starts on row 2)."""
    for rows, headers, column in (
        (workbook.survey, "survey_header", f"instance::{SURVEY_ROW}"),
        (workbook.choices, "choices_header", CHOICE_ROW),
    ):
        if not rows:
            continue
        for number, row in enumerate(rows, start=2):
            if row:
                row[column] = str(number)
        header = list(getattr(workbook, headers) or [{}])
        header[0] = {**header[0], column: None}
        setattr(workbook, headers, header)


def _language_columns(workbook: Any) -> None:
    """Rename ``label:Language`` columns (one colon) to ``label::Language``."""
    for sheet in ("survey", "choices"):
        for rows in (getattr(workbook, sheet, None), getattr(workbook, f"{sheet}_header", None)):
            for index, row in enumerate(rows or ()):
                if row and any(ONE_COLON.match(str(key)) for key in row):
                    rows[index] = {
                        ONE_COLON.sub(r"\1::\2", str(key))
                        if ONE_COLON.match(str(key))
                        else key: value
                        for key, value in row.items()
                    }
