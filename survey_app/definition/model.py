"""The parsed, validated form of an instrument file (immutable)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: Languages written right to left.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi"})

#: A translated text: language code -> text.
Text = dict[str, str]


def text_in(text: Text | None, language: str, fallback: str = "") -> str:
    """Return ``text`` in ``language``, else in ``fallback``, else any, else ''."""
    if not text:
        return ""
    return text.get(language) or text.get(fallback) or next(iter(text.values()), "")


@dataclass(frozen=True)
class Option:
    """A choice, a likert item, or a rankable option."""

    key: str
    label: Text


@dataclass(frozen=True)
class ScalePoint:
    """One point of a likert scale."""

    key: str
    label: Text
    value: float


@dataclass(frozen=True)
class ShowIf:
    """Condition on an earlier answer: ``equals``, ``in`` or ``answered``."""

    question: str
    equals: str | None = None
    in_: tuple[str, ...] = ()
    answered: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the condition as in the file (for the browser's live logic)."""
        if self.equals is not None:
            return {"question": self.question, "in": [self.equals]}
        if self.in_:
            return {"question": self.question, "in": list(self.in_)}
        return {"question": self.question, "answered": True}


@dataclass(frozen=True)
class Question:
    """One question; the fields that a type does not use keep their defaults."""

    key: str
    type: str
    label: Text
    help: Text = field(default_factory=dict)
    required: bool = False
    show_if: ShowIf | None = None
    breakdown: bool = False
    other: bool = False
    options: tuple[Option, ...] = ()
    items: tuple[Option, ...] = ()
    scale: tuple[ScalePoint, ...] = ()
    scale_name: str = ""
    #: Whether a scale (rating, likert) offers "don't know" beside its points.
    dont_know: bool = False
    #: The label of "don't know" per language; empty: the translated default.
    dont_know_label: Text = field(default_factory=dict)
    rank: int = 0
    points: int = 0
    min: float | None = None
    max: float | None = None
    integer: bool = False
    unit: Text = field(default_factory=dict)
    min_choices: int | None = None
    max_choices: int | None = None
    max_length: int = 2000
    text: Text = field(default_factory=dict)

    @property
    def option_keys(self) -> tuple[str, ...]:
        """Return the keys a participant may choose, ``other`` included if allowed."""
        keys = tuple(o.key for o in self.options)
        return (*keys, "other") if self.other else keys


@dataclass(frozen=True)
class Section:
    """A titled group of questions (one screen on a phone)."""

    key: str
    title: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Instrument:
    """A whole questionnaire in one version."""

    key: str
    version: int
    title: Text
    languages: tuple[str, ...]
    sections: tuple[Section, ...]
    description: Text = field(default_factory=dict)
    respondent: str = "person"
    consent: Text = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        """Return the first declared language."""
        return self.languages[0]

    def questions(self) -> Iterator[Question]:
        """Yield every question in order."""
        for section in self.sections:
            yield from section.questions

    def question(self, key: str) -> Question:
        """Return the question with ``key`` (KeyError if there is none)."""
        for question in self.questions():
            if question.key == key:
                return question
        raise KeyError(key)
