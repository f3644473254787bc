"""The question types' modules stay small: a type that grows splits off a sibling module.

Each type owns everything about itself (definition, form, rows, summary, chart, table),
so its module is where growth lands; a chart or a table moves to a sibling
(``likert_chart.py``, ``points_chart.py``) before the module passes the limit.
"""

from __future__ import annotations

from .conftest import ROOT

#: At most this many lines in one module of ``survey_app/questions/``.
LIMIT = 350


def test_question_type_modules_stay_under_the_limit():
    modules = sorted((ROOT / "survey_app" / "questions").glob("*.py"))
    long = {
        path.name: lines
        for path in modules
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert modules and long == {}
