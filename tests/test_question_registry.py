"""Every registered question type implements every hook and has its participant template."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, ClassVar

import pytest
from werkzeug.datastructures import MultiDict

from survey_app.briefing.texts import available_languages, texts_for
from survey_app.definition.model import Question
from survey_app.questions import QUESTION_TYPES
from survey_app.questions.base import HOOKS, AnswerRow, Parsed, QuestionType
from survey_app.results import Scope

from .conftest import ROOT
from .results_helpers import ALL_TYPES, W1, submit, summary

TEMPLATES = ROOT / "survey_app" / "templates"


def registry_problems(kind: QuestionType, templates: Path) -> list[str]:
    """Return what a question type lacks: hooks that apply to it, its participant template."""
    problems = []
    for hook, applies in HOOKS.items():
        if getattr(kind, applies) and getattr(type(kind), hook) is getattr(QuestionType, hook):
            problems.append(
                f"{kind.name} lacks {hook} (needed as {applies} = {getattr(kind, applies)!r})"
            )
    if not (templates / kind.participant_template).is_file():
        problems.append(f"{kind.name} lacks its template {kind.participant_template}")
    return problems


@pytest.mark.parametrize("name", list(QUESTION_TYPES))
def test_every_type_implements_every_hook_and_has_its_template(name):
    kind = QUESTION_TYPES[name]
    assert kind.name == name
    assert registry_problems(kind, TEMPLATES) == []


def test_every_hook_is_a_method_and_its_attribute_a_class_attribute():
    for hook, applies in HOOKS.items():
        assert callable(getattr(QuestionType, hook)), hook
        assert hasattr(QuestionType, applies), applies


class Incomplete(QuestionType):
    """A type that parses and stores answers, but lacks everything else."""

    name = "incomplete"
    fields: ClassVar[tuple[str, ...]] = ("options",)

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        return Parsed(form.get(f"q.{question.key}") or None)

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        return [AnswerRow(question.key, value_text=value)]

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        return [(f"q.{question.key}", row.value_text or "") for row in rows]


class Declared(Incomplete):
    """The same type, saying which hooks do not apply to it."""

    name = "declared"
    fields = ()
    quantitative = False
    has_key_findings = False
    has_codes = False

    def summarize(self, question: Question, data: Any) -> dict[str, Any] | None:
        return None

    def figure(self, summary: Any, words: Any) -> None:
        return None

    def summary_table(self, summary: Any, w: Any) -> None:
        return None

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Any
    ) -> list[tuple[str, str]]:
        return []


def test_a_type_lacking_hooks_and_its_template_is_found():
    assert registry_problems(Incomplete(), TEMPLATES) == [
        "incomplete lacks check (needed as fields = ('options',))",
        "incomplete lacks summarize (needed as answerable = True)",
        "incomplete lacks key_finding_candidates (needed as has_key_findings = True)",
        "incomplete lacks codebook_codes (needed as has_codes = True)",
        "incomplete lacks simulated_fields (needed as answerable = True)",
        "incomplete lacks figure (needed as answerable = True)",
        "incomplete lacks summary_table (needed as answerable = True)",
        "incomplete lacks alt_text (needed as quantitative = True)",
        "incomplete lacks comparison_columns (needed as quantitative = True)",
        "incomplete lacks its template participate/questions/incomplete.html",
    ]
    question = Question(key="q1", type="incomplete", label={"en": "Q"})
    with pytest.raises(NotImplementedError):
        Incomplete().codebook_codes(question, "q1", "en")
    with pytest.raises(NotImplementedError):
        Incomplete().key_finding_candidates({"key": "q1", "n": 3}, 5)
    with pytest.raises(NotImplementedError):
        Incomplete().simulated_fields(question, random.Random(1), [])
    with pytest.raises(NotImplementedError):
        Incomplete().comparison_columns({"key": "q1", "n": 3}, None)


def test_a_type_may_say_a_hook_does_not_apply(tmp_path):
    template = tmp_path / "participate" / "questions" / "declared.html"
    template.parent.mkdir(parents=True)
    template.write_text("<input name='q.{{ q.key }}'>", encoding="utf-8")
    assert registry_problems(Declared(), tmp_path) == []
    question = Question(key="q1", type="declared", label={"en": "Q"})
    assert Declared().codebook_codes(question, "q1", "en") == ""
    assert Declared().key_finding_candidates({"key": "q1", "n": 3}, 5) == []
    assert Declared().alt_text({"key": "q1", "n": 3}, None) is None


def test_types_say_what_they_are():
    """The class attributes consumers ask instead of naming types."""
    by = {name: kind for name, kind in QUESTION_TYPES.items()}
    assert {n for n, t in by.items() if t.free_text} == {"short_text", "long_text"}
    assert {n for n, t in by.items() if t.can_break_down} == {"single_choice"}
    assert {n for n, t in by.items() if t.partitions_respondents} == {"single_choice", "rating"}
    assert {n: t.option_statistics for n, t in by.items() if t.option_statistics} == {
        "rating": ("mean", "median")
    }
    weights = [t.finding_weight for t in by.values() if t.has_key_findings]
    assert len(weights) == len(set(weights)), "each type takes its own turn in the key findings"


def test_every_key_finding_of_a_type_has_its_sentence_in_every_briefing_language(
    app, make_workshop
):
    """A missing sentence would print its key in the briefing: each type's keys are worded."""
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W1)
    result = summary(app, Scope.workshop(workshop.id))
    offered: dict[str, set[str]] = {}
    for question in result["questions"]:
        kind = QUESTION_TYPES[question["type"]]
        if kind.has_key_findings and question.get("n"):
            found = kind.key_finding_candidates(question, 1)
            offered.setdefault(kind.name, set()).update(c.text for c in found)
    expected = {name for name, kind in QUESTION_TYPES.items() if kind.has_key_findings}
    assert {name for name, keys in offered.items() if keys} == expected
    folder = ROOT / "reports" / "briefing"
    for language in available_languages(folder):
        words = texts_for(folder, language).words
        missing = {key for keys in offered.values() for key in keys if key not in words}
        assert missing == set(), (language, missing)
