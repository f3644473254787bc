"""The last step of an XLSForm conversion: the result must pass ``instruments validate``.

The converter writes only conditions it can check, but a form can still surprise it. The
converted data is checked as a file would be; a ``show_if`` the checker refuses is taken
out (with ``required``) and noted with the workbook row of its question. A form without
any question we can ask cannot become an instrument at all.
"""

from __future__ import annotations

import re
from typing import Any

from survey_app.definition.errors import InvalidInstrument
from survey_app.instruments.parse import build_instrument

SHOW_IF_PROBLEM = re.compile(r"^sections\[(\d+)\]\.questions\[(\d+)\]\.show_if")
#: Rounds of taking out refused conditions (each round can only remove some).
ROUNDS = 3


class NothingToAsk(Exception):
    """Raised when no row of the form became a question."""


def ensure_valid(data: dict[str, Any], rows: dict[str, str], notes: list[str]) -> None:
    """Take refused conditions out of ``data`` until the checker accepts it.

    ``rows`` maps question keys to their workbook rows; raises ``NothingToAsk`` for a
    form without questions. Other problems are left for the checker to report.
    """
    if not data.get("sections"):
        raise NothingToAsk("none of the form's rows has an equivalent question type")
    for _ in range(ROUNDS):
        try:
            build_instrument(data, {}, "converted")
            return
        except InvalidInstrument as exc:
            problems = exc.problems
        fixed = False
        for problem in problems:
            match = SHOW_IF_PROBLEM.match(problem.path)
            if not match:
                continue
            section, index = (int(group) - 1 for group in match.groups())
            question = data["sections"][section]["questions"][index]
            if question.pop("show_if", None) is None:
                continue
            fixed = True
            lost = " and no longer required" if question.pop("required", False) else ""
            notes.append(
                f"{rows.get(question['key'], 'survey')}: the condition of '{question['key']}'"
                f" cannot be checked ({problem.message}); the question is always shown{lost}"
            )
        if not fixed:
            return
