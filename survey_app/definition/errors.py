"""Problems found in instrument files, reported as ``FILE:LINE: path: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InstrumentProblem:
    """One thing wrong with an instrument file."""

    filename: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.filename}:{self.line}: {where}{self.message}"


class InvalidInstrument(Exception):
    """Raised with every problem of a file at once."""

    def __init__(self, problems: list[InstrumentProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
