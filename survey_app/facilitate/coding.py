"""Coding free text with the themes of a series: codebook, assignments, keyword suggestions."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, workshop_with_access
from survey_app.extensions import db
from survey_app.facilitate.views import blueprint
from survey_app.ids import parse_id
from survey_app.models import AccessLevel, Answer, AnswerTheme, Theme, Workshop

#: The filters of the answers' list, kept in the links and forms of the page.
FILTERS = ("question", "q", "lang", "state")


def list_filters() -> dict[str, str]:
    """Return the request's filters of the answers' list (nothing else: other query
    arguments, such as ``workshop_id`` or ``_anchor``, would be taken by ``url_for``)."""
    return {name: request.args[name][:200] for name in FILTERS if name in request.args}


def managed_text_answer(workshop_id: int, answer_id: int) -> tuple[Workshop, Answer]:
    """Return a workshop the user manages and one of its free-text answers, else abort 404/403."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.workshop_id != workshop.id or answer.value_text is None:
        abort(404)
    return workshop, answer


def series_themes(series_id: int | None) -> list[Theme]:
    """Return the codebook of a series, in the order the themes were added."""
    if series_id is None:
        return []
    return list(
        db.session.scalars(select(Theme).where(Theme.series_id == series_id).order_by(Theme.id))
    )


def assigned_themes(answer_ids: list[int]) -> dict[int, set[int]]:
    """Return the theme ids of each answer."""
    found: dict[int, set[int]] = {answer_id: set() for answer_id in answer_ids}
    if answer_ids:
        rows = db.session.execute(
            select(AnswerTheme.answer_id, AnswerTheme.theme_id).where(
                AnswerTheme.answer_id.in_(answer_ids)
            )
        )
        for answer_id, theme_id in rows:
            found[answer_id].add(theme_id)
    return found


def suggested_themes(text: str, themes: list[Theme]) -> set[int]:
    """Return the themes whose keywords occur in ``text`` (case-insensitive)."""
    lowered = text.lower()
    return {t.id for t in themes if any(word in lowered for word in t.keyword_list())}


@blueprint.post("/workshops/<int:workshop_id>/themes")
@allow(Audience.staff)
def add_theme(workshop_id: int) -> HttpResponse:
    """Add a theme (label, keywords) to the codebook of the workshop's series."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    label = request.form.get("label", "").strip()[:200]
    if workshop.series_id is None or not label:
        flash(_("A theme needs a name, and the workshop must belong to a series."))
    else:
        db.session.add(
            Theme(
                series_id=workshop.series_id,
                label=label,
                keywords=request.form.get("keywords", "")[:2000],
            )
        )
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            flash(_("This series has a theme of that name already."))
    return redirect(url_for(".texts", workshop_id=workshop.id))


@blueprint.post("/workshops/<int:workshop_id>/texts/<int:answer_id>/themes")
@allow(Audience.staff)
def code_text(workshop_id: int, answer_id: int) -> HttpResponse:
    """Set the themes of one free-text answer (the checked boxes)."""
    workshop, answer = managed_text_answer(workshop_id, answer_id)
    allowed = {t.id for t in series_themes(workshop.series_id)}
    chosen = {parse_id(v) for v in request.form.getlist("theme")}
    if not chosen <= allowed:  # an unknown theme, or a value that is no id (None)
        abort(400)
    db.session.execute(delete(AnswerTheme).where(AnswerTheme.answer_id == answer.id))
    db.session.add_all(
        AnswerTheme(answer_id=answer.id, theme_id=theme_id) for theme_id in sorted(chosen)
    )
    db.session.commit()
    return redirect(url_for(".texts", workshop_id=workshop.id, **list_filters()))
