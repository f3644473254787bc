"""The results engine: SQL aggregation, statistics, small-cell suppression.

Public functions take an instrument, a ``Scope`` and the ``ResultSettings`` (k, the
summary cache on or off: the engine reads no configuration) and return plain
JSON-ready dicts, always passed through ``results.suppression`` first:

- ``summarize_scope``: every question of a scope (one workshop, a series, any set
  of workshops, optionally one breakdown group);
- ``summarize_breakdown``: the same per group of a ``breakdown: true`` question;
- ``compare_workshops``: compact figures per workshop of a scope.

Each question type summarizes itself (``QuestionType.summarize`` in
``survey_app.questions``) from rows fetched once per scope (``results.tables``), or
from the sum of each workshop's counts kept in the database (``results.cache``).
"""

from survey_app.results.breakdown import breakdown_questions, summarize_breakdown
from survey_app.results.comparison import compare_workshops
from survey_app.results.scope import Scope
from survey_app.results.settings import ResultSettings
from survey_app.results.summary import summarize_scope

__all__ = [
    "ResultSettings",
    "Scope",
    "breakdown_questions",
    "compare_workshops",
    "summarize_breakdown",
    "summarize_scope",
]
