"""Free-text moderation: read the answers, approve them for quoting or hide them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import delete, select
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, workshop_with_access
from survey_app.definition.model import Instrument
from survey_app.extensions import db
from survey_app.facilitate.coding import (
    assigned_themes,
    list_filters,
    managed_text_answer,
    series_themes,
    suggested_themes,
)
from survey_app.facilitate.views import blueprint
from survey_app.ids import parse_id
from survey_app.instruments.store import instrument_of
from survey_app.models import (
    AccessLevel,
    Answer,
    Response,
    ReviewState,
    TextReview,
    counted_answers,
)
from survey_app.models._time import utcnow
from survey_app.questions import question_type

#: Answers shown on one page.
PAGE_SIZE = 200
#: The longest translation kept (characters); free-text answers are at most 2000.
TRANSLATION_LENGTH = 4000


@dataclass(frozen=True)
class TextAnswer:
    """One free-text answer with its review state ("" when not reviewed)."""

    answer_id: int
    question_key: str
    text: str
    language: str
    state: str
    translation: str = ""
    translation_language: str = ""


def text_question_keys(instrument: Instrument) -> list[str]:
    """Return the keys of the free-text questions."""
    return [q.key for q in instrument.questions() if question_type(q.type).free_text]


def text_answers(
    workshop_ids: list[int], keys: list[str], search: str = "", language: str = "", state: str = ""
) -> list[TextAnswer]:
    """Return free-text answers of the workshops, filtered, newest first."""
    query = (
        select(
            Answer.id,
            Answer.question_key,
            Answer.value_text,
            Response.language,
            TextReview.state,
            TextReview.translation,
            TextReview.translation_language,
        )
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(TextReview, TextReview.answer_id == Answer.id)
        .where(Answer.workshop_id.in_(workshop_ids), Answer.question_key.in_(keys))
        .where(Answer.value_text.is_not(None), counted_answers(workshop_ids))
        .order_by(Answer.id.desc())
        .limit(PAGE_SIZE)
    )
    if search:
        query = query.where(Answer.value_text.ilike(f"%{search}%"))
    if language:
        query = query.where(Response.language == language)
    if state == "open":
        query = query.where(TextReview.id.is_(None))
    elif state in ReviewState.__members__:
        query = query.where(TextReview.state == ReviewState(state))
    return [
        TextAnswer(
            answer_id, key, text or "", lang, found.value if found else "",
            translation or "", into or "",
        )
        for answer_id, key, text, lang, found, translation, into in db.session.execute(query)
    ]  # fmt: skip


def set_review(answer_id: int, state: ReviewState | None, reviewer_id: int | None) -> None:
    """Approve or hide an answer, or take the decision back (``state`` None)."""
    db.session.execute(delete(TextReview).where(TextReview.answer_id == answer_id))
    if state is not None:
        db.session.add(
            TextReview(
                answer_id=answer_id, state=state, reviewed_by=reviewer_id, reviewed_at=utcnow()
            )
        )
    db.session.flush()


@blueprint.get("/workshops/<int:workshop_id>/texts")
@allow(Audience.staff)
def texts(workshop_id: int) -> str:
    """List a workshop's free-text answers with filters (question, words, language, state)."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    instrument = instrument_of(workshop.instrument_version)
    keys = text_question_keys(instrument)
    chosen = request.args.get("question", "")
    found = text_answers(
        [workshop.id],
        [chosen] if chosen in keys else keys,
        request.args.get("q", "").strip()[:200],
        request.args.get("lang", ""),
        request.args.get("state", ""),
    )
    questions = {q.key: q for q in instrument.questions() if q.key in keys}
    themes = series_themes(workshop.series_id)
    return render_template(
        "facilitate/texts.html",
        workshop=workshop,
        instrument=instrument,
        answers=found,
        questions=questions,
        themes=themes,
        assigned=assigned_themes([a.answer_id for a in found]),
        suggested={a.answer_id: suggested_themes(a.text, themes) for a in found},
        filters=list_filters(),
    )


@blueprint.post("/workshops/<int:workshop_id>/texts/<int:answer_id>")
@allow(Audience.staff)
def review_text(workshop_id: int, answer_id: int) -> HttpResponse:
    """Approve an answer for quoting, hide it, or undo the decision."""
    workshop, answer = managed_text_answer(workshop_id, answer_id)
    choice = request.form.get("state", "")
    if choice not in ("approved", "hidden", "none"):
        abort(400)
    set_review(answer.id, None if choice == "none" else ReviewState(choice), current_user.id)
    db.session.commit()
    return redirect(
        url_for(".texts", workshop_id=workshop.id, _anchor=f"answer-{answer.id}", **list_filters())
    )


@blueprint.post("/workshops/<int:workshop_id>/texts/bulk")
@allow(Audience.staff)
def review_texts(workshop_id: int) -> HttpResponse:
    """Approve or hide the ticked answers at once (or take the decisions back)."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    choice = request.form.get("state", "")
    raw = request.form.getlist("answer")[:PAGE_SIZE]
    if choice not in ("approved", "hidden", "none") or None in (ids := [parse_id(v) for v in raw]):
        abort(400, description=_("Choose approve or hide, and tick at least one answer."))
    keys = text_question_keys(instrument_of(workshop.instrument_version))
    found = set(
        db.session.scalars(
            select(Answer.id).where(
                Answer.id.in_(set(ids)),
                Answer.workshop_id == workshop.id,
                Answer.question_key.in_(keys),
            )
        )
    )
    for answer_id in sorted(found):
        set_review(answer_id, None if choice == "none" else ReviewState(choice), current_user.id)
    db.session.commit()
    if found:
        flash(ngettext("%(num)d answer changed.", "%(num)d answers changed.", len(found)))
    else:
        flash(_("No answer was ticked."))
    return redirect(url_for(".texts", workshop_id=workshop.id, **list_filters()))


@blueprint.post("/workshops/<int:workshop_id>/texts/<int:answer_id>/translation")
@allow(Audience.staff)
def translate_text(workshop_id: int, answer_id: int) -> HttpResponse:
    """Save the translation of an approved answer, printed beside it in briefings."""
    workshop, answer = managed_text_answer(workshop_id, answer_id)
    review = db.session.scalar(select(TextReview).filter_by(answer_id=answer.id))
    instrument = instrument_of(workshop.instrument_version)
    into = request.form.get("language", "")
    if review is None or review.state != ReviewState.approved:
        flash(_("Only an approved answer can be translated."))
    elif into not in instrument.languages:
        abort(400)
    else:
        review.translation = request.form.get("translation", "").strip()[:TRANSLATION_LENGTH]
        review.translation_language = into if review.translation else ""
        db.session.commit()
    return redirect(url_for(".texts", workshop_id=workshop.id, **list_filters()))
