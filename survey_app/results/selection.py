"""Which workshops a result covers, as the pages, the API and the commands ask for them.

Every way in names either some workshops (by id) or a whole series (by id, or by
slug on the command line), and may narrow the result to one breakdown group.
``select_workshops`` turns that into a ``Selection`` the same way for all of them;
whether the reader may see it is the caller's check, made before. The command-line
form (``--workshop ID...`` | ``--series S``) is ``workshop_options``, shared by
``survey-app export`` and ``survey-app briefing build``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.definition.model import Instrument
from survey_app.ids import parse_id
from survey_app.instruments.store import instrument_of
from survey_app.models import InstrumentVersion, Series, Workshop
from survey_app.results.scope import Scope

Command = TypeVar("Command", bound=Callable[..., Any])


class SelectionError(ValueError):
    """The workshops asked for cannot be found; the message says which."""


@dataclass(frozen=True)
class Selection:
    """Some workshops, or every workshop of a series, maybe narrowed to one breakdown group.

    ``workshops`` are in the order asked for (a series: its own order, by date);
    ``series`` is set when a whole series was asked for; ``group`` is
    ``(question_key, option_key)`` of a breakdown question.
    """

    workshops: tuple[Workshop, ...]
    series: Series | None = None
    group: tuple[str, str] | None = None

    @property
    def ids(self) -> list[int]:
        """Return the workshop ids, sorted."""
        return sorted(w.id for w in self.workshops)

    @property
    def scope(self) -> Scope:
        """Return the results engine's scope: the workshops of ``version``'s questionnaire.

        Workshops of another questionnaire (``other_questionnaire``) are left out: their
        responses answered other questions and are never counted with these.
        """
        return Scope(frozenset(w.id for w in self.of_questionnaire), self.group)

    @property
    def of_questionnaire(self) -> list[Workshop]:
        """Return the selected workshops that use ``version``'s questionnaire (any version)."""
        version = self.version
        key = version.key if version is not None else None
        return [w for w in self.workshops if w.instrument_version.key == key]

    @property
    def other_questionnaire(self) -> list[int]:
        """Return the ids of selected workshops whose questionnaire is not ``version``'s."""
        return sorted(set(self.ids) - {w.id for w in self.of_questionnaire})

    @property
    def version(self) -> InstrumentVersion | None:
        """Return the newest questionnaire version the workshops use (None: no workshops).

        Newest by version number, then by id: results of workshops on several
        versions are summarized with it (every page, the API and the briefings).
        """
        versions = (w.instrument_version for w in self.workshops)
        return max(versions, key=lambda v: (v.version, v.id), default=None)

    @property
    def instrument(self) -> Instrument | None:
        """Return the parsed questionnaire of ``version`` (None: no workshops)."""
        version = self.version
        return instrument_of(version) if version is not None else None


def select_workshops(
    session: Session,
    *,
    workshop_ids: Iterable[int] = (),
    series: int | str | None = None,
    group: tuple[str, str] | None = None,
) -> Selection:
    """Return the selection of these workshops, or of every workshop of ``series``.

    ``series`` is an id, or on the command line a slug or an id written as text.
    Give workshops or a series, not both. Raises ``SelectionError`` for a series
    or a workshop that does not exist (a series without workshops is no error).
    """
    ids = list(dict.fromkeys(int(i) for i in workshop_ids))
    if bool(ids) == (series is not None):
        raise ValueError("select either workshops or a series")
    if series is not None:
        found = _series(session, series)
        return Selection(tuple(found.workshops), found, group)
    # One by one: a workshop the caller loaded (checking access) costs no query.
    workshops = [session.get(Workshop, i) if parse_id(i) else None for i in ids]
    missing = [i for i, w in zip(ids, workshops, strict=True) if w is None]
    if missing:
        raise SelectionError(f"there is no workshop {', '.join(map(str, missing))}")
    return Selection(tuple(w for w in workshops if w is not None), None, group)


def _series(session: Session, reference: int | str) -> Series:
    """Return the series with this id; given as text, with this slug, else this id."""
    found = None
    if isinstance(reference, str):
        found = session.scalar(select(Series).where(Series.slug == reference))
        if found is None and (series_id := parse_id(reference)) is not None:
            found = session.get(Series, series_id)
    elif parse_id(reference) is not None:
        found = session.get(Series, reference)
    if found is None:
        raise SelectionError(f"there is no series '{reference}'")
    return found


@dataclass(frozen=True)
class WorkshopOptions:
    """What ``--workshop``/``--series`` asked for, checked in form, not looked up yet."""

    workshop_ids: tuple[int, ...] = ()
    series: str | None = None

    def select(self, session: Session) -> Selection:
        """Return the selection these options name (``SelectionError`` if there is none)."""
        return select_workshops(session, workshop_ids=self.workshop_ids, series=self.series)

    def describe(self) -> str:
        """Return ``series S`` or ``workshops 1, 2``, as given."""
        if self.series is not None:
            return f"series {self.series}"
        return "workshops " + ", ".join(map(str, self.workshop_ids))


def workshop_options(command: Command) -> Command:
    """Add ``--workshop ID...`` | ``--series S`` to a command, passed as ``chosen``.

    ``--workshop`` may be repeated or take ids separated by commas; ``--series``
    takes a slug or an id. Exactly one of the two must be given (else a usage error).
    """

    @wraps(command)
    def with_workshops(
        *args: Any, workshops: tuple[str, ...], series: str | None, **kwargs: Any
    ) -> Any:
        return command(*args, chosen=parse_workshop_options(workshops, series), **kwargs)

    with_series = click.option("--series", default=None, help="Series slug or id.")(with_workshops)
    with_both = click.option(
        "--workshop",
        "workshops",
        multiple=True,
        help="Workshop id (repeat, or separate with commas, for several).",
    )(with_series)
    return cast(Command, with_both)


def parse_workshop_options(workshops: tuple[str, ...], series: str | None) -> WorkshopOptions:
    """Check ``--workshop``/``--series`` values in form; raise ``click.UsageError`` if wrong."""
    ids = [part.strip() for value in workshops for part in value.split(",") if part.strip()]
    if bool(ids) == bool(series):
        raise click.UsageError("give either --workshop ID (one or more) or --series SLUG")
    numbers = [parse_id(value) for value in ids]
    if None in numbers:
        raise click.UsageError("--workshop takes workshop ids (whole numbers from 1)")
    return WorkshopOptions(tuple(n for n in numbers if n is not None), series or None)
