"""Translation completeness: per question and language, the texts missing or left as is.

A text "left as is" is identical to the default language's text: often a copy that
still waits for its translator (an XLSForm import copies missing translations), but
sometimes right (a name, a number), so it is shown as a hint, not as an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from survey_app.definition.model import Instrument, Question, Text, text_in


@dataclass(frozen=True)
class Cell:
    """The texts of one row in one language."""

    total: int
    #: Names of the texts that have no translation (as in the file: ``label``, ``options.x``).
    missing: tuple[str, ...] = ()
    #: Names of the texts identical to the default language's.
    same: tuple[str, ...] = ()

    @property
    def translated(self) -> int:
        """Return how many texts differ from the default language (or are the default)."""
        return self.total - len(self.missing) - len(self.same)

    @property
    def complete(self) -> bool:
        """Say whether every text of the row is there and translated."""
        return not self.missing and not self.same


@dataclass(frozen=True)
class Row:
    """A question (or the questionnaire's own texts, or a section title) across languages."""

    kind: str  #: ``questionnaire``, ``section`` or ``question``
    key: str
    label: str  #: in the default language
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Completeness:
    """The table of rows x languages, the default language first."""

    languages: tuple[str, ...]
    rows: tuple[Row, ...]

    @property
    def default_language(self) -> str:
        """Return the language the others are compared with."""
        return self.languages[0]

    def totals(self) -> dict[str, tuple[int, int]]:
        """Return ``(translated, total)`` texts per language."""
        return {
            language: (
                sum(row.cells[language].translated for row in self.rows),
                sum(row.cells[language].total for row in self.rows),
            )
            for language in self.languages
        }

    def open_rows(self) -> int:
        """Return how many rows still need work in some language."""
        return sum(1 for row in self.rows if not all(c.complete for c in row.cells.values()))


def translation_completeness(instrument: Instrument) -> Completeness:
    """Compare every text of ``instrument`` in each language with the default language."""
    languages = instrument.languages
    top = [("title", instrument.title)]
    top += [(name, text) for name, text in (
        ("description", instrument.description), ("consent", instrument.consent)
    ) if text]  # fmt: skip
    rows = [_row("questionnaire", instrument.key, top, languages)]
    for section in instrument.sections:
        if section.title:
            rows.append(_row("section", section.key, [("title", section.title)], languages))
        for question in section.questions:
            rows.append(_row("question", question.key, list(question_texts(question)), languages))
    return Completeness(languages, tuple(rows))


def question_texts(question: Question) -> Iterator[tuple[str, Text]]:
    """Yield ``(name, text)`` for every translatable text of a question, named as in the file."""
    for name in ("label", "help", "unit", "text", "dont_know_label"):
        text = getattr(question, name)
        if text:
            yield name, text
    for option in question.options:
        yield f"options.{option.key}", option.label
    for item in question.items:
        yield f"items.{item.key}", item.label
    if not question.scale_name:
        for point in question.scale:
            yield f"scale.{point.key}", point.label


def _row(kind: str, key: str, texts: list[tuple[str, Text]], languages: tuple[str, ...]) -> Row:
    default = languages[0]
    cells: dict[str, Cell] = {}
    for language in languages:
        missing = tuple(name for name, text in texts if not text.get(language, "").strip())
        same = tuple(
            name
            for name, text in texts
            if language != default
            and text.get(language, "").strip()
            and text.get(language, "").strip() == text.get(default, "").strip()
        )
        cells[language] = Cell(len(texts), missing, same)
    label = next((text_in(text, default) for _, text in texts), "")
    return Row(kind, key, label, cells)
