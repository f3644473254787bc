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


class InvalidInstrument(Exception):
    """Raised with every problem of a file at once."""

    def __init__(self, problems: list[InstrumentProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
