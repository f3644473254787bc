"""Problems found in instrument files, reported as ``FILE:LINE: path: message``."""

from __future__ import annotations

from dataclasses import dataclass


def S_(message: str) -> str:  # noqa: N802 - a gettext marker
    """Mark a message that only staff pages show for translation (problems of files).

    Pages translate it when they show it; the participants' languages may leave it
    untranslated (``tests/test_translations.py``).
    """
    return message


class Phrase(str):
    """A value in a problem's message that is itself a text to translate ("a list")."""

    __slots__ = ()


class Detail(str):
    """A value quoted as it was written (from the file, or a YAML parser's message)."""

    __slots__ = ()


class LocalMessage(str):
    """A message in English, as the command line prints it, that pages show in their
    language: ``template`` (marked with ``S_``) with ``values`` filled in."""

    template: str
    values: tuple[tuple[str, object], ...]

    def __new__(cls, template: str, **values: object) -> LocalMessage:
        message = super().__new__(cls, template % values if values else template)
        message.template = template
        message.values = tuple(values.items())
        return message


@dataclass(frozen=True)
class InstrumentProblem:
    """One thing wrong with an instrument file.

    ``message`` is English, as the command line prints it; pages show ``template``
    (marked with ``S_``) in their language with ``values`` filled in.
    """

    filename: str
    line: int
    path: str
    message: str
    template: str = ""
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.filename}:{self.line}: {where}{self.message}"


def problem(
    filename: str, line: int, path: str, template: str, **values: object
) -> InstrumentProblem:
    """Return a problem whose ``template`` (marked with ``S_``) takes ``values``."""
    message = template % values if values else template
    return InstrumentProblem(filename, line, path, message, template, tuple(values.items()))


def problem_message(found: InstrumentProblem) -> LocalMessage:
    """Return the message of ``found`` alone (no file, line or path), to show elsewhere."""
    if not found.template:
        return LocalMessage(found.message)
    return LocalMessage(found.template, **dict(found.values))


class InvalidInstrument(Exception):
    """Raised with every problem of a file at once."""

    def __init__(self, problems: list[InstrumentProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
