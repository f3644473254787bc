"""PDF briefing downloads of a workshop or a series, built or served from the cache."""

from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, make_response, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, series_with_access, workshop_with_access
from survey_app.audit import record
from survey_app.briefing.background import (
    BuildRequest,
    build_undecided,
    built_pdf,
    request_build,
)
from survey_app.briefing.build import (
    BriefingOptions,
    build_docx,
    prepare_briefing,
    template_path,
)
from survey_app.briefing.context import (
    BriefingError,
    BriefingScope,
    NothingClosed,
    briefing_scope,
)
from survey_app.briefing.render import DEFAULT_TEMPLATE
from survey_app.briefing.texts import available_languages
from survey_app.database import write_transaction
from survey_app.extensions import db
from survey_app.facilitate.briefing_jobs import waiting_page
from survey_app.facilitate.views import blueprint
from survey_app.i18n import choose_language, match_language
from survey_app.jobs import DONE, FAILED, JobState, jobs
from survey_app.results import ResultSettings
from survey_app.results.breakdown import breakdown_questions
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
    scope = _checked(select_workshops(db.session(), workshop_ids=[workshop.id]))
    return scope, f"briefing-workshop-{workshop.id}"


def _series_scope(series_id: int) -> tuple[BriefingScope, str]:
    """Return what a series' briefing covers and its file name (403/404/409 aborts)."""
    series = series_with_access(series_id)
    return _checked(select_workshops(db.session(), series=series.id)), f"briefing-{series.slug}"


def _download_docx(scope: BriefingScope, name: str) -> HttpResponse:
    options = _options(scope)
    settings = ResultSettings.for_selection(current_app.config, scope)
    try:
        document = build_docx(db.session(), scope, options, settings)
    except BriefingError as exc:
        abort(400, description=str(exc))
    db.session.rollback()
    with write_transaction(db.session):
        record("briefing", name, language=options.language, format="docx")
    return _attachment(document, DOCX, f"{_file_name(name, options)}.docx")


def _attachment(data: bytes, mimetype: str, name: str, etag: str | bool = False) -> HttpResponse:
    """Send a private file download that browsers and proxies must not serve stale."""
    response = send_file(
        BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name,
        etag=etag, max_age=0,
    )  # fmt: skip
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _checked(selection: Selection) -> BriefingScope:
    try:
        return briefing_scope(selection)
    except NothingClosed:  # published once closed: say so, it is no missing page
        closed = _("Published results include a workshop once its facilitators have closed it.")
        abort(409, description=closed)
    except BriefingError as exc:  # e.g. a series without workshops
        abort(404, description=str(exc))


def _options(scope: BriefingScope) -> BriefingOptions:
    """Return the language (``?lang=``, else the questionnaire's) and ``?breakdown=``.

    A language the template has no texts in, or a breakdown by a question that is not
    a ``breakdown: true`` single choice, aborts with 400 and says what there is.
    """
    languages = available_languages(template_path(DEFAULT_TEMPLATE))
    asked = request.args.get("lang")
    # never a briefing in another language than asked (``DE`` and ``en-GB`` are asked for
    # German and English)
    if asked and match_language(languages, asked) is None:
        message = _("There is no briefing in “%(asked)s”; it is written in: %(known)s.")
        abort(400, description=message % {"asked": asked, "known": ", ".join(languages)})
    preferred = [lang for lang in scope.instrument.languages if lang in languages]
    language = choose_language(
        preferred + [lang for lang in languages if lang not in preferred], asked
    )
    breakdown = request.args.get("breakdown") or None
    keys = [question.key for question in breakdown_questions(scope.instrument)]
    if breakdown is not None and breakdown not in keys:
        message = _("There is no breakdown by “%(asked)s”; possible: %(known)s.")
        abort(
            400, description=message % {"asked": breakdown, "known": ", ".join(keys) or _("none")}
        )
    return BriefingOptions(language, DEFAULT_TEMPLATE, breakdown)


def _download(scope: BriefingScope, name: str) -> HttpResponse:
    """Serve the stored PDF; else build it in the background (one job per PDF).

    A browser gets a page that follows the build and starts the download when it is
    ready (202); other clients (scripts, ``curl``) wait for the PDF up to
    ``BUILD_WAIT`` seconds, then get 202 with ``Retry-After``.
    """
    options = _options(scope)
    settings = ResultSettings.for_selection(current_app.config, scope)
    asked = BuildRequest(
        scope.series_id, tuple(scope.ids), options.language, options.breakdown,
        user_id=current_user.id,
    )  # fmt: skip
    # the first read after a close decides the protection (minutes on a big series):
    # in the job, never in the request, for browsers and scripts alike
    deciding = build_undecided(asked, scope, settings)
    if deciding is not None and deciding.state != DONE:
        return waiting_page(deciding, *_about(scope)) if _browser() else _still_building(deciding)
    try:
        prepared = prepare_briefing(db.session(), scope, options, settings)
    except BriefingError as exc:
        abort(400, description=str(exc))
    pdf = prepared.cached.pdf if prepared.cached is not None else None
    if pdf is None:
        db.session.rollback()  # end this read: builds commit in other transactions
        state = request_build(asked, prepared.key)
        if state.state != DONE and _browser():
            return waiting_page(state, *_about(scope))  # 503 where it failed, saying why
        if not state.finished:
            state = jobs().wait(prepared.key, current_app.config["BUILD_WAIT"]) or state
        pdf = built_pdf(state)
        if pdf is None:
            return _still_building(state)
    db.session.rollback()  # end the long read; record in a short write transaction
    with write_transaction(db.session):
        record("briefing", name, language=options.language, cached=prepared.cached is not None)
    return _attachment(pdf, "application/pdf", f"{_file_name(name, options)}.pdf",
                       etag=prepared.key)  # fmt: skip


def _file_name(name: str, options: BriefingOptions) -> str:
    """Name a download by what it holds: scope, language and breakdown."""
    by = f"-by-{options.breakdown}" if options.breakdown else ""
    return f"{name}-{options.language}{by}"


def _about(scope: BriefingScope) -> tuple[str, str]:
    """Return what a briefing covers and the page it is asked from."""
    if scope.series is not None:
        return scope.series.title, url_for(".series_page", series_id=scope.series.id)
    workshop = scope.workshops[0]
    return workshop.title, url_for(".workshop_page", workshop_id=workshop.id)


def _browser() -> bool:
    """Say whether the client prefers a page to a PDF (a browser following a link)."""
    accepted = request.accept_mimetypes
    return accepted["text/html"] > accepted["application/pdf"]


def _still_building(state: JobState) -> HttpResponse:
    """Answer a script whose wait ran out (202), or a build that failed (503, saying why)."""
    if state.state == FAILED:
        current_app.logger.error("briefing build failed: %s", state.error)
        response = make_response(
            _("The briefing could not be built: %(error)s", error=state.error), 503
        )
    else:
        response = make_response(_("The briefing is being built. Ask again in a moment."), 202)
        response.headers["Retry-After"] = "5"
    response.mimetype = "text/plain"
    response.headers["Cache-Control"] = "private, no-store"
    return response
