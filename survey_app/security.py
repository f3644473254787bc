"""Security headers on every response, secure cookies behind HTTPS, trusted proxies."""

from __future__ import annotations

from flask import Flask, Response, abort, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix

#: No inline scripts or styles, nothing from other origins, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


#: Plotly.js injects <style> elements for its charts; only chart pages allow that.
CHART_PAGE_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def allow_chart_styles() -> None:
    """Let this response's page run Plotly.js (inline styles, never inline scripts)."""
    g.chart_page = True


def allow_framing_by_own_pages() -> None:
    """Let this response be shown in a frame of our own pages (questionnaire previews)."""
    g.framed_by_self = True


def add_security_headers(response: Response) -> Response:
    """Set CSP, nosniff, referrer and framing headers; HSTS behind HTTPS; ``no-store``
    on every response that sets no ``Cache-Control`` of its own (static files excepted)."""
    headers = response.headers
    policy = CHART_PAGE_POLICY if g.get("chart_page") else CONTENT_SECURITY_POLICY
    framing = "DENY"
    if g.get("framed_by_self"):
        policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        framing = "SAMEORIGIN"
    headers.setdefault("Content-Security-Policy", policy)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", framing)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if "Cache-Control" not in headers and request.endpoint != "static":
        # A page or download that does not say otherwise is kept by no browser or proxy:
        # a dashboard, a moderation page or an edit link stays private after logout.
        headers["Cache-Control"] = "private, no-store"
    return response


def refuse_json_bodies() -> None:
    """Answer a JSON body with 415: every form here is posted as a form.

    Flask-WTF would read a JSON body as form data, numbers and lists where fields
    expect text (a 500); the API only reads.
    """
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.is_json:
        abort(415, description=_("Forms are sent as form data, not JSON."))


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, marked ``Secure`` on every HTTPS request.

    ``SESSION_COOKIE_SECURE`` is set when ``SURVEY_BASE_URL`` is https; a site
    reached over HTTPS (directly, or through a proxy that says so) gets secure
    cookies even when nobody configured the base URL.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        """Say whether the session cookie carries the ``Secure`` flag."""
        configured = super().get_cookie_secure(app)
        return configured or (has_request_context() and request.is_secure)


def register(app: Flask) -> None:
    """Install the headers, the session cookie rules and proxy trust on ``app``."""
    app.before_request(refuse_json_bodies)
    app.after_request(add_security_headers)
    app.session_interface = SessionInterface()
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        # Client address (only ever hashed, for the login limit), scheme and host
        # as the proxies saw them.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
