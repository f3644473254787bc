"""Raw-data downloads (CSV, XLSX, JSON, SPSS, Stata): for those who run a series, not viewers."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, series_with_access, workshop_with_access
from survey_app.audit import record
from survey_app.exports.build import (
    FORMATS,
    Export,
    ExportError,
    MixedQuestionnaires,
    build_export,
)
from survey_app.extensions import db
from survey_app.facilitate.views import blueprint
from survey_app.models import AccessLevel, Workshop


@blueprint.get("/workshops/<int:workshop_id>/export.<file_format>")
@allow(Audience.staff)
def export_workshop(workshop_id: int, file_format: str) -> HttpResponse:
    """Download one workshop's responses."""
    if file_format not in FORMATS:
        abort(404)
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    export = _build([workshop], file_format)
    _audit(f"workshop {workshop.id}", file_format)
    return _download(export)


@blueprint.get("/series/<int:series_id>/export.<file_format>")
@allow(Audience.staff)
def export_series(series_id: int, file_format: str) -> HttpResponse:
    """Download the responses of every workshop of a series."""
    series = series_with_access(series_id, AccessLevel.manage)
    if file_format not in FORMATS or not series.workshops:
        abort(404)
    export = _build(list(series.workshops), file_format)
    _audit(f"series {series.slug}", file_format)
    return _download(export)


def _audit(target: str, file_format: str) -> None:
    db.session.rollback()  # end the read before a short write transaction
    record("export", target, format=file_format)
    db.session.commit()


def _build(workshops: list[Workshop], file_format: str) -> Export:
    """Build the export the query asks for (``lang``, ``delimiter``); 422 if it cannot be made."""
    language, delimiter = request.args.get("lang"), request.args.get("delimiter", "comma")
    try:
        return build_export(workshops, file_format, language, delimiter)
    except MixedQuestionnaires as exc:
        message = _(
            "These workshops use different questionnaires (%(keys)s): export the workshops"
            " of each questionnaire on their own.",
            keys=", ".join(exc.keys),
        )
        abort(422, description=message)
    except ExportError as exc:
        abort(422, description=str(exc))


def _download(export: Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
