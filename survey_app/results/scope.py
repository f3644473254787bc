"""Which responses a result covers: a set of workshops, maybe one breakdown group."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased

from survey_app.models import Answer, Response, Workshop, counted_answers, counted_responses


@dataclass(frozen=True)
class Scope:
    """A set of workshop ids, optionally narrowed to one group of a breakdown question.

    ``group`` is ``(question_key, option_key)``: only responses whose answer to that
    (single_choice) question is that option count. ``id_range`` narrows to responses
    by id (``results.cache`` counts a workshop as of a data version, and adds new
    responses to a cached part).
    """

    workshop_ids: frozenset[int]
    group: tuple[str, str] | None = None
    #: ``(low, high)``: only responses with ``low < id <= high`` (``results.cache``).
    id_range: tuple[int, int] | None = None

    @classmethod
    def of(cls, workshop_ids: Iterable[int]) -> Scope:
        """Return the scope of any set of workshops."""
        return cls(frozenset(int(i) for i in workshop_ids))

    @classmethod
    def workshop(cls, workshop_id: int) -> Scope:
        """Return the scope of one workshop."""
        return cls(frozenset({int(workshop_id)}))

    @classmethod
    def series(cls, session: Session, series_id: int) -> Scope:
        """Return the scope of every workshop of a series."""
        ids = session.scalars(select(Workshop.id).where(Workshop.series_id == series_id))
        return cls(frozenset(ids))

    def with_group(self, question_key: str, option_key: str) -> Scope:
        """Return this scope narrowed to respondents who chose ``option_key``."""
        return replace(self, group=(question_key, option_key))

    @property
    def ids(self) -> list[int]:
        """Return the workshop ids, sorted (stable SQL and cache keys)."""
        return sorted(self.workshop_ids)

    def answer_filter(self, answer: type[Answer] = Answer) -> list[ColumnElement[bool]]:
        """Return WHERE conditions selecting the scope's counted rows of ``answer``."""
        conditions: list[ColumnElement[bool]]
        if self.id_range is None:
            conditions = [answer.workshop_id.in_(self.ids)]
        else:
            # A few new responses: walk the response_id index. ``+ 0`` keeps SQLite and
            # PostgreSQL from scanning the workshop's whole part of the answer index.
            conditions = [
                (answer.workshop_id + 0).in_(self.ids),
                answer.response_id.between(self.id_range[0] + 1, self.id_range[1]),
            ]
        if self.group is not None:
            conditions.append(answer.response_id.in_(self.group_responses()))
        conditions.append(counted_answers(self.ids, answer))  # set-aside responses never count
        return conditions

    def response_filter(self) -> list[ColumnElement[bool]]:
        """Return WHERE conditions selecting the scope's counted rows of ``response``."""
        conditions: list[ColumnElement[bool]] = [Response.workshop_id.in_(self.ids)]
        if self.id_range is not None:
            conditions.append(Response.id.between(self.id_range[0] + 1, self.id_range[1]))
        if self.group is not None:
            conditions.append(Response.id.in_(self.group_responses()))
        conditions.append(counted_responses(self.ids))  # set-aside responses never count
        return conditions

    def group_responses(self) -> Select:
        """Return a subquery of the ids of the group's responses (uses the answer index)."""
        if self.group is None:
            raise ValueError("the scope has no group")
        question_key, option_key = self.group
        chosen = aliased(Answer)
        conditions = [
            chosen.workshop_id.in_(self.ids),
            chosen.question_key == question_key,
            chosen.option_key == option_key,
        ]
        if self.id_range is not None:
            conditions.append(chosen.response_id.between(self.id_range[0] + 1, self.id_range[1]))
        return select(chosen.response_id).where(*conditions)
