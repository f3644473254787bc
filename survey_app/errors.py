"""Error pages: every error answers with a plain page (JSON for the API), never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def register(app: Flask) -> None:
    """Install the error handlers on ``app``."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        return error_page(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        return error_page(InternalServerError())


def error_page(error: HTTPException):  # type: ignore[no-untyped-def]
    """Return the error page and the status of ``error``.

    JSON (``{"error", "status"}`` and ``reason`` where the app said why) under ``/api/``
    and for scripts that asked for JSON rather than a page (``Accept: application/json``).
    """
    status = error.code or 500
    if (
        request.blueprint == "api"
        or request.path.startswith("/api/")
        or request.accept_mimetypes.best == "application/json"
    ):
        body: dict[str, object] = {"error": error.name, "status": status}
        said = reason(error)
        if said is not None:
            body["reason"] = said
        return jsonify(body), status
    return render_template("error.html", error=error, reason=reason(error)), status


def reason(error: HTTPException) -> str | None:
    """Return what the app said about ``error`` (``abort(400, description=...)``).

    ``None`` for Werkzeug's stock descriptions, which speak to developers, not readers,
    and for server errors, whose details stay in the log.
    """
    if isinstance(error, CSRFError):  # Flask-WTF says it in English, to developers
        return _(
            "This form has expired or was sent from another page. "
            "Please go back, reload the page and send it again."
        )
    if (error.code or 500) >= 500 or error.description == type(error).description:
        return None
    return str(error.description)
