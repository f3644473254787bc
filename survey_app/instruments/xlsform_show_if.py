"""Write ``show_if`` for converted questions from their and their groups' ``relevant``.

The converter tells the writer which questions exist so far (a condition may only name
an earlier question) and which options they have; the writer turns the clauses of
``xlsform_conditions`` into one ``show_if``. Where that says less than the form (a
condition on two questions, a condition it cannot read), the question is shown in more
cases than the form shows it, so it can no longer be required: ``required`` is dropped
and a note names the row.
"""

from __future__ import annotations

from typing import Any

from survey_app.definition.errors import S_, Detail, LocalMessage
from survey_app.instruments.xlsform_conditions import Clause, clauses, combine


class ShowIfWriter:
    """Conditions of one form, in the order its rows are converted."""

    def __init__(self, notes: list[str]):
        self.notes = notes
        self.names: dict[str, str] = {}  # XLSForm name -> our key (questions so far)
        self.options: dict[str, dict[str, str]] = {}  # our key -> {choice name: option}
        #: Keys of single-choice questions every participant answers (required, always
        #: shown): "not this option" is "one of the others" on them.
        self.always_one: set[str] = set()
        #: Whether the last condition written says all the form's condition says.
        self.exact = True
        #: Our key -> clauses that hold whenever that question is shown.
        self.held: dict[str, list[Clause]] = {}
        #: Conditions of the groups around the current row: (clauses, text, group, row,
        #: why clauses could not be used).
        self.groups: list[tuple[list[Clause | None], str, str, str, list[str]]] = []

    def add_question(
        self, name: str, key: str, options: dict[str, str] | None, always_one: bool = False
    ) -> None:
        """Make a converted question available to later conditions.

        ``always_one`` says that every participant chooses exactly one of its options.
        """
        self.names[name] = key
        if options:
            self.options[key] = options
        if always_one:
            self.always_one.add(key)

    def enter_group(self, group: dict[str, Any], where: str) -> bool:
        """Put a group's condition on the rows that follow; say whether it has one."""
        relevant = str((group.get("bind") or {}).get("relevant") or "").strip()
        if relevant:
            reasons: list[str] = []
            found = [self._resolve(c, reasons) for c in clauses(relevant)]
            self.groups.append((found, relevant, str(group.get("name")), where, reasons))
        return bool(relevant)

    def leave_group(self) -> None:
        """End the condition of the innermost group that has one."""
        self.groups.pop()

    def _resolve(self, clause: Clause | None, reasons: list[str]) -> Clause | None:
        """Return a clause on our keys and options, or None (saying why in ``reasons``)."""
        if clause is None:
            return None
        if clause.question not in self.names:
            reasons.append(f"'{clause.question}' is not an earlier question that was converted")
            return None
        key = self.names[clause.question]
        if clause.values is None:
            return Clause(key, None, clause.exact)
        mapping = self.options.get(key, {})
        if not mapping:
            reasons.append(f"'{clause.question}' has no choices to compare with")
            return None
        values = tuple(dict.fromkeys(mapping[v] for v in clause.values if v in mapping))
        if clause.negated:
            if key not in self.always_one:
                reasons.append(f"'{clause.question}' may be left unanswered or allow several")
                return None
            values = tuple(v for v in dict.fromkeys(mapping.values()) if v not in values)
        if not values:
            missing = "', '".join(clause.values)
            reasons.append(f"'{clause.question}' has no choice '{missing}'")
        return Clause(key, values, clause.exact) if values else None

    def apply(self, question: dict[str, Any], row: dict[str, Any], where: str) -> dict[str, Any]:
        """Add the row's and its groups' condition as ``show_if`` (or note what is lost)."""
        relevant = str((row.get("bind") or {}).get("relevant") or "").strip()
        self.exact = True
        reasons: list[str] = []
        found = [self._resolve(c, reasons) for c in clauses(relevant)] if relevant else []
        said = [f"'{relevant}'"] if relevant else []
        for group_clauses, text, group, group_row, group_reasons in reversed(self.groups):
            found.extend(group_clauses)
            reasons.extend(group_reasons)
            said.append(f"'{text}' of group '{group}' ({group_row})")
        if not found:
            return question
        clause, exact = combine(found, lambda key: self.held.get(key, []))
        self.exact = exact
        if clause is not None:
            question["show_if"] = _show_if(clause)
            facts = [clause, *self.held.get(clause.question, [])]
            if exact:
                facts.extend(c for c in found if c is not None)
            self.held[question["key"]] = facts
        if exact:
            return question
        required = question.pop("required", False)
        values: dict[str, object] = {
            "where": where,
            "name": row.get("name"),
            "condition": Detail(" and ".join(said)),
            "why": Detail("; ".join(dict.fromkeys(reasons))),
        }
        if clause is None:
            template = NOT_CONVERTED[bool(required), bool(reasons)]
        else:
            template = PARTLY_CONVERTED[bool(required), bool(reasons)]
            values["described"] = _described(clause)
        self.notes.append(LocalMessage(template, **values))
        return question


def _show_if(clause: Clause) -> dict[str, Any]:
    if clause.values is None:
        return {"question": clause.question, "answered": True}
    if len(clause.values) == 1:
        return {"question": clause.question, "equals": clause.values[0]}
    return {"question": clause.question, "in": list(clause.values)}


def _described(clause: Clause) -> LocalMessage:
    if clause.values is None:
        return LocalMessage(S_("'%(question)s' is answered"), question=clause.question)
    values = Detail(" or ".join(repr(v) for v in clause.values))
    return LocalMessage(S_("'%(question)s' is %(values)s"), question=clause.question, values=values)


#: Notes on a condition not converted: (no longer required, with reasons) -> message.
NOT_CONVERTED = {
    (False, False): S_(
        "%(where)s: relevant of '%(name)s' not converted (%(condition)s);"
        " the question is always shown"
    ),
    (True, False): S_(
        "%(where)s: relevant of '%(name)s' not converted (%(condition)s);"
        " the question is always shown and no longer required"
    ),
    (False, True): S_(
        "%(where)s: relevant of '%(name)s' not converted (%(condition)s);"
        " the question is always shown (%(why)s)"
    ),
    (True, True): S_(
        "%(where)s: relevant of '%(name)s' not converted (%(condition)s);"
        " the question is always shown and no longer required (%(why)s)"
    ),
}
#: Notes on a condition converted in part, as ``NOT_CONVERTED``.
PARTLY_CONVERTED = {
    (False, False): S_(
        "%(where)s: relevant of '%(name)s' only partly converted (%(condition)s):"
        " shown when %(described)s, also where the form hides it"
    ),
    (True, False): S_(
        "%(where)s: relevant of '%(name)s' only partly converted (%(condition)s):"
        " shown when %(described)s, also where the form hides it and no longer required"
    ),
    (False, True): S_(
        "%(where)s: relevant of '%(name)s' only partly converted (%(condition)s):"
        " shown when %(described)s, also where the form hides it (%(why)s)"
    ),
    (True, True): S_(
        "%(where)s: relevant of '%(name)s' only partly converted (%(condition)s):"
        " shown when %(described)s, also where the form hides it and no longer required"
        " (%(why)s)"
    ),
}
