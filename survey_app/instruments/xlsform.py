"""Convert an XLSForm (ODK / KoboToolbox) into our instrument format, saying what was lost.

pyxform reads the workbook (survey, choices and settings sheets, ``label::Language (code)``
columns; ``xlsform_read``); this module maps its JSON onto our question types, in the
workbook's order, with the help of ``xlsform_text`` (languages), ``xlsform_choices``
(options), ``xlsform_numbers`` (bounds) and ``xlsform_settings`` (key, version). A
question's ``relevant`` and those of the groups around it become one ``show_if``
(``xlsform_show_if``, ``xlsform_conditions``); where the format cannot say the whole
condition, the question is shown in more cases and is no longer required.
Every note names the workbook row it is about (``survey:42``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from survey_app.definition.errors import S_
from survey_app.instruments.xlsform_check import (
    NothingToAsk,
    ensure_valid,
    other_option,
    row_keys,
)
from survey_app.instruments.xlsform_choices import ChoiceLists, key_of, unique
from survey_app.instruments.xlsform_notes import xlsform_note
from survey_app.instruments.xlsform_numbers import number_fields, range_spec
from survey_app.instruments.xlsform_read import pyxform_note, read_workbook, survey_row
from survey_app.instruments.xlsform_settings import form_key, form_version
from survey_app.instruments.xlsform_show_if import ShowIfWriter
from survey_app.instruments.xlsform_text import Texts, language_names, rows_note

#: XLSForm type (as pyxform names it) -> our question type.
TYPE_MAP = {
    "select one": "single_choice",
    "select all that apply": "multi_choice",
    "rank": "ranking",
    "integer": "number",
    "decimal": "number",
    "text": "short_text",
    "note": "info",
    "range": "rating",  # from 1 to at most 10 in steps of 1 (see xlsform_numbers)
    "text multiline": "long_text",  # a "text" row with the appearance "multiline"
    "acknowledge": "single_choice",  # one choice, "OK" (see ACKNOWLEDGED)
}
#: The one choice of an ``acknowledge`` row: its value is ``OK`` once ticked.
ACKNOWLEDGED = {"name": "OK", "label": "OK"}
#: What a range outside 1..2-10, or a select without options, becomes.
RANGE_AS_NUMBER = "number"
SELECT_AS_TEXT = "short_text"
#: XLSForm types whose rows get options (from their choice list, maybe empty).
WITH_CHOICES = ("select one", "select all that apply", "rank")
#: Our types of a row that asks what "other" means.
OTHER_TEXT = ("short_text", "long_text")
#: XLSForm types that take exactly one choice.
SINGLE = ("select one", "acknowledge")
#: XLSForm types whose ``other`` choice becomes ``other: true``.
WITH_OTHER = ("select one", "select all that apply")
TRUE_VALUES = {"yes", "true", "true()", "1"}
#: XLSForm types the device fills in by itself: nothing is asked, nothing is lost.
METADATA = {
    "start", "end", "today", "deviceid", "username", "simserial", "subscriberid",
    "phonenumber", "audit", "start-geopoint", "background-audio", "calculate", "hidden",
}  # fmt: skip


@dataclass
class Conversion:
    """The converted instrument (as data and YAML) and what could not be converted."""

    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @property
    def yaml(self) -> str:
        """Return the instrument as YAML text."""
        header = "# Converted from an XLSForm; check the notes printed by the converter.\n"
        return header + yaml.safe_dump(self.data, sort_keys=False, allow_unicode=True, width=100)


class XlsformConverter:
    """Map pyxform's JSON of one form onto an instrument."""

    def __init__(self, form: dict[str, Any], named_by_file: bool = False):
        self.form = form
        self.named_by_file = named_by_file
        self.notes: list[str] = []
        default = str(form.get("default_language") or "default")
        self.texts = Texts(language_names(form), default, self.notes)
        self.languages = self.texts.codes
        self.lists = ChoiceLists(self.texts.text, self.notes)
        self.conditions = ShowIfWriter(self.notes)
        #: Option keys of the question being converted, until it is added.
        self.choice_keys: dict[str, dict[str, str]] = {}
        self.question_keys: set[str] = set()
        self.with_other: set[str] = set()  # keys of selects with ``other: true``
        #: The keys of all the form's rows (``<key>_other`` may be a question of its own).
        self.all_keys = row_keys(form)
        #: Select key -> the label of its ``other`` choice.
        self.other_labels: dict[str, Any] = {}
        self.section_keys: set[str] = set()
        #: Our question key -> its workbook row; the last row seen (for generated rows).
        self.rows: dict[str, str] = {}
        self.row = "survey"
        #: Names written differently as keys, and metadata rows left out, noted once.
        self.renamed: list[str] = []
        self.metadata: list[str] = []

    def convert(self) -> Conversion:
        """Return the instrument and the notes."""
        form = self.form
        data: dict[str, Any] = {
            "format": 1,
            "key": form_key(form, self.named_by_file, self.notes),
            "version": form_version(form, self.notes),
            "title": self.texts.text(form.get("title") or form.get("id_string"), "settings:2"),
            "languages": self.languages,
            "sections": [],
        }
        loose: list[dict[str, Any]] = []
        for child in form.get("children", []):
            if child.get("type") == "group" and child.get("name") == "meta":
                continue
            if child.get("type") in ("group", "repeat"):
                self._add_loose(data["sections"], loose)
                loose = []
                data["sections"].append(self.section(child))
            else:
                loose.extend(self.questions([child]))
        self._add_loose(data["sections"], loose)
        data["sections"] = [s for s in data["sections"] if s["questions"]]
        self._summaries()
        ensure_valid(data, self.rows, self.notes, self.other_labels)
        return Conversion(data, self.notes)

    def _summaries(self) -> None:
        """Add the notes gathered over many rows, one each."""
        for rows, what in (
            (self.renamed, S_("names written as keys (lower-case letters, digits and _)")),
            (self.metadata, S_("device metadata and calculations left out (nothing is asked)")),
        ):
            if rows:
                self.notes.append(
                    rows_note(rows, what, S_("%(rows)s and %(count)d more: %(what)s"))
                )
        self.notes.extend(self.texts.summary_notes())

    def _add_loose(self, sections: list[dict[str, Any]], loose: list[dict[str, Any]]) -> None:
        """Add questions outside any group as a section where they stand in the workbook."""
        if loose:
            title = self.texts.text(self.form.get("title") or "Form", "settings:2")
            key = unique("main", self.section_keys)
            sections.append({"key": key, "title": title, "questions": loose})

    def section(self, group: dict[str, Any]) -> dict[str, Any]:
        """Return a section for a group (nested groups are flattened into it)."""
        where = self._where(group)
        name = str(group.get("name", "section"))
        key = unique(key_of(name), self.section_keys)
        if key_of(name) != key:
            self.notes.append(xlsform_note("group_used", where=where, name=name, key=key))
        elif key != name:
            self.renamed.append(f"{where} '{name}' -> '{key}'")
        if group.get("type") == "repeat":
            self.notes.append(xlsform_note("repeat", where=where, name=name))
        return {
            "key": key,
            "title": self.texts.text(group.get("label") or key, where),
            "questions": self._inside(group),
        }

    def _inside(self, group: dict[str, Any]) -> list[dict[str, Any]]:
        """Convert a group's rows under the group's condition."""
        conditional = self.conditions.enter_group(group, self._where(group))
        try:
            return self.questions(group.get("children", []))
        finally:
            if conditional:
                self.conditions.leave_group()

    def questions(self, children: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Convert a list of survey rows; unsupported ones are noted and skipped."""
        converted: list[dict[str, Any]] = []
        for child in children:
            if child.get("type") in ("group", "repeat"):
                self.notes.append(
                    xlsform_note("nested_group", where=self._where(child), name=child.get("name"))
                )
                converted.extend(self._inside(child))
                continue
            question = self.question(child)
            if question is not None:
                converted.append(question)
        return converted

    def question(self, row: dict[str, Any]) -> dict[str, Any] | None:
        """Convert one survey row."""
        kind, name, where = row.get("type", ""), str(row.get("name", "")), self._where(row)
        ours = TYPE_MAP.get(kind)
        if kind in METADATA:
            self.metadata.append(f"{where} '{name}'")
            return None
        if ours is None:
            self.notes.append(xlsform_note("no_equivalent", where=where, name=name, kind=kind))
            return None
        key = unique(key_of(name), self.question_keys)
        self.rows[key] = where
        if key_of(name) != key:
            self.notes.append(xlsform_note("name_used", where=where, name=name, key=key))
        elif key != name:
            self.renamed.append(f"{where} '{name}' -> '{key}'")
        question: dict[str, Any] = {"key": key, "type": ours}
        if kind == "note":
            question["text"] = self.texts.text(row.get("label") or name, where)
            return self.conditions.apply(question, row, where)
        question["label"] = self.texts.text(row.get("label") or name, where)
        if row.get("hint"):
            question["help"] = self.texts.text(row["hint"], where)
        if str((row.get("bind") or {}).get("required", "")).strip().lower() in TRUE_VALUES:
            question["required"] = True
        if kind == "text" and "multiline" in str((row.get("control") or {}).get("appearance", "")):
            question["type"] = TYPE_MAP["text multiline"]
        if kind in ("integer", "decimal"):
            number_fields(question, row, kind == "integer", where, self.notes)
        if kind == "range":
            self._range(question, row, where)
        if kind == "acknowledge":
            row = {**row, "choices": [ACKNOWLEDGED], "list_name": "acknowledge"}
        if row.get("choices") is not None or kind in WITH_CHOICES:
            self._choices(question, row, kind, where)
        question = self.conditions.apply(question, row, where)
        asked_by = self._other_asked_by(question)
        if asked_by:
            self.notes.append(
                xlsform_note("other_asked", where=where, name=name, asked_by=asked_by)
            )
            return None
        always_one = bool(question.get("required")) and "show_if" not in question
        self.conditions.add_question(
            name, key, self.choice_keys.pop(key, None), always_one and kind in SINGLE
        )
        return question

    def _other_asked_by(self, question: dict[str, Any]) -> str | None:
        """Return the key of the select whose "other" text ``question`` asks, if any.

        XLSForm asks it in a text row shown when ``other`` is chosen; with ``other: true``
        the select asks it itself, so the row would ask twice.
        """
        condition = question.get("show_if") or {}
        if (
            question["type"] in OTHER_TEXT
            and self.conditions.exact
            and condition.get("equals") == "other"
            and condition.get("question") in self.with_other
        ):
            return str(condition["question"])
        return None

    def _where(self, row: dict[str, Any]) -> str:
        """Return the row of ``row``; rows pyxform adds (``or_other``) get the one before."""
        where = survey_row(row)
        if where == "survey":
            return self.row
        self.row = where
        return where

    def _range(self, question: dict[str, Any], row: dict[str, Any], where: str) -> None:
        spec, rating = range_spec(row.get("parameters") or {})
        question.update(spec)
        if not rating:
            question["type"] = RANGE_AS_NUMBER
            self.notes.append(xlsform_note("range_as_number", where=where, name=row.get("name")))

    def _choices(
        self, question: dict[str, Any], row: dict[str, Any], kind: str, where: str
    ) -> None:
        found = self.lists.options(row, where, kind in WITH_OTHER, self.conditions.names)
        if not found.options:
            question["type"] = SELECT_AS_TEXT
            source = row.get("itemset") or row.get("list_name") or ""
            self.notes.append(
                xlsform_note("choices_elsewhere", where=where, name=row.get("name"), source=source)
            )
            return
        question["options"] = found.options
        self.choice_keys[question["key"]] = found.keys
        if found.other and f"{question['key']}_other" in self.all_keys:
            key = other_option(question, found.other_label, where, self.notes)
            self.choice_keys[question["key"]] = {**found.keys, "other": key}
        elif found.other:
            question["other"] = True
            self.with_other.add(question["key"])
            self.other_labels[question["key"]] = found.other_label
        if kind == "rank":
            question["rank"] = min(3, len(found.options)) or 1


class UnreadableXlsform(Exception):
    """Raised when a workbook is not an XLSForm pyxform can read."""


def read_xlsform(path: str, filename: str | None = None) -> Conversion:
    """Convert the XLSForm at ``path``; raise ``UnreadableXlsform`` for a broken workbook.

    ``filename`` is the name its author gave the file (an upload is read from a temporary
    file). The command line and the upload page both use this, so they accept the same
    files.
    """
    from pyxform.errors import PyXFormError

    try:
        return convert_xlsform(path, filename)
    except (PyXFormError, NothingToAsk, ValueError, KeyError, OSError) as exc:
        raise UnreadableXlsform(str(exc)) from None


def convert_xlsform(path: str, filename: str | None = None) -> Conversion:
    """Read the XLSForm at ``path`` with pyxform and convert it."""
    from pyxform.errors import PyXFormError

    try:
        read = read_workbook(path, filename)
    except (PyXFormError, ValueError, KeyError, OSError):
        raise
    except Exception as exc:  # noqa: BLE001 - xlrd, openpyxl and csv fail in many ways
        # An uploaded workbook is untrusted: whatever its readers raise means "unreadable".
        raise ValueError(f"the workbook cannot be read ({type(exc).__name__}: {exc})") from None
    conversion = XlsformConverter(read.form, read.named_by_file).convert()
    conversion.notes = [*read.notes, *(pyxform_note(w) for w in read.warnings), *conversion.notes]
    return conversion
