"""Read a posted questionnaire into answer rows, applying ``show_if`` (pure functions)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from survey_app.definition.model import Instrument, Question
from survey_app.questions import AnswerRow, FieldError, question_type
from survey_app.questions.base import NEEDS_ANSWER

#: The error key of a questionnaire sent without a single answer (whitespace only,
#: or nothing but optional questions left empty): such a response is not stored.
NOTHING_ANSWERED = "_nothing"


@dataclass(frozen=True)
class Given:
    """A visible, answered question: its parsed value and the option keys it chose."""

    value: Any
    chosen: frozenset[str]


@dataclass
class ReadAnswers:
    """The outcome of reading a form: values, errors and rows to store."""

    values: dict[str, Given] = field(default_factory=dict)
    errors: dict[str, FieldError] = field(default_factory=dict)
    rows: list[AnswerRow] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)

    @property
    def valid(self) -> bool:
        """Say whether the answers can be stored."""
        return not self.errors


def is_visible(question: Question, values: dict[str, Given]) -> bool:
    """Say whether ``question`` is shown, given the earlier visible answers."""
    condition = question.show_if
    if condition is None:
        return True
    given = values.get(condition.question)
    if given is None:
        return False
    if condition.answered:
        return True
    wanted = {condition.equals} if condition.equals is not None else set(condition.in_)
    return bool(given.chosen & wanted)


def read_answers(instrument: Instrument, form: MultiDict[str, str]) -> ReadAnswers:
    """Parse every visible question; hidden questions are never required and dropped."""
    result = ReadAnswers()
    for question in instrument.questions():
        kind = question_type(question.type)
        if not kind.answerable:
            continue
        if not is_visible(question, result.values):
            result.hidden.add(question.key)
            continue
        parsed = kind.parse(question, form)
        if parsed.error is not None:
            result.errors[question.key] = parsed.error
        elif parsed.value is None:
            if question.required:
                result.errors[question.key] = NEEDS_ANSWER
        else:
            result.values[question.key] = Given(
                parsed.value, frozenset(kind.chosen_keys(parsed.value))
            )
            result.rows.extend(kind.rows(question, parsed.value))
    return result


def answers_hash(rows: list[AnswerRow]) -> str:
    """Return a digest of the rows that is the same for the same answers."""
    canonical = sorted(
        (r.question_key, r.item_key or "", r.option_key or "", r.value_num, r.value_text or "")
        for r in rows
    )
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()


def form_values(instrument: Instrument, rows: list[AnswerRow]) -> MultiDict[str, str]:
    """Turn stored rows back into form fields, to edit a response."""
    by_question: dict[str, list[AnswerRow]] = {}
    for row in rows:
        by_question.setdefault(row.question_key, []).append(row)
    values: MultiDict[str, str] = MultiDict()
    for question in instrument.questions():
        for name, value in question_type(question.type).form_values(
            question, by_question.get(question.key, [])
        ):
            values.add(name, value)
    return values


def cleared(form: MultiDict[str, str]) -> MultiDict[str, str] | None:
    """Return ``form`` without the field a "clear" button names (``clear=NAME``; a submit
    button, so it works without JavaScript) and its "other" text, or None when no answer
    was cleared. Only answer fields (``q.``) can be cleared."""
    name = form.get("clear", "")
    if not name.startswith("q."):
        return None
    gone = {name, f"{name}.other", f"{name}.confirmed"}
    return MultiDict(
        [
            (key, value)
            for key, value in form.items(multi=True)
            if key not in gone and key != "clear"
        ]
    )
