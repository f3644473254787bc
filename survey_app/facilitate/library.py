"""The questionnaire library: upload, preview, translations, changes and download."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, readable_series_ids
from survey_app.audit import record
from survey_app.definition.errors import InvalidInstrument
from survey_app.errors import error_page
from survey_app.extensions import db
from survey_app.facilitate.forms import InstrumentUploadForm
from survey_app.facilitate.ownership import default_owner, publishing_refusal, series_choices
from survey_app.facilitate.views import blueprint
from survey_app.i18n import choose_language, local_message
from survey_app.ids import row_id
from survey_app.instruments.completeness import translation_completeness
from survey_app.instruments.diff import diff_instruments
from survey_app.instruments.ownership import claim_or_check
from survey_app.instruments.store import instrument_of, store_instrument
from survey_app.instruments.upload import (
    MAX_UPLOAD_BYTES,
    CheckedUpload,
    Refusal,
    UploadRefused,
    check_upload,
    quote_problems,
)
from survey_app.models import InstrumentVersion, Role, Series, Workshop
from survey_app.responses.answers import read_answers
from survey_app.responses.forms import ParticipationForm
from survey_app.responses.operations import new_submission_id
from survey_app.security import allow_framing_by_own_pages
from survey_app.workshops.queries import instrument_versions, versions_of, workshops_by_version


@dataclass(frozen=True)
class PreviewWorkshop:
    """Stands in for a workshop in the participant form: no code, so no saved drafts."""

    title: str
    municipality: str = ""
    join_code: str = ""


@blueprint.get("/instruments")
@allow(Audience.staff)
def instrument_library() -> str:
    """List every stored questionnaire with its versions and the workshops using them."""
    readable = readable_series_ids(current_user)
    in_use = workshops_by_version()
    keys: dict[str, list[dict[str, object]]] = {}
    for version in instrument_versions():
        workshops = in_use.get(version.id, [])
        shown = [w for w in workshops if _readable(w, readable)]
        keys.setdefault(version.key, []).append(
            {
                "version": version,
                "instrument": instrument_of(version),
                "workshops": shown,
                "hidden_workshops": len(workshops) - len(shown),
            }
        )
    return render_template("facilitate/library.html", keys=keys)


#: Conversion notes flashed after an upload, and the length each is cut to.
FLASHED_NOTES = 3
NOTE_CHARS = 160


@blueprint.route("/instruments/upload", methods=["GET", "POST"])
@allow(Audience.staff)
def upload_instrument() -> str | HttpResponse | tuple[str, int]:
    """Check an uploaded YAML file or XLSForm; store it as a new version once it is valid."""
    form = _upload_form()
    if not form.validate_on_submit():
        if request.method == "GET":
            return _upload_page(form, None, None)
        refusal = _("Please choose a file.") if form.file.errors else None
        return _upload_page(form, None, refusal), 422
    upload = form.file.data
    try:
        checked = check_upload(upload.filename or "", upload.stream.read(MAX_UPLOAD_BYTES + 1))
    except UploadRefused as refused:
        status = 413 if refused.reason is Refusal.too_large else 422
        return _upload_page(form, None, refusal_message(refused)), status
    if checked.valid and checked.instrument is not None:
        key = checked.instrument.key
        owner = db.session.get(Series, form.owner.data) if form.owner.data else None
        if not claim_or_check(current_user, key, owner):
            db.session.rollback()
            return _upload_page(form, checked, publishing_refusal(key)), 403
        try:
            snapshot, created = store_instrument(
                checked.instrument, checked.text, checked.filename, checked.version_line
            )
        except InvalidInstrument as exc:
            db.session.rollback()
            checked.problems = quote_problems(exc.problems, checked.text)
        else:
            return _stored(snapshot, created, checked)
    return _upload_page(form, checked, None), 422


def _stored(snapshot: InstrumentVersion, created: bool, checked: CheckedUpload) -> HttpResponse:
    record(
        "upload_instrument",
        f"instrument {snapshot.key} v{snapshot.version}",
        file=checked.filename,
        kind=checked.kind.value,
        stored="new version" if created else "unchanged",
    )
    db.session.commit()
    names = {"key": snapshot.key, "version": snapshot.version}
    if created:
        flash(_("%(key)s version %(version)s was stored.", **names))
    else:
        flash(_("%(key)s version %(version)s was already stored with exactly this text.", **names))
    _flash_notes(checked.notes)
    return redirect(url_for(".instrument_page", version_id=snapshot.id))


def _flash_notes(notes: list[str]) -> None:
    """Flash the first conversion notes, shortened: flashes live in the session cookie,
    which browsers drop beyond 4 KB (a real form has hundreds of notes)."""
    for note in notes[:FLASHED_NOTES]:
        shown = local_message(note).striptags()  # the flash is escaped where it shows
        short = shown if len(shown) <= NOTE_CHARS else shown[: NOTE_CHARS - 1] + "…"
        flash(_("Not converted as is: %(note)s", note=short))
    if len(notes) > FLASHED_NOTES:
        flash(
            ngettext(
                "%(num)d more note; the command survey-app instruments import-xlsform"
                " lists them all.",
                "%(num)d more notes; the command survey-app instruments import-xlsform"
                " lists them all.",
                len(notes) - FLASHED_NOTES,
            )
        )


def _upload_form(formdata: bool = True) -> InstrumentUploadForm:
    """Return the upload form offering the series a new key may be given to."""
    choices = series_choices(current_user)
    return InstrumentUploadForm(
        **({} if formdata else {"formdata": None}), series=choices, owner=default_owner(choices)
    )


def _upload_page(
    form: InstrumentUploadForm, checked: CheckedUpload | None, refusal: str | None
) -> str:
    return render_template(
        "facilitate/upload.html",
        form=form,
        checked=checked,
        refusal=refusal,
        limit_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
    )


@blueprint.errorhandler(RequestEntityTooLarge)
@blueprint.errorhandler(CSRFError)
def upload_not_read(error: HTTPException) -> tuple[str, int] | object:
    """Answer a too large or expired upload with the upload page and a plain message.

    Both are refused before the view runs (Werkzeug's ``MAX_CONTENT_LENGTH``, the CSRF
    check), so they are caught here, before the access check too: only staff get the
    upload page; other pages of the blueprint and other visitors get the usual page.
    """
    if request.endpoint != "facilitate.upload_instrument" or not _is_staff():
        return error_page(error)
    if isinstance(error, CSRFError):
        message = _("The page had expired. Please choose the file again.")
    else:
        message = refusal_message(UploadRefused(Refusal.too_large))
    return _upload_page(_upload_form(formdata=False), None, message), error.code or 400


def _is_staff() -> bool:
    return current_user.is_authenticated and current_user.role in (Role.admin, Role.facilitator)


def refusal_message(refused: UploadRefused) -> str:
    """Say in the interface language why an upload was refused."""
    limit = MAX_UPLOAD_BYTES // (1024 * 1024)
    if refused.reason is Refusal.empty:
        return _("The file is empty.")
    if refused.reason is Refusal.too_large:
        return _(
            "The file is larger than %(limit)s MB. A questionnaire file is much smaller: "
            "please check that you chose the right file.",
            limit=limit,
        )
    if refused.reason is Refusal.not_xlsx:
        return _("The file is called .xlsx but is not an Excel workbook.")
    if refused.reason is Refusal.not_xls:
        return _("The file is called .xls but is not an Excel workbook.")
    if refused.reason is Refusal.not_text:
        return _("The file is called .yaml but is not a text file in UTF-8.")
    if refused.reason is Refusal.not_csv:
        return _("The file is called .csv but is not a text file in UTF-8.")
    if refused.reason is Refusal.unreadable_xlsform:
        detail = refused.detail
        return _("The workbook is not an XLSForm that can be read: %(detail)s", detail=detail)
    return _(
        "Only questionnaire files can be uploaded: YAML (.yaml, .yml) or an XLSForm"
        " (.xlsx, .xls, .csv)."
    )


@blueprint.route("/instruments/<int:version_id>/preview", methods=["GET", "POST"])
@allow(Audience.staff)
def preview_instrument(version_id: int) -> str | tuple[str, int]:
    """Show the participant form of a version; a sent preview is checked, never stored."""
    version = db.get_or_404(InstrumentVersion, version_id)
    instrument = instrument_of(version)
    g.default_language = instrument.default_language
    g.language = choose_language(instrument.languages, request.values.get("lang"))
    allow_framing_by_own_pages()
    values: MultiDict[str, str] = MultiDict()
    errors: dict[str, object] = {}
    if request.method == "POST":
        form = ParticipationForm()
        values = request.form
        errors = dict(read_answers(instrument, request.form).errors)
        if instrument.consent and request.form.get("consent") != "yes":
            errors["consent"] = None
    else:
        form = ParticipationForm(data={"submission_id": new_submission_id()})
    form.lang.data = g.language
    title = _("Preview of %(key)s version %(version)s", key=version.key, version=version.version)
    page = render_template(
        "participate/form.html",
        workshop=PreviewWorkshop(title),
        instrument=instrument,
        form=form,
        values=values,
        errors=errors,
        expired=False,
        action=url_for(".preview_instrument", version_id=version.id),
        preview=True,
        preview_sent=request.method == "POST",
    )
    return (page, 422) if errors else page


@blueprint.get("/instruments/<int:version_id>/translations")
@allow(Audience.staff)
def instrument_translations(version_id: int) -> str:
    """Show questions x languages with the texts that are missing or not translated."""
    version = db.get_or_404(InstrumentVersion, version_id)
    return render_template(
        "facilitate/translations.html",
        version=version,
        completeness=translation_completeness(instrument_of(version)),
    )


@blueprint.get("/instruments/<int:version_id>/changes")
@allow(Audience.staff)
def instrument_changes(version_id: int) -> str:
    """Show what changed from another version (``?against=ID``, default: the one before)."""
    version = db.get_or_404(InstrumentVersion, version_id)
    versions = versions_of(version.key)
    against = _other_version(version, versions, request.args.get("against", type=row_id))
    diff = None
    if against is not None:
        older, newer = sorted((against, version), key=lambda v: (v.version, v.id))
        diff = diff_instruments(instrument_of(older), instrument_of(newer))
    return render_template(
        "facilitate/changes.html", version=version, against=against, versions=versions, diff=diff
    )


def _other_version(
    version: InstrumentVersion, versions: list[InstrumentVersion], wanted: int | None
) -> InstrumentVersion | None:
    if wanted is not None:
        other = db.session.get(InstrumentVersion, wanted)
        if other is None or other.key != version.key:
            abort(404)
        return other
    earlier = [v for v in versions if v.version < version.version]
    return earlier[-1] if earlier else None


@blueprint.get("/instruments/<int:version_id>/source.yaml")
@allow(Audience.staff)
def download_instrument(version_id: int) -> HttpResponse:
    """Download a stored version as the YAML text it was stored from."""
    version = db.get_or_404(InstrumentVersion, version_id)
    response = HttpResponse(version.source, mimetype="application/yaml")
    response.charset = "utf-8"
    response.headers.set(
        "Content-Disposition", "attachment", filename=f"{version.key}-v{version.version}.yaml"
    )
    return response


def _readable(workshop: Workshop, readable: list[int] | None) -> bool:
    if readable is None:
        return True
    return workshop.series_id is not None and workshop.series_id in readable
