"""Plotly.js served from the installed plotly package (venues are offline; no CDN)."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

import plotly
from flask import Blueprint, request, url_for
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow

blueprint = Blueprint("vendor", __name__)
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@lru_cache(maxsize=1)
def _plotly_bodies() -> tuple[bytes, bytes]:
    """Return plotly.min.js plain and gzipped, read and compressed once per process."""
    plain = PLOTLY_JS.read_bytes()
    return plain, gzip.compress(plain, compresslevel=6, mtime=0)


@blueprint.get("/vendor/plotly-<version>.min.js")
@allow(Audience.everyone)
def plotly_js(version: str) -> HttpResponse:
    """Serve Plotly.js; the version in the URL lets browsers cache it for a year."""
    plain, compressed = _plotly_bodies()
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(compressed if use_gzip else plain, mimetype="text/javascript")
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@blueprint.app_template_global()
def plotly_url() -> str:
    """Return the versioned URL of Plotly.js (a global of every template)."""
    return url_for("vendor.plotly_js", version=plotly.__version__)
