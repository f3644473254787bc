"""Theme counts of coded free-text answers, per question, for a scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.models import Answer, AnswerTheme, Theme, Workshop
from survey_app.questions import question_type
from survey_app.questions.cells import share_fields
from survey_app.results.scope import Scope


def add_theme_counts(session: Session, scope: Scope, summary: dict[str, Any]) -> None:
    """Give every text question of ``summary`` its ``themes``: answers coded with each theme."""
    texts = [q for q in summary["questions"] if question_type(q["type"]).free_text]
    if not texts:
        return
    series_ids = select(Workshop.series_id).where(Workshop.id.in_(scope.ids))
    themes = list(
        session.scalars(select(Theme).where(Theme.series_id.in_(series_ids)).order_by(Theme.id))
    )
    if not themes:
        return
    rows = session.execute(
        select(Answer.question_key, AnswerTheme.theme_id)
        .add_columns(func.count(func.distinct(Answer.response_id)))
        .join(AnswerTheme, AnswerTheme.answer_id == Answer.id)
        .where(*scope.answer_filter())
        .group_by(Answer.question_key, AnswerTheme.theme_id)
    )
    counts = {(key, theme_id): count for key, theme_id, count in rows}
    for question in texts:
        cells = [
            {
                "key": str(t.id),
                "label": {"und": t.label},
                **share_fields(counts.get((question["key"], t.id), 0), question["n"]),
            }
            for t in themes
        ]
        question["themes"] = sorted(cells, key=lambda c: -c["count"])
