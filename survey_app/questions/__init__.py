"""The registry of question types: one module per type family."""

from __future__ import annotations

from typing import Any

from survey_app.questions._tables import Table, Writer
from survey_app.questions.base import AnswerRow, FieldError, Parsed, QuestionType
from survey_app.questions.choice import MultiChoice, SingleChoice
from survey_app.questions.info import Info
from survey_app.questions.likert import Likert
from survey_app.questions.numeric import Number
from survey_app.questions.points import PointsAllocation
from survey_app.questions.ranking import Ranking
from survey_app.questions.rating import Rating
from survey_app.questions.text import LongText, ShortText

#: Every question type by its name in instrument files.
QUESTION_TYPES: dict[str, QuestionType[Any]] = {
    t.name: t
    for t in (
        SingleChoice(),
        MultiChoice(),
        Likert(),
        Ranking(),
        PointsAllocation(),
        Number(),
        Rating(),
        ShortText(),
        LongText(),
        Info(),
    )
}


def question_type(name: str) -> QuestionType[Any]:
    """Return the question type called ``name`` (KeyError if unknown)."""
    return QUESTION_TYPES[name]


def summary_table(summary: Any, writer: Writer) -> Table | None:
    """Return the table of a question summary; None if hidden, unanswered or without one."""
    if summary.get("suppressed") or not summary.get("n"):
        return None
    return question_type(summary["type"]).summary_table(summary, writer)


__all__ = [
    "QUESTION_TYPES",
    "AnswerRow",
    "FieldError",
    "Parsed",
    "QuestionType",
    "question_type",
    "summary_table",
]
