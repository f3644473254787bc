"""Convert an XLSForm (ODK / KoboToolbox) into our instrument format, saying what was lost.

pyxform reads the workbook (survey, choices and settings sheets, ``label::Language (code)``
columns); this module maps its JSON onto our question types and simple ``relevant``
expressions onto ``show_if``. Anything without an equivalent is listed in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

#: XLSForm type (as pyxform names it) -> our question type.
TYPE_MAP = {
    "select one": "single_choice",
    "select all that apply": "multi_choice",
    "rank": "ranking",
    "integer": "number",
    "decimal": "number",
    "text": "short_text",
    "note": "info",
    "range": "rating",  # from 1 to at most 10 only (see _range)
    "text multiline": "long_text",  # a "text" row with the appearance "multiline"
}
#: XLSForm types whose rows get options (from their choice list, maybe empty).
WITH_CHOICES = ("select one", "select all that apply", "rank")
LANGUAGE_IN_NAME = re.compile(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$")
EQUALS = re.compile(r"^\$\{(\w+)\}\s*=\s*'([^']*)'$")
SELECTED = re.compile(r"^selected\(\s*\$\{(\w+)\}\s*,\s*'([^']*)'\s*\)$")
ANSWERED = re.compile(r"^(?:\$\{(\w+)\}\s*!=\s*''|string-length\(\$\{(\w+)\}\)\s*>\s*0)$")
TRUE_VALUES = {"yes", "true", "true()", "1"}


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


def slug(name: str, what: str, notes: list[str]) -> str:
    """Return ``name`` as a key ``[a-z][a-z0-9_]*``, noting any change."""
    value = re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_") or "x"
    if not value[0].isalpha():
        value = f"o_{value}"
    if value != name:
        notes.append(
            f"{what} '{name}' renamed to '{value}' (keys are lower-case letters, digits and _)"
        )
    return value


class XlsformConverter:
    """Map pyxform's JSON of one form onto an instrument."""

    def __init__(self, form: dict[str, Any]):
        self.form = form
        self.notes: list[str] = []
        self.names: dict[str, str] = {}  # XLSForm name -> our key
        self.choices: dict[str, dict[str, str]] = {}  # our key -> {XLSForm choice: our option}
        self.languages = self._languages()

    def _languages(self) -> list[str]:
        found: list[str] = []

        def visit(node: Any) -> None:
            if isinstance(node, dict):
                for key in ("label", "hint"):
                    if isinstance(node.get(key), dict):
                        for name in node[key]:
                            if name not in found:
                                found.append(name)
                choices = node.get("choices")
                for child in node.get("children", []) + (
                    choices if isinstance(choices, list) else []
                ):
                    visit(child)

        visit(self.form)
        default = self.form.get("default_language", "default")
        found.sort(key=lambda name: name != default)
        self.language_names = found or ["default"]
        codes = []
        for name in self.language_names:
            match = LANGUAGE_IN_NAME.search(name)
            code = (
                match.group(1).lower()
                if match
                else ("en" if name == "default" else name.lower()[:2])
            )
            if not match:
                self.notes.append(f"language '{name}' has no (code); used '{code}'")
            codes.append(code)
        return codes

    def text(self, value: Any) -> dict[str, str] | str:
        """Return a text for every language (a plain string in a single-language form)."""
        if isinstance(value, dict):
            texts = {
                code: str(value.get(name, "")).strip()
                for name, code in zip(self.language_names, self.languages, strict=True)
            }
            fallback = next((t for t in texts.values() if t), "")
            missing = [code for code, t in texts.items() if not t]
            if missing and fallback:
                self.notes.append(
                    f"text '{fallback[:40]}' has no translation in {', '.join(missing)}; copied"
                )
            return {code: t or fallback for code, t in texts.items()}
        text = str(value or "").strip()
        return {code: text for code in self.languages} if len(self.languages) > 1 else text

    def convert(self) -> Conversion:
        """Return the instrument and the notes."""
        form = self.form
        version = str(form.get("version") or "1")
        data: dict[str, Any] = {
            "format": 1,
            "key": re.sub(
                r"[^a-z0-9_-]+",
                "-",
                str(form.get("id_string") or form.get("name") or "form").lower(),
            ).strip("-")
            or "form",
            "version": int(version) if version.isdigit() and int(version) > 0 else 1,
            "title": self.text(form.get("title") or form.get("id_string") or "Form"),
            "languages": self.languages,
            "sections": [],
        }
        if not version.isdigit():
            self.notes.append(f"settings version '{version}' is not a whole number; used 1")
        loose: list[dict[str, Any]] = []
        for child in form.get("children", []):
            if child.get("type") == "group" and child.get("name") == "meta":
                continue
            if child.get("type") in ("group", "repeat"):
                if child.get("type") == "repeat":
                    self.notes.append(
                        f"repeat '{child.get('name')}' converted as a plain section (answered once)"
                    )
                data["sections"].append(self.section(child))
            else:
                loose.extend(self.questions([child]))
        if loose:
            data["sections"].insert(
                0,
                {
                    "key": "main",
                    "title": self.text(form.get("title") or "Form"),
                    "questions": loose,
                },
            )
        data["sections"] = [s for s in data["sections"] if s["questions"]]
        return Conversion(data, self.notes)

    def section(self, group: dict[str, Any]) -> dict[str, Any]:
        """Return a section for a group (nested groups are flattened into it)."""
        key = slug(str(group.get("name", "section")), "group", self.notes)
        return {
            "key": key,
            "title": self.text(group.get("label") or key),
            "questions": self.questions(group.get("children", [])),
        }

    def questions(self, children: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Convert a list of survey rows; unsupported ones are noted and skipped."""
        converted: list[dict[str, Any]] = []
        for child in children:
            if child.get("type") in ("group", "repeat"):
                self.notes.append(f"nested group '{child.get('name')}' flattened")
                converted.extend(self.questions(child.get("children", [])))
                continue
            question = self.question(child)
            if question is not None:
                converted.append(question)
        return converted

    def question(self, row: dict[str, Any]) -> dict[str, Any] | None:
        """Convert one survey row."""
        kind, name = row.get("type", ""), str(row.get("name", ""))
        ours = TYPE_MAP.get(kind)
        if kind == "range":
            return self._range(row, name)
        if ours is None:
            self.notes.append(f"question '{name}' of type '{kind}' has no equivalent; left out")
            return None
        key = slug(name, "question", self.notes)
        self.names[name] = key
        question: dict[str, Any] = {"key": key, "type": ours}
        if kind == "note":
            question["text"] = self.text(row.get("label") or name)
            return question
        question["label"] = self.text(row.get("label") or name)
        if row.get("hint"):
            question["help"] = self.text(row["hint"])
        if str(row.get("bind", {}).get("required", "")).strip().lower() in TRUE_VALUES:
            question["required"] = True
        if kind == "integer":
            question["integer"] = True
        if kind == "text" and "multiline" in str(row.get("control", {}).get("appearance", "")):
            question["type"] = TYPE_MAP["text multiline"]
        if row.get("choices") is not None or kind in WITH_CHOICES:
            question["options"] = self._options(key, row.get("choices") or [])
            if kind == "rank":
                question["rank"] = min(3, len(question["options"])) or 1
        condition = self._show_if(row.get("bind", {}).get("relevant"), name)
        if condition:
            question["show_if"] = condition
        return question

    def _range(self, row: dict[str, Any], name: str) -> dict[str, Any] | None:
        parameters = row.get("parameters", {})
        start, end = str(parameters.get("start", "1")), str(parameters.get("end", "10"))
        if start == "1" and end.isdigit() and 2 <= int(end) <= 10:
            key = slug(name, "question", self.notes)
            self.names[name] = key
            return {
                "key": key,
                "type": TYPE_MAP["range"],
                "label": self.text(row.get("label") or name),
                "max": int(end),
            }
        self.notes.append(
            f"range '{name}' ({start}..{end}) has no equivalent (ratings run 1..2-10); left out"
        )
        return None

    def _options(self, key: str, choices: list[dict[str, Any]]) -> list[dict[str, Any]]:
        mapping: dict[str, str] = {}
        options = []
        for choice in choices:
            original = str(choice.get("name", ""))
            option = slug(original, f"choice '{original}' of '{key}'", self.notes)
            if option == "other":
                option = "other_choice"
                self.notes.append(
                    f"choice 'other' of '{key}' renamed to 'other_choice' ('other' is reserved)"
                )
            mapping[original] = option
            options.append({"key": option, "label": self.text(choice.get("label") or original)})
        self.choices[key] = mapping
        return options

    def _show_if(self, relevant: Any, name: str) -> dict[str, Any] | None:
        if not relevant:
            return None
        expression = str(relevant).strip()
        parts = [p.strip() for p in re.split(r"\s+or\s+", expression)]
        wanted: list[tuple[str, str]] = []
        for part in parts:
            match = EQUALS.match(part) or SELECTED.match(part)
            if match:
                wanted.append((match.group(1), match.group(2)))
        if wanted and len(wanted) == len(parts) and len({q for q, _ in wanted}) == 1:
            target = wanted[0][0]
            if target in self.names:
                key = self.names[target]
                options = [self.choices.get(key, {}).get(value, value) for _, value in wanted]
                return (
                    {"question": key, "in": options}
                    if len(options) > 1
                    else {"question": key, "equals": options[0]}
                )
        answered = ANSWERED.match(expression)
        if answered:
            target = answered.group(1) or answered.group(2)
            if target in self.names:
                return {"question": self.names[target], "answered": True}
        self.notes.append(
            f"relevant of '{name}' not converted ({expression}); the question is always shown"
        )
        return None


class UnreadableXlsform(Exception):
    """Raised when a workbook is not an XLSForm pyxform can read."""


def read_xlsform(path: str) -> Conversion:
    """Convert the XLSForm at ``path``; raise ``UnreadableXlsform`` for a broken workbook.

    The command line and the upload page both use this, so they accept the same files.
    """
    from pyxform.errors import PyXFormError

    try:
        return convert_xlsform(path)
    except (PyXFormError, ValueError, KeyError, OSError) as exc:
        raise UnreadableXlsform(str(exc)) from None


def convert_xlsform(path: str) -> Conversion:
    """Read the XLSForm at ``path`` with pyxform and convert it."""
    from pyxform.xls2json import parse_file_to_json

    warnings: list[str] = []
    form = parse_file_to_json(path, warnings=warnings)
    conversion = XlsformConverter(form).convert()
    conversion.notes = [f"pyxform: {w}" for w in warnings] + conversion.notes
    return conversion
