"""How a question's export columns are kept in a statistics file (SPSS .sav, Stata .dta).

A type says it with ``QuestionType.export_variables``: numbers stay numbers, texts are
strings, and columns that hold codes carry value labels: a single choice's key becomes
the option's number (1 = first option, in the instrument's order, "other" last), a
multiple choice's 0/1 columns say chosen / not chosen, a likert item's value is labelled
with the scale's points. A column that only repeats a code as a label is left out
there (the value labels say it). A "don't know" column's 1 is labelled with the
question's "don't know" label, its 0 with the codebook's words for a point. Labels are
in the export's language; the words for "chosen" and "a point" are English, like the
rest of the codebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from survey_app.definition.model import Question, text_in
from survey_app.questions.cells import other_label

#: Value labels of a multiple choice's 0/1 columns.
CHOSEN_LABELS = {0: "not chosen", 1: "chosen"}
#: What 0 in a likert item's "don't know" column means (as the codebook says it).
SCALE_POINT = "a point of the scale"


@dataclass(frozen=True)
class Variable:
    """One export column as a variable of a statistics file."""

    #: A string variable (free text, an "other" text); else numeric.
    text: bool = False
    #: Value labels: code -> label, for numeric codes.
    labels: dict[int, str] = field(default_factory=dict)
    #: The code written for each text a cell of the column holds (an option key).
    codes: dict[str, int] = field(default_factory=dict)
    #: Left out of statistics files (a label column its value labels replace).
    dropped: bool = False
    #: SPSS's level of measurement: "nominal", "ordinal" or "scale" ("" : from ``text``).
    measure: str = ""

    @property
    def level(self) -> str:
        """Return the level of measurement: as set, else nominal text or scale numbers."""
        return self.measure or ("nominal" if self.text else "scale")


def option_label(question: Question, key: str, language: str) -> str:
    """Return the label of option ``key`` in ``language`` ("other" for the free choice)."""
    if key == "other":
        return text_in(other_label([language]), language)
    for option in question.options:
        if option.key == key:
            return text_in(option.label, language, next(iter(option.label), ""))
    return key


def choice_variables(question: Question, language: str, single: bool) -> dict[str, Variable]:
    """Return the variables of a single (``single``) or multiple choice question.

    Single: the key column as numbered codes with the options' labels, its label column
    left out. Multiple: one 0/1 variable per option. The "other" text is text.
    """
    key = question.key
    found: dict[str, Variable] = {}
    if single:
        codes = {option: code for code, option in enumerate(question.option_keys, start=1)}
        labels = {code: option_label(question, o, language) for o, code in codes.items()}
        found[key] = Variable(labels=labels, codes=codes, measure="nominal")
        found[f"{key}_label"] = Variable(text=True, dropped=True)
    else:
        for option in question.option_keys:
            found[f"{key}.{option}"] = Variable(labels=CHOSEN_LABELS, measure="nominal")
    if question.other:
        found[f"{key}_other"] = Variable(text=True)
    return found


def dont_know_variable(dont_know: str, point: str) -> Variable:
    """Return a 0/1 "don't know" column: 1 labelled ``dont_know``, 0 ``point``."""
    return Variable(labels={0: point, 1: dont_know}, measure="nominal")


def scale_variables(question: Question, language: str, dont_know: str = "") -> dict[str, Variable]:
    """Return a likert question's variables: each item's value labelled with the scale.

    Value labels need whole numbers: a scale with other values keeps its label columns
    (as text) instead. With "don't know" offered, each item's 0/1 column is labelled
    (``dont_know``: the label of its 1).
    """
    whole = all(float(point.value).is_integer() for point in question.scale)
    labels = {
        int(point.value): text_in(point.label, language, next(iter(point.label), ""))
        for point in question.scale
    }
    found: dict[str, Variable] = {}
    for item in question.items:
        found[f"{question.key}.{item.key}"] = Variable(
            labels=labels if whole else {}, measure="ordinal"
        )
        found[f"{question.key}.{item.key}_label"] = Variable(text=True, dropped=whole)
        if question.dont_know:
            found[f"{question.key}.{item.key}_dont_know"] = dont_know_variable(
                dont_know, SCALE_POINT
            )
    return found


def plain_variables(columns: list[str], question: Question, free_text: bool) -> dict[str, Variable]:
    """Return numbers as numbers; free text and the "other" text as text."""
    other = f"{question.key}_other"
    return {column: Variable(text=free_text or column == other) for column in columns}
