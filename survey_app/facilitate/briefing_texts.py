"""Analysts' key messages and recommendations for the summary page of a series briefing."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, series_with_access
from survey_app.audit import record
from survey_app.briefing.build import template_path
from survey_app.briefing.context import BriefingError, briefing_scope, briefing_summary
from survey_app.briefing.findings import Finding, filtered_questions, key_findings
from survey_app.briefing.render import DEFAULT_TEMPLATE
from survey_app.briefing.summary_page import (
    MESSAGE_LENGTH,
    MOST_MESSAGES,
    edited_text,
    saved_text,
    split_messages,
    suggested,
    text_basis,
    text_scope,
)
from survey_app.briefing.texts import available_languages, numbers_for, texts_for
from survey_app.extensions import db
from survey_app.facilitate.forms import BriefingTextForm
from survey_app.facilitate.views import blueprint
from survey_app.i18n import match_language
from survey_app.models import AccessLevel, BriefingText, Series
from survey_app.results import ResultSettings, Scope
from survey_app.results.selection import select_workshops


@blueprint.route("/series/<int:series_id>/briefing/summary", methods=["GET", "POST"])
@allow(Audience.staff)
def briefing_summary_text(series_id: int) -> str | HttpResponse:
    """Edit the key messages and recommendations of the series briefing (``?lang=``)."""
    series = series_with_access(series_id, AccessLevel.manage)
    languages = available_languages(template_path(DEFAULT_TEMPLATE))
    language = match_language(languages, request.args.get("lang")) or languages[0]
    scope = text_scope(series.id, [])
    saved = saved_text(db.session, scope, language)
    suggestions, basis = _suggestions(series, language)
    form = BriefingTextForm(most=MOST_MESSAGES, length=MESSAGE_LENGTH)
    if request.method == "GET":
        shown = (
            list(saved.messages)
            if saved and saved.messages
            else [f"{f.question} {f.text}" for f in suggestions]
        )
        form.messages.data = "\n\n".join(shown)
        form.recommendations.data = saved.recommendations if saved else ""
    elif request.form.get("reset"):  # (CSRF checked app-wide) generated messages again;
        # the recommendations stay
        if saved is not None:
            saved.messages = []
            if not saved.recommendations:
                db.session.delete(saved)
            record("briefing_text", series.slug, language=language, reset=True)
            db.session.commit()
        flash(_("The generated key messages are back; your recommendations were kept."))
        return redirect(url_for(".briefing_summary_text", series_id=series.id, lang=language))
    elif form.validate_on_submit():
        if saved is None:
            saved = BriefingText(scope=scope, series_id=series.id, language=language)
            db.session.add(saved)
        saved.messages = split_messages(form.messages.data or "")
        saved.recommendations = (form.recommendations.data or "").strip()
        saved.basis = basis or {}
        saved.updated_by = current_user.id
        record("briefing_text", series.slug, language=language, messages=len(saved.messages))
        db.session.commit()
        flash(_("Saved. The next briefing in this language prints these texts."))
        return redirect(url_for(".briefing_summary_text", series_id=series.id, lang=language))
    edited = edited_text(saved, numbers_for(language), basis)
    stale = edited is not None and bool(edited.messages) and edited.stale
    return render_template(
        "facilitate/briefing_summary.html",
        series=series,
        form=form,
        language=language,
        languages=languages,
        saved=saved,
        suggestions=suggestions,
        stale=stale,
    )


def _suggestions(series: Series, language: str) -> tuple[list[Finding], dict[str, object] | None]:
    """Return the generated key messages of the series' published results and what they
    are written for (``text_basis``); nothing published yet: ``([], None)``."""
    try:
        scope = briefing_scope(select_workshops(db.session, series=series.id))
    except BriefingError:  # nothing closed yet: nothing published to suggest from
        return [], None
    settings = ResultSettings.for_selection(current_app.config, scope)
    summary = briefing_summary(scope.instrument, Scope.of(scope.ids), db.session, settings)
    texts = texts_for(template_path(DEFAULT_TEMPLATE), language)
    instrument, numbers = scope.instrument, numbers_for(language)
    filtered = filtered_questions(instrument)
    findings = key_findings(summary, instrument.respondent, language, texts, numbers, filtered)
    return suggested(findings), text_basis(scope.ids, summary["n_responses"])
