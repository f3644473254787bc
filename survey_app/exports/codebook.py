"""The codebook: what every export column means and which codes it holds."""

from __future__ import annotations

from survey_app.definition.model import Instrument, Question, text_in
from survey_app.questions import question_type

#: Descriptions of the columns every row starts with.
RESPONSE_COLUMN_NOTES = {
    "response_id": "Number of the response (unique in this database)",
    "workshop_id": "Number of the workshop",
    "workshop": "Title of the workshop",
    "municipality": "Municipality of the workshop",
    "language": "Language the questionnaire was answered in",
    "submitted_at": "Time of submission in UTC, to the minute",
}

CODEBOOK_COLUMNS = ["column", "question", "type", "label", "codes"]


def codebook(instrument: Instrument, language: str) -> list[dict[str, str]]:
    """Return one codebook entry per export column, labels in ``language``."""
    entries = [
        {"column": column, "question": "", "type": "", "label": note, "codes": ""}
        for column, note in RESPONSE_COLUMN_NOTES.items()
    ]
    for question in instrument.questions():
        for column in question_type(question.type).export_columns(question):
            entries.append(
                {
                    "column": column,
                    "question": question.key,
                    "type": question.type,
                    "label": _label(question, column, language),
                    "codes": _codes(question, column, language),
                }
            )
    return entries


def _text(text: dict[str, str], language: str) -> str:
    return text_in(text, language, next(iter(text), ""))


def _label(question: Question, column: str, language: str) -> str:
    label = _text(question.label, language)
    suffix = column[len(question.key) :]
    for entry in (*question.options, *question.items):
        if suffix.startswith(f".{entry.key}"):
            return f"{label}: {_text(entry.label, language)}"
    if suffix == ".other":
        return f"{label}: other"
    if suffix == "_other":
        return f"{label}: text of 'other'"
    return label


def _codes(question: Question, column: str, language: str) -> str:
    if question.type == "single_choice" and column == question.key:
        codes = [f"{o.key} = {_text(o.label, language)}" for o in question.options]
        return "; ".join([*codes, "other = other"] if question.other else codes)
    if question.type == "multi_choice" and column.startswith(f"{question.key}."):
        return "1 = chosen; 0 = not chosen; empty = not answered"
    if question.type == "likert" and not column.endswith("_label"):
        return "; ".join(f"{_number(p.value)} = {_text(p.label, language)}" for p in question.scale)
    if question.type == "ranking":
        return f"place 1 (most important) to {question.rank}; empty = not ranked"
    if question.type == "rating":
        return f"1 to {int(question.max or 5)}"
    if question.type == "number":
        return "whole number" if question.integer else "number"
    return ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
