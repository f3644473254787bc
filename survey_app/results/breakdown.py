"""Summaries per group of a breakdown question (``breakdown: true``, single_choice)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from survey_app.definition.model import Instrument, Question
from survey_app.questions import QUESTION_TYPES, question_type
from survey_app.questions.cells import choice_options
from survey_app.results.partial import combined
from survey_app.results.scope import Scope
from survey_app.results.settings import ResultSettings
from survey_app.results.summary import (
    binned_spans,
    cached_parts,
    summarize_questions,
    use_cache,
    wanted,
)
from survey_app.results.tables import fetch_by_answer


def breakdown_questions(instrument: Instrument) -> list[Question]:
    """Return the questions results may be broken down by."""
    return [q for q in instrument.questions() if _can_break_down(q)]


def _can_break_down(question: Question) -> bool:
    """Say whether the question is of a type that can split results and is marked so."""
    return question_type(question.type).can_break_down and question.breakdown


def raw_breakdown(
    instrument: Instrument,
    scope: Scope,
    question_key: str,
    session: Session,
    settings: ResultSettings,
) -> dict[str, Any]:
    """Summarize per breakdown group without suppression (for the engine's own use)."""
    question = _breakdown_question(instrument, question_key)
    groups = choice_options(question)
    if scope.group is not None:
        raise ValueError("a breakdown needs a scope without a group")
    want = wanted(instrument, skip=question_key, include_terms=False)  # groups list no terms
    if use_cache(scope, settings):
        parts = {
            key: combined(
                cached_parts(instrument, scope.with_group(question_key, key), session).values()
            ).scope_data(session, scope.with_group(question_key, key), want)
            for key, _ in groups
        }
    else:
        parts = fetch_by_answer(session, scope, question_key, [key for key, _ in groups], want)
    spans = binned_spans(instrument, scope, session)
    return {
        "breakdown": question_key,
        "label": dict(question.label),
        "groups": [
            {
                "key": key,
                "label": label,
                "n_responses": parts[key].n_responses,
                "questions": summarize_questions(
                    instrument, parts[key], skip=question_key, spans=spans
                ),
            }
            for key, label in groups
        ],
    }


def _breakdown_question(instrument: Instrument, question_key: str) -> Question:
    try:
        question = instrument.question(question_key)
    except KeyError:
        raise ValueError(f"there is no question '{question_key}'") from None
    if not _can_break_down(question):
        raise ValueError(f"'{question_key}' is not a {_breakdown_types()} with breakdown: true")
    return question


def _breakdown_types() -> str:
    """Name the question types that can split results ("single_choice")."""
    return " or ".join(name for name, kind in QUESTION_TYPES.items() if kind.can_break_down)
