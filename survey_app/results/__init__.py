"""The results engine: SQL aggregation, statistics, small-cell suppression.

Public functions take an instrument, a ``Scope`` and the ``ResultSettings`` (k, the
summary cache on or off: the engine reads no configuration) and return plain
JSON-ready dicts, always protected first: small-group protection is decided once
per data version for the whole linked set a reader can get (``results.linked``,
``results.protection``, with ``survey_app.disclosure``) and applied to each output
(``results.suppression``):

- ``summarize_scope``: every question of a scope (one workshop, a series, any set
  of workshops, optionally one breakdown group);
- ``summarize_breakdown``: the same per group of a ``breakdown: true`` question;
- ``compare_workshops``: compact figures per workshop of a scope.

Each question type summarizes itself (``QuestionType.summarize`` in
``survey_app.questions``) from rows fetched once per scope (``results.tables``), or
from the sum of each workshop's counts kept in the database (``results.cache``).
"""

from survey_app.results.breakdown import breakdown_questions
from survey_app.results.published import compare_workshops, summarize_breakdown, summarize_scope
from survey_app.results.scope import Scope
from survey_app.results.settings import ResultSettings

__all__ = [
    "ResultSettings",
    "Scope",
    "breakdown_questions",
    "compare_workshops",
    "summarize_breakdown",
    "summarize_scope",
]
