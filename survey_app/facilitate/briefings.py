"""PDF briefing downloads of a workshop or a series, built or served from the cache."""

from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, request, send_file
from flask_login import current_user
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, series_with_access, workshop_with_access
from survey_app.audit import record
from survey_app.briefing.build import BriefingOptions, build_docx, get_briefing, template_path
from survey_app.briefing.charts import ChartExportError
from survey_app.briefing.context import (
    BriefingError,
    BriefingScope,
    NothingClosed,
    briefing_scope,
)
from survey_app.briefing.records import record_briefing
from survey_app.briefing.render import DEFAULT_TEMPLATE
from survey_app.briefing.texts import available_languages
from survey_app.extensions import db
from survey_app.facilitate.views import blueprint
from survey_app.i18n import choose_language
from survey_app.models.briefing import WEB
from survey_app.results import ResultSettings
from survey_app.results.selection import Selection, select_workshops

#: The media type of Word documents (Office Open XML).
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@blueprint.get("/workshops/<int:workshop_id>/briefing.pdf")
@allow(Audience.account)
def workshop_briefing(workshop_id: int) -> HttpResponse:
    """Download the PDF briefing of one workshop (``?lang=``, ``?breakdown=``)."""
    return _download(*_workshop_scope(workshop_id))


@blueprint.get("/series/<int:series_id>/briefing.pdf")
@allow(Audience.account)
def series_briefing(series_id: int) -> HttpResponse:
    """Download the PDF briefing of a whole series (``?lang=``, ``?breakdown=``)."""
    return _download(*_series_scope(series_id))


@blueprint.get("/workshops/<int:workshop_id>/briefing.docx")
@allow(Audience.account)
def workshop_briefing_docx(workshop_id: int) -> HttpResponse:
    """Download the briefing of one workshop as an editable Word document."""
    return _download_docx(*_workshop_scope(workshop_id))


@blueprint.get("/series/<int:series_id>/briefing.docx")
@allow(Audience.account)
def series_briefing_docx(series_id: int) -> HttpResponse:
    """Download the briefing of a whole series as an editable Word document."""
    return _download_docx(*_series_scope(series_id))


def _workshop_scope(workshop_id: int) -> tuple[BriefingScope, str]:
    """Return what a workshop's briefing covers and its file name (403/404/409 aborts)."""
    workshop = workshop_with_access(workshop_id)
    scope = _checked(select_workshops(db.session, workshop_ids=[workshop.id]))
    return scope, f"briefing-workshop-{workshop.id}"


def _series_scope(series_id: int) -> tuple[BriefingScope, str]:
    """Return what a series' briefing covers and its file name (403/404/409 aborts)."""
    series = series_with_access(series_id)
    return _checked(select_workshops(db.session, series=series.id)), f"briefing-{series.slug}"


def _download_docx(scope: BriefingScope, name: str) -> HttpResponse:
    options = _options(scope)
    settings = ResultSettings.for_selection(current_app.config, scope)
    try:
        document = build_docx(db.session, scope, options, settings)
    except BriefingError as exc:
        abort(400, description=str(exc))
    db.session.rollback()
    record("briefing", name, language=options.language, format="docx")
    db.session.commit()
    return _attachment(document, DOCX, f"{name}-{options.language}.docx")


def _attachment(data: bytes, mimetype: str, name: str, etag: str | bool = False) -> HttpResponse:
    """Send a private file download that browsers and proxies must not serve stale."""
    response = send_file(
        BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name,
        etag=etag, max_age=0,
    )  # fmt: skip
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _checked(selection: Selection) -> BriefingScope:
    try:
        return briefing_scope(selection)
    except NothingClosed as exc:  # published once closed: say so, it is no missing page
        abort(409, description=str(exc))
    except BriefingError as exc:  # e.g. a series without workshops
        abort(404, description=str(exc))


def _options(scope: BriefingScope) -> BriefingOptions:
    """Return the language (``?lang=``, else the questionnaire's) and ``?breakdown=``."""
    languages = available_languages(template_path(DEFAULT_TEMPLATE))
    preferred = [lang for lang in scope.instrument.languages if lang in languages]
    language = choose_language(
        preferred + [lang for lang in languages if lang not in preferred],
        request.args.get("lang"),
    )
    return BriefingOptions(language, DEFAULT_TEMPLATE, request.args.get("breakdown") or None)


def _download(scope: BriefingScope, name: str) -> HttpResponse:
    options = _options(scope)
    language = options.language
    settings = ResultSettings.for_selection(current_app.config, scope)
    try:
        built = get_briefing(
            db.session, scope, options, settings, user_id=current_user.id, source=WEB
        )
    except BriefingError as exc:
        abort(400, description=str(exc))
    except ChartExportError as exc:
        current_app.logger.error("briefing charts failed: %s", exc)
        abort(503, description=str(exc))
    db.session.rollback()  # end the long read; record in a short write transaction
    if not built.cached:
        record_briefing(db.session, built.record)
    record("briefing", name, language=language, cached=built.cached)
    db.session.commit()
    return _attachment(
        built.pdf, "application/pdf", f"{name}-{language}.pdf", etag=built.record.cache_key
    )
