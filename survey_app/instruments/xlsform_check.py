"""The last step of an XLSForm conversion: the result must pass ``instruments validate``.

The converter writes only conditions it can check, but a form can still surprise it. The
converted data is checked as a file would be; a ``show_if`` the checker refuses is taken
out (with ``required``) and noted with the workbook row of its question. A form without
any question we can ask cannot become an instrument at all.
"""

from __future__ import annotations

import re
from typing import Any

from survey_app.definition.errors import S_, InvalidInstrument, LocalMessage, problem_message
from survey_app.instruments.parse import build_instrument
from survey_app.instruments.xlsform_choices import key_of
from survey_app.instruments.xlsform_read import survey_row

OTHER = "other"
#: The key of an ``other`` choice kept as a plain option (``other`` is reserved).
OTHER_OPTION = "other_choice"
SHOW_IF_PROBLEM = re.compile(r"^sections\[(\d+)\]\.questions\[(\d+)\]\.show_if")
#: Rounds of taking out refused conditions (each round can only remove some).
ROUNDS = 3


class NothingToAsk(Exception):
    """Raised when no row of the form became a question."""


def ensure_valid(
    data: dict[str, Any],
    rows: dict[str, str],
    notes: list[str],
    other_labels: dict[str, Any] | None = None,
) -> None:
    """Take refused conditions out of ``data`` until the checker accepts it.

    ``rows`` maps question keys to their workbook rows; raises ``NothingToAsk`` for a
    form without questions. A select whose ``other: true`` would make the export column
    of another question (``<key>_other``) offers "other" as a plain option instead
    (``other_labels``: its label). Other problems are left for the checker to report.
    """
    if not data.get("sections"):
        raise NothingToAsk("none of the form's rows has an equivalent question type")
    keep_other_questions(data, rows, notes, other_labels or {})
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
            if question.pop("required", False):
                template = S_(
                    "%(where)s: the condition of '%(name)s' cannot be checked (%(problem)s);"
                    " the question is always shown and no longer required"
                )
            else:
                template = S_(
                    "%(where)s: the condition of '%(name)s' cannot be checked (%(problem)s);"
                    " the question is always shown"
                )
            where = rows.get(question["key"], "survey")
            notes.append(
                LocalMessage(
                    template, where=where, name=question["key"], problem=problem_message(problem)
                )
            )
        if not fixed:
            return


def keep_other_questions(
    data: dict[str, Any], rows: dict[str, str], notes: list[str], labels: dict[str, Any]
) -> None:
    """Turn ``other: true`` back into an option where ``<key>_other`` is a question.

    ``other: true`` makes the export column ``<key>_other``; a question of that key
    (one that does not ask what "other" means, or not only when it is chosen) keeps its
    answers, and the select offers "other" as a plain option.
    """
    questions = [q for section in data["sections"] for q in section["questions"]]
    keys = {question["key"] for question in questions}
    for question in questions:
        own = f"{question['key']}_other"
        if not question.get("other") or own not in keys:
            continue
        del question["other"]
        where = rows.get(question["key"], "survey")
        key = other_option(question, labels.get(question["key"], "Other"), where, notes)
        _rename_value(questions, question["key"], key)


def other_option(question: dict[str, Any], label: Any, where: str, notes: list[str]) -> str:
    """Add the ``other`` choice to ``question`` as a plain option; return its key.

    Done where ``<key>_other`` is a question of its own: ``other: true`` would make its
    export column. The note starts with ``where`` (the row of the question).
    """
    taken = {option["key"] for option in question["options"]}
    key, number = OTHER_OPTION, 2
    while key in taken:
        key, number = f"{OTHER_OPTION}_{number}", number + 1
    question["options"].append({"key": key, "label": label})
    notes.append(
        LocalMessage(
            S_(
                "%(where)s: the 'other' choice of '%(name)s' is kept as the option '%(key)s',"
                " since '%(name)s_other' is a question of its own"
            ),
            where=where,
            name=question["key"],
            key=key,
        )
    )
    return key


def _rename_value(questions: list[dict[str, Any]], select: str, key: str) -> None:
    """Make the conditions on ``select`` that name its ``other`` choice name ``key``."""
    for question in questions:
        condition = question.get("show_if") or {}
        if condition.get("question") != select:
            continue
        if condition.get("equals") == OTHER:
            condition["equals"] = key
        if isinstance(condition.get("in"), list):
            condition["in"] = [key if value == OTHER else value for value in condition["in"]]


def row_keys(node: dict[str, Any]) -> set[str]:
    """Return the keys of the names of all workbook rows under ``node``.

    Rows pyxform adds (``or_other``'s ``<name>_other``) have no workbook row.
    """
    found: set[str] = set()
    for child in node.get("children") or ():
        if isinstance(child, dict):
            if survey_row(child) != "survey":
                found.add(key_of(str(child.get("name", ""))))
            found |= row_keys(child)
    return found
