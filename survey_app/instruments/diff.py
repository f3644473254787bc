"""What changed between two versions of a questionnaire, question by question."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from survey_app.definition.model import Instrument, Question, Text, text_in
from survey_app.instruments.completeness import question_texts

#: Settings compared as values (their texts are compared by ``question_texts``).
SETTINGS = (
    "type", "required", "show_if", "breakdown", "other", "scale_name", "rank", "points",
    "min", "max", "integer", "min_choices", "max_choices", "max_length", "dont_know",
)  # fmt: skip


@dataclass(frozen=True)
class Change:
    """One difference inside a question (or in the questionnaire's own texts).

    ``kind`` is ``reworded`` (a text changed in ``languages``), ``added`` or ``removed``
    (an option, item or scale point; ``field`` is ``options.KEY`` etc.) or ``setting``
    (``field`` is a setting such as ``required``; ``old`` and ``new`` are its values).
    """

    kind: str
    field: str
    old: str = ""
    new: str = ""
    languages: tuple[str, ...] = ()
    #: The language of ``old`` and ``new``: the default one, or the first that changed.
    language: str = ""


@dataclass(frozen=True)
class QuestionDiff:
    """A question that was added, removed or changed."""

    key: str
    status: str  #: ``added``, ``removed`` or ``changed``
    label: str  #: in the default language (of the newer version, if it has the question)
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class InstrumentDiff:
    """The differences from ``old`` to ``new`` (two versions, usually of one key)."""

    old: Instrument
    new: Instrument
    top: tuple[Change, ...]
    questions: tuple[QuestionDiff, ...]

    def of_status(self, status: str) -> list[QuestionDiff]:
        """Return the questions ``added``, ``removed`` or ``changed``."""
        return [q for q in self.questions if q.status == status]

    @property
    def empty(self) -> bool:
        """Say whether nothing changed."""
        return not self.top and not self.questions

    @property
    def wording_differs(self) -> bool:
        """Say whether participants of the two versions read different questions or answers.

        Questions added or removed, texts reworded, options added or removed and a
        changed type count; other settings (``required``, limits, order) do not.
        """
        return any(
            q.status != "changed"
            or any(c.kind != "setting" or c.field == "type" for c in q.changes)
            for q in self.questions
        )


def diff_instruments(old: Instrument, new: Instrument) -> InstrumentDiff:
    """Compare two versions: questions added, removed, reworded, options changed."""
    language = new.default_language
    old_questions = {q.key: q for q in old.questions()}
    new_questions = {q.key: q for q in new.questions()}
    diffs: list[QuestionDiff] = []
    for question in new.questions():
        before = old_questions.get(question.key)
        if before is None:
            diffs.append(QuestionDiff(question.key, "added", _label(question, language)))
            continue
        changes = tuple(question_changes(before, question, language))
        if changes:
            diffs.append(QuestionDiff(question.key, "changed", _label(question, language), changes))
    for question in old.questions():
        if question.key not in new_questions:
            diffs.append(
                QuestionDiff(question.key, "removed", _label(question, old.default_language))
            )
    top = [("title", old.title, new.title), ("description", old.description, new.description)]
    top.append(("consent", old.consent, new.consent))
    return InstrumentDiff(old, new, tuple(_text_changes(top, language)), tuple(diffs))


def question_changes(old: Question, new: Question, language: str) -> Iterable[Change]:
    """Yield the changes of one question: texts, options/items/points, settings."""
    before, after = dict(question_texts(old)), dict(question_texts(new))
    both = [name for name in after if name in before]
    yield from _text_changes([(name, before[name], after[name]) for name in both], language)
    for name in after:
        if name not in before:
            yield Change("added", name, new=text_in(after[name], language), language=language)
    for name in before:
        if name not in after:
            yield Change("removed", name, old=text_in(before[name], language), language=language)
    for name in SETTINGS:
        was, now = _setting(old, name), _setting(new, name)
        if was != now:
            yield Change("setting", name, was, now)
    old_order, new_order = [o.key for o in old.options], [o.key for o in new.options]
    if old_order != new_order and sorted(old_order) == sorted(new_order):
        yield Change("setting", "order", " ".join(old_order), " ".join(new_order))


def differences_between(instruments: Sequence[Instrument]) -> list[InstrumentDiff]:
    """Compare each version with the next (by key and version) where the wording differs.

    For a series whose workshops used several versions: an empty list means that
    every participant read the same questions and answers.
    """
    ordered = sorted(instruments, key=lambda i: (i.key, i.version))
    found = []
    for old, new in zip(ordered, ordered[1:], strict=False):
        diff = diff_instruments(old, new)
        if old.key != new.key or diff.wording_differs:
            found.append(diff)
    return found


def _text_changes(texts: list[tuple[str, Text, Text]], language: str) -> Iterable[Change]:
    for name, before, after in texts:
        changed = tuple(
            code
            for code in dict.fromkeys([*before, *after])
            if before.get(code, "").strip() != after.get(code, "").strip()
        )
        if changed:
            shown = language if language in changed else changed[0]
            old, new = text_in(before, shown), text_in(after, shown)
            yield Change("reworded", name, old, new, changed, shown)


def _setting(question: Question, name: str) -> str:
    value = getattr(question, name)
    if name == "show_if":
        return "" if value is None else str(value.as_dict())
    return "" if value is None else str(value)


def _label(question: Question, language: str) -> str:
    return text_in(question.label or question.text, language)
