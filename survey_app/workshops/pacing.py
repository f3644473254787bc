"""Facilitator-paced workshops: where the room is, the facilitator's moves, what phones ask.

A paced workshop shows phones one question at a time: the one the facilitator has
moved the room to. The workshop row holds the position (``pace_state``,
``pace_question``) and ``pace_step``, a number that changes on every move, so that
phones polling ``/j/<CODE>/now`` tell a change by one number (the ETag).

Phones ask every 2 s; a process answers them from a short in-process cache
(``PACE_CACHE_SECONDS``, default 1 s), so that a thousand phones cost each process at
most one indexed query per second. Other processes see a move within that time; the
process that made it forgets its cached position at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from survey_app.definition.model import Instrument, Question
from survey_app.extensions import db
from survey_app.models import PaceState, Workshop, WorkshopState

#: Moves a facilitator may make besides naming a question key.
NAMED_MOVES = frozenset({"next", "previous", "waiting", "results"})


class InvalidMove(ValueError):
    """A move that names no question of the workshop's questionnaire."""


@dataclass(frozen=True)
class PacePosition:
    """What phones need to know: the step, the state and the question the room is on."""

    step: int
    #: ``off`` (not paced), ``closed`` (not open), ``waiting``, ``question``, ``results``.
    state: str
    question: str | None

    @property
    def etag(self) -> str:
        """Return the entity tag of this position (changes with every move)."""
        return f"{self.step}.{self.state}"

    def as_json(self) -> dict[str, Any]:
        """Return the position as the follow-along endpoint sends it."""
        return {"step": self.step, "state": self.state, "question": self.question}


@dataclass(frozen=True)
class PaceOverview:
    """What the workshop page shows of a paced room: the position and the questions."""

    position: PacePosition
    #: -1 waiting, an index of ``questions``, or ``len(questions)`` at the results.
    index: int
    questions: list[Question]


def pace_overview(workshop: Workshop, instrument: Instrument) -> PaceOverview:
    """Return where the room is among the questionnaire's questions."""
    questions = list(instrument.questions())
    index = _index(workshop, [question.key for question in questions])
    return PaceOverview(position_of(workshop), index, questions)


def pace_keys(instrument: Instrument) -> list[str]:
    """Return the keys of the questions the room moves through, in order."""
    return [question.key for question in instrument.questions()]


def position_of(workshop: Workshop) -> PacePosition:
    """Return where the workshop's room is, as phones see it."""
    return _position(
        workshop.paced,
        workshop.state,
        workshop.pace_state,
        workshop.pace_question,
        workshop.pace_step,
    )


def set_paced(workshop: Workshop, paced: bool) -> None:
    """Switch facilitator-paced mode on or off (phones notice: the step changes)."""
    if workshop.paced != paced:
        workshop.paced = paced
        _count_move(workshop)


def move_pace(workshop: Workshop, keys: list[str], move: str) -> bool:
    """Move the room: next, previous, waiting, results, or to a question key.

    Returns whether the position changed; ``InvalidMove`` for a move that is none of
    these. Moving past the last question gives the results, back before the first
    the waiting state.
    """
    if move not in NAMED_MOVES and move not in keys:
        raise InvalidMove(move)
    index = _index(workshop, keys)
    if move == "next":
        index = min(index + 1, len(keys))
    elif move == "previous":
        index = max(index - 1, -1)
    elif move == "waiting":
        index = -1
    elif move == "results":
        index = len(keys)
    else:
        index = keys.index(move)
    if index == _index(workshop, keys):
        return False
    if index < 0:
        workshop.pace_state, workshop.pace_question = PaceState.waiting, None
    elif index >= len(keys):
        workshop.pace_state, workshop.pace_question = PaceState.results, None
    else:
        workshop.pace_state, workshop.pace_question = PaceState.question, keys[index]
    _count_move(workshop)
    return True


def pace_index(workshop: Workshop, keys: list[str]) -> int:
    """Return the room's question as an index: -1 waiting, ``len(keys)`` results."""
    return _index(workshop, keys)


class PositionCache:
    """Positions by join code, each kept for ``max_age`` seconds (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, PacePosition]] = {}

    def get(self, code: str, max_age: float) -> PacePosition | None:
        """Return the position of the workshop with join code ``code`` (None: no such code).

        One indexed query (the unique join code) when the cached one is older than
        ``max_age`` seconds or missing; unknown codes are not kept.
        """
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(code)
        if entry is not None and now - entry[0] < max_age:
            return entry[1]
        found = db.session.execute(
            select(
                Workshop.paced,
                Workshop.state,
                Workshop.pace_state,
                Workshop.pace_question,
                Workshop.pace_step,
            ).where(Workshop.join_code == code)
        ).first()
        if found is None:
            return None
        position = _position(*found)
        if max_age > 0:
            with self._lock:
                self._entries[code] = (now, position)
        return position

    def peek(self, code: str, max_age: float) -> PacePosition | None:
        """Return the cached position of ``code`` if younger than ``max_age`` s (no query)."""
        with self._lock:
            entry = self._entries.get(code)
        if entry is not None and time.monotonic() - entry[0] < max_age:
            return entry[1]
        return None

    def forget(self, code: str) -> None:
        """Drop the cached position of ``code`` (after a move in this process)."""
        with self._lock:
            self._entries.pop(code, None)


#: This process's cache of positions (see the module's docstring).
positions = PositionCache()


def _position(
    paced: bool, state: WorkshopState, pace: PaceState, question: str | None, step: int
) -> PacePosition:
    if not paced:
        return PacePosition(step, "off", None)
    if state is not WorkshopState.open:
        return PacePosition(step, "closed", None)
    return PacePosition(step, pace.value, question if pace is PaceState.question else None)


def _index(workshop: Workshop, keys: list[str]) -> int:
    if workshop.pace_state is PaceState.results:
        return len(keys)
    if workshop.pace_state is PaceState.question and workshop.pace_question in keys:
        return keys.index(workshop.pace_question)
    return -1


def _count_move(workshop: Workshop) -> None:
    # Phones compare steps; the number only needs to differ from the one they hold.
    workshop.pace_step = (workshop.pace_step or 0) + 1
    positions.forget(workshop.join_code)
