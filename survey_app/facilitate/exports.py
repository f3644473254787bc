"""Raw-data downloads (CSV, XLSX, JSON): for those who run the series, never viewers."""

from __future__ import annotations

from flask import abort, request
from werkzeug.wrappers import Response as HttpResponse

from survey_app.auth.access import Audience, allow, require_series
from survey_app.exports.build import FORMATS, Export, build_export
from survey_app.extensions import db
from survey_app.facilitate.views import blueprint
from survey_app.models import AccessLevel, Series, Workshop


@blueprint.get("/workshops/<int:workshop_id>/export.<file_format>")
@allow(Audience.staff)
def export_workshop(workshop_id: int, file_format: str) -> HttpResponse:
    """Download one workshop's responses."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or file_format not in FORMATS:
        abort(404)
    require_series(workshop.series_id, AccessLevel.manage)
    return _download(build_export([workshop], file_format, *_options()))


@blueprint.get("/series/<int:series_id>/export.<file_format>")
@allow(Audience.staff)
def export_series(series_id: int, file_format: str) -> HttpResponse:
    """Download the responses of every workshop of a series."""
    series = db.session.get(Series, series_id)
    if series is None or file_format not in FORMATS or not series.workshops:
        abort(404)
    require_series(series.id, AccessLevel.manage)
    return _download(build_export(list(series.workshops), file_format, *_options()))


def _options() -> tuple[str | None, str]:
    return request.args.get("lang"), request.args.get("delimiter", "comma")


def _download(export: Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
