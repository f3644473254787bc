"""The codebook: what every export column means and which codes it holds."""

from __future__ import annotations

from collections.abc import Callable

from survey_app.definition.model import Instrument, Question
from survey_app.exports.names import SPSS, STATA
from survey_app.exports.statistical import statistical_names, statistical_variables
from survey_app.i18n import S_, catalogue_of
from survey_app.models import DEFAULT_TIME_ZONE
from survey_app.questions import question_type
from survey_app.questions.base import text_of
from survey_app.questions.dont_know import label_in

#: Descriptions of the columns every row starts with (``definition.columns``): their
#: names start with "_", which no question's column can.
RESPONSE_COLUMN_NOTES = {
    "_response_id": S_("Number of the response (unique in this database)"),
    "_workshop_id": S_("Number of the workshop"),
    "_workshop": S_("Title of the workshop"),
    "_municipality": S_("Municipality of the workshop (a question may have its own)"),
    "_language": S_("Language the questionnaire was answered in"),
    "_submitted_at": S_(
        "Time of submission, to the minute: ISO 8601 with its offset from UTC "
        "(2026-05-04T10:15:00+02:00), in the time zone of _time_zone"
    ),
    "_time_zone": S_(
        "Time zone of _submitted_at (IANA name): the series' setting; "
        "%(zone)s for a workshop outside a series"
    ),
}

#: The codebook's fields: ``spss`` and ``stata`` name the column's variable in those
#: files ("" where they leave it out: ``exports.names``).
CODEBOOK_COLUMNS = ["column", "question", "type", "label", "codes", "spss", "stata"]
NAME_FIELDS = {"spss": SPSS, "stata": STATA}


def codebook(instrument: Instrument, language: str) -> list[dict[str, str]]:
    """Return one codebook entry per export column, labels in ``language``.

    The notes on the columns every row starts with are in ``language`` where the
    interface catalogue has it, else in English.
    """
    translate = catalogue_of(language)
    entries = [
        {
            "column": column,
            "question": "",
            "type": "",
            "label": translate(note).replace("%(zone)s", DEFAULT_TIME_ZONE),
            "codes": "",
        }
        for column, note in RESPONSE_COLUMN_NOTES.items()
    ]
    for question in instrument.questions():
        kind = question_type(question.type)
        for column in kind.export_columns(question):
            entries.append(
                {
                    "column": column,
                    "question": question.key,
                    "type": question.type,
                    "label": _label(question, column, language, translate),
                    "codes": kind.codebook_codes(question, column, language),
                }
            )
    variables = statistical_variables(instrument, language)
    columns = [entry["column"] for entry in entries]
    for field, flavour in NAME_FIELDS.items():
        names = statistical_names(columns, variables, flavour)
        for entry in entries:
            entry[field] = names.get(entry["column"], "")
    return entries


def _label(question: Question, column: str, language: str, translate: Callable[[str], str]) -> str:
    """Return a column's label: the question's, with its option or item and what it holds."""
    label = text_of(question.label, language)
    suffix = column[len(question.key) :]
    if question.dont_know and suffix.endswith("_dont_know"):
        value = column.removesuffix("_dont_know")
        if suffix == "_dont_know" or any(value.endswith(f".{i.key}") for i in question.items):
            shown = _label(question, value, language, translate)
            return f"{shown}: {label_in(question, language)}"
    for entry in (*question.options, *question.items):
        if suffix.startswith(f".{entry.key}"):
            return f"{label}: {text_of(entry.label, language)}"
    if suffix == ".other":
        other = translate(S_("other"))
        return f"{label}: {other}"
    if suffix == "_other":
        other_text = translate(S_("text of 'other'"))
        return f"{label}: {other_text}"
    return label
