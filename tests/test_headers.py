"""Security headers and cookies on every kind of page, over HTTP and behind HTTPS."""

from __future__ import annotations

import http.client
import os
import re
import tempfile
from pathlib import Path

import pytest

from survey_app import create_app
from survey_app.accounts.access import Audience, allow

from .conftest import FIXTURES, login

#: (path, what it is); the workshop pages need the ``world`` fixture below.
PAGES = [
    "/j",
    "/j/{code}",
    "/login",
    "/workshops/{workshop}",
    "/workshops/{workshop}/live",
    "/workshops/{workshop}/results.json",
    "/api/v1/workshops",
    "/static/participate.css",
    "/no-such-page",
]


@pytest.fixture
def world(app, client, make_workshop, make_user):
    """An open workshop and a logged-in facilitator of its series."""
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    make_user("fac@example.org", "facilitator", workshop.series_id)
    assert login(client, "fac@example.org").status_code == 302
    return {"code": workshop.join_code, "workshop": workshop.id}


def csp_directives(header: str) -> dict[str, list[str]]:
    """Split a Content-Security-Policy into its directives."""
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, world, path):
    answer = client.get(path.format(**world))
    assert answer.status_code in (200, 404), answer.status_code
    policy = csp_directives(answer.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no inline scripts, no eval, no other origin
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in answer.headers  # plain HTTP


def test_only_chart_pages_allow_inline_styles(client, world):
    live = client.get("/workshops/{workshop}/live".format(**world))
    form = client.get("/j/{code}".format(**world))
    assert "'unsafe-inline'" in csp_directives(live.headers["Content-Security-Policy"])["style-src"]
    assert csp_directives(form.headers["Content-Security-Policy"])["style-src"] == ["'self'"]


def test_hsts_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/j").headers
    secure = client.get("/j", base_url="https://survey.example")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def session_cookie(answer) -> str:
    """Return the Set-Cookie header of the session cookie."""
    cookies = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, answer.headers.getlist("Set-Cookie")
    return cookies[0]


def cookie_flags(cookie: str) -> set[str]:
    """Return the attribute names (and SameSite value) of a Set-Cookie header."""
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    samesite = re.search(r"SameSite=(\w+)", cookie)
    return flags | ({f"samesite={samesite.group(1).lower()}"} if samesite else set())


def test_session_cookie_is_httponly_and_samesite_over_http(client, make_workshop):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    flags = cookie_flags(session_cookie(client.get(f"/j/{workshop.join_code}")))
    assert {"httponly", "samesite=lax", "path"} <= flags
    assert "secure" not in flags  # a plain-HTTP test server could not send it back


def test_session_cookie_is_secure_on_https_requests(client, make_workshop):
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    answer = client.get(f"/j/{workshop.join_code}", base_url="https://survey.example")
    assert {"httponly", "samesite=lax", "secure"} <= cookie_flags(session_cookie(answer))


def test_https_base_url_makes_cookies_secure(app, make_workshop):
    app.config.update(create_app_config_for("https://umfrage.example.org"))
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    answer = app.test_client().get(f"/j/{workshop.join_code}")  # http behind a TLS proxy
    assert "secure" in cookie_flags(session_cookie(answer))


def create_app_config_for(base_url: str) -> dict[str, object]:
    """Return what create_app derives from SURVEY_BASE_URL."""
    from survey_app.config import https_settings

    settings = https_settings(base_url)
    assert settings == {"SESSION_COOKIE_SECURE": True, "PREFERRED_URL_SCHEME": "https"}
    assert https_settings("http://127.0.0.1:8000") == {}
    return settings


def test_base_url_from_environment_sets_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SURVEY_BASE_URL", "https://umfrage.example.org")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_trusted_proxy_headers_are_believed_only_when_configured(tmp_path):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "umfrage.example.org"}
    direct = create_app({"INSTANCE_PATH": str(tmp_path / "a")}).test_client()
    assert "Strict-Transport-Security" not in direct.get("/j", headers=headers).headers
    proxied = create_app({"INSTANCE_PATH": str(tmp_path / "b"), "TRUSTED_PROXIES": 1})
    answer = proxied.test_client().get("/j", headers=headers)
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")


def test_debug_is_off_whatever_the_environment_says(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.debug is False

    @app.get("/boom")
    @allow(Audience.everyone)
    def boom() -> str:
        raise RuntimeError("secret detail of the failure")

    answer = app.test_client().get("/boom")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 500
    assert "secret detail" not in body and "Traceback" not in body and "werkzeug" not in body


def test_serve_disables_gunicorns_control_socket():
    import gunicorn

    from survey_app.serving import gunicorn_arguments

    arguments = gunicorn_arguments("127.0.0.1", 8000, 3)
    assert ("--no-control-socket" in arguments) == (gunicorn.version_info >= (25, 1))
    assert "--reload" not in arguments and "--debug" not in arguments


def test_real_server_behind_a_tls_proxy_on_the_same_host(live_servers):
    """gunicorn believes X-Forwarded-Proto from 127.0.0.1: HSTS and secure cookies follow."""
    home = Path(tempfile.mkdtemp(prefix="survey-home-"))
    env = {"HOME": str(home), "XDG_RUNTIME_DIR": ""}
    with live_servers("sqlite", workers=1, extra_env=env) as server:
        code = server.open_workshop()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", f"/j/{code}", headers={"X-Forwarded-Proto": "https"})
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200
        assert answer.getheader("Strict-Transport-Security", "").startswith("max-age=")
        cookie = answer.getheader("Set-Cookie") or ""
        assert {"secure", "httponly", "samesite=lax"} <= cookie_flags(cookie)
        connection.request("GET", f"/j/{code}")
        plain = connection.getresponse()
        plain.read()
        assert plain.getheader("Strict-Transport-Security") is None
        assert "secure" not in cookie_flags(plain.getheader("Set-Cookie") or "")
        connection.close()
        assert os.listdir(home) == [], "gunicorn left a control socket in $HOME"
