"""Series of workshops and the workshops participants join by code."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from survey_app.config import DEFAULT_MIN_GROUP_SIZE
from survey_app.extensions import db
from survey_app.models._text import storable_columns
from survey_app.models._time import utcnow
from survey_app.models.instrument import InstrumentVersion


class WorkshopState(enum.Enum):
    """Where a workshop is in its life: only open workshops take responses."""

    draft = "draft"
    open = "open"
    closed = "closed"


#: The states a workshop may move to from each state. Opening an open workshop and
#: closing a closed one again are allowed (a second click); a draft that never opened
#: is not closed, and no workshop goes back to draft.
NEXT_STATES: dict[WorkshopState, frozenset[WorkshopState]] = {
    WorkshopState.draft: frozenset({WorkshopState.open}),
    WorkshopState.open: frozenset({WorkshopState.open, WorkshopState.closed}),
    WorkshopState.closed: frozenset({WorkshopState.open, WorkshopState.closed}),
}


class InvalidTransition(ValueError):
    """A workshop was asked to move to a state it may not reach from its own."""

    def __init__(self, current: WorkshopState, wanted: WorkshopState):
        super().__init__(f"a {current.value} workshop cannot become {wanted.value}")
        self.current = current
        self.wanted = wanted


class PaceState(enum.Enum):
    """Where the room is in a facilitator-paced workshop."""

    waiting = "waiting"  #: before the first question
    question = "question"  #: on one question (``Workshop.pace_question``)
    results = "results"  #: after the last question


#: Where a series' times are shown unless it says otherwise (the programme's country).
DEFAULT_TIME_ZONE = "Europe/Berlin"


class Series(db.Model):
    """A programme of workshops read together, e.g. a kick-off and local events."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short unique name used on the command line (``--series``).
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    _clean = storable_columns("title", "description")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Days after a workshop closed when ``survey-app purge`` deletes its responses.
    retention_days: Mapped[int | None]
    #: k of everything published from the series (viewers, the API, briefings, the
    #: participants' results page): counts of 1 to k-1 are hidden. New series get the
    #: server's floor (``MIN_GROUP_SIZE``); a stored k below the floor (the floor was
    #: raised since) is read as the floor (``workshops.thresholds``).
    min_group_size: Mapped[int] = mapped_column(
        default=DEFAULT_MIN_GROUP_SIZE, server_default=str(DEFAULT_MIN_GROUP_SIZE)
    )

    #: The IANA time zone in which the series' times are shown (responses over time).
    time_zone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE
    )

    workshops: Mapped[list[Workshop]] = relationship(
        back_populates="series", order_by="Workshop.date, Workshop.id"
    )


class Workshop(db.Model):
    """One event where participants answer one instrument version."""

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="SET NULL"))
    instrument_version_id: Mapped[int] = mapped_column(ForeignKey("instrument_version.id"))
    title: Mapped[str] = mapped_column(String(300))
    municipality: Mapped[str] = mapped_column(String(200), default="")
    _clean = storable_columns("title", "municipality")
    date: Mapped[date | None]
    #: Six characters from ``JOIN_CODE_ALPHABET``, stored upper-case.
    join_code: Mapped[str] = mapped_column(String(6), unique=True)
    state: Mapped[WorkshopState] = mapped_column(
        Enum(WorkshopState, name="workshop_state", native_enum=False, length=10),
        default=WorkshopState.draft,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: When it was first closed (first published); kept through reopening, so that
    #: what depends on the order of publication (the bins' grid) stays put.
    first_closed_at: Mapped[datetime | None]
    #: Whether participants see the (suppressed) results after submitting.
    results_for_participants: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    #: k of the room's own screens of this workshop only (presenter view, the live
    #: dashboard of its facilitators), chosen for a small room: 2 up to the series'
    #: published k. None: the published k. Never used for anything that leaves the room.
    room_min_group_size: Mapped[int | None]
    #: How many people the facilitator expects (None: not said). Sets how fast responses
    #: may arrive before they are limited or flagged as an unusual burst (``responses.bursts``).
    expected_participants: Mapped[int | None]
    #: Facilitator-paced: phones show only the question the room is on, and follow
    #: the facilitator's moves (``workshops.pacing``). Off: the whole questionnaire.
    paced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Where the room is: waiting, on ``pace_question``, or at the results.
    pace_state: Mapped[PaceState] = mapped_column(
        Enum(PaceState, name="pace_state", native_enum=False, length=10),
        default=PaceState.waiting,
        server_default=PaceState.waiting.value,
    )
    #: The key of the question the room is on (None unless ``pace_state`` is question).
    pace_question: Mapped[str | None] = mapped_column(String(64))
    #: Counts every move, so that phones tell a change by one number (their ETag).
    pace_step: Mapped[int] = mapped_column(default=0, server_default="0")

    series: Mapped[Series | None] = relationship(back_populates="workshops")
    instrument_version: Mapped[InstrumentVersion] = relationship()

    @property
    def accepts_responses(self) -> bool:
        """Say whether participants may submit now."""
        return self.state is WorkshopState.open

    @property
    def shows_participant_results(self) -> bool:
        """Say whether the participants' results page shows results now: once it has closed.

        Before, anyone with the join code could add answers of their own and read
        what they changed off the page.
        """
        return self.results_for_participants and self.state is WorkshopState.closed

    def move_to(self, state: WorkshopState) -> None:
        """Open or close the workshop and note when (``InvalidTransition`` if not allowed).

        Closing a closed workshop changes nothing, not even when it closed.
        """
        was = self.state
        self.state = state
        if state is WorkshopState.open:
            self.opened_at = self.opened_at or utcnow()
            self.closed_at = None
        elif state is WorkshopState.closed and was is not WorkshopState.closed:
            self.closed_at = utcnow()
            self.first_closed_at = self.first_closed_at or self.closed_at

    @validates("state")
    def _check_transition(self, _key: str, state: WorkshopState) -> WorkshopState:
        """Refuse a state the workshop may not reach from its own (any while it is new)."""
        current = self.state
        if current is not None and state not in NEXT_STATES[current]:
            raise InvalidTransition(current, state)
        return state

    def __repr__(self) -> str:
        return f"<Workshop {self.id} {self.join_code} {self.state.value}>"
