"""info: text shown between questions; nothing is answered or stored."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from survey_app.definition.checker import Checker
from survey_app.definition.model import Question
from survey_app.definition.source import Path
from survey_app.questions.base import AnswerRow, Parsed, QuestionType
from survey_app.questions.data import ScopeData
from survey_app.questions.summaries import QuestionHead


class Info(QuestionType[QuestionHead]):
    """Display-only text (``text:``); ``label`` is an optional heading."""

    name = "info"
    fields = ("text",)
    answerable = False
    quantitative = False
    summary_family = None
    has_key_findings = False
    has_codes = False

    def check(self, data: dict[str, Any], path: Path, checker: Checker) -> dict[str, Any]:
        """Check ``text``."""
        if checker.required_field(data, "text", path):
            return {"text": checker.text(data["text"], (*path, "text"))}
        return {}

    def field_names(self, question: Question) -> list[str]:
        """Info posts nothing."""
        return []

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        """Info has no value."""
        return Parsed(None)

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """Info stores nothing."""
        return []

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        """Info has no fields."""
        return []

    def summarize(self, question: Question, data: ScopeData) -> None:
        """Info has no answers, hence no summary."""
        return None
