"""Needs-and-expectations surveys for workshops: the Flask application factory."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, Response

from survey_app.config import (
    default_config,
    environment_config,
    https_settings,
    load_or_create_secret_key,
)
from survey_app.ids import RowId
from survey_app.incoming import IncomingRequest, PathPart


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure an app; nothing is bound or started at import time."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "SURVEY_INSTANCE_PATH"
    )
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.request_class = IncomingRequest  # no NUL byte in query arguments and forms
    # before any route is added: ids past the columns' range and NUL bytes are no route
    app.url_map.converters.update(int=RowId, default=PathPart, string=PathPart)
    configure(app, test_config)
    register_extensions(app)
    register_static_files(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_follow_along(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Apply defaults, then ``SURVEY_*`` variables, then ``test_config``."""
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    os.chmod(app.instance_path, 0o700)  # secret key, database, logs: this user's only
    app.config.from_mapping(default_config(app.instance_path))
    app.config.from_mapping(environment_config(os.environ))
    if test_config:
        app.config.from_mapping(test_config)
    app.config.from_mapping(https_settings(app.config.get("BASE_URL") or ""))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)


def register_extensions(app: Flask) -> None:
    """Bind the database, CSRF protection, translations and compression to ``app``."""
    from survey_app.accounts.session import configure_login
    from survey_app.accounts.sso import configure_sso
    from survey_app.database import configure_sqlite, sqlite_engine_options
    from survey_app.extensions import babel, compress, csrf, db
    from survey_app.i18n import select_ui_language

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = sqlite_engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    )
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_ui_language)
    compress.init_app(app)
    configure_login(app)
    configure_sso(app)
    from survey_app import jobs
    from survey_app.briefing import background
    from survey_app.results import deciding

    queue = jobs.init_app(app)
    background.register(queue)
    deciding.register(queue)


def register_static_files(app: Flask) -> None:
    """Serve static files as plain bodies, so that they are compressed like pages.

    Flask streams static files; a streamed body can only be compressed chunk by
    chunk, which leaves the file open and offers no gzip. Ours are a few KB.
    """
    serve_streamed = app.send_static_file

    def send_static_file(filename: str) -> Response:
        response = serve_streamed(filename)
        body = response.response
        response.direct_passthrough = False
        response.set_data(b"".join(response.iter_encoded()))
        if hasattr(body, "close"):
            body.close()
        return response

    app.send_static_file = send_static_file  # type: ignore[method-assign]


def register_blueprints(app: Flask) -> None:
    """Register one blueprint per audience."""
    from survey_app.accounts.access import register as register_access_guard
    from survey_app.api.views import blueprint as api
    from survey_app.auth import sso  # noqa: F401 - adds the single sign-on routes
    from survey_app.auth.account import blueprint as account
    from survey_app.auth.admin import blueprint as admin
    from survey_app.auth.onboarding import blueprint as onboarding
    from survey_app.auth.site import blueprint as site_settings
    from survey_app.auth.views import blueprint as auth
    from survey_app.facilitate import (  # noqa: F401 - these modules add routes
        briefing_jobs,
        briefing_texts,
        briefings,
        bursts,
        coding,
        dashboard,
        exports,
        library,
        lifecycle,
        moderation,
        ownership,
        pacing,
    )
    from survey_app.facilitate.views import blueprint as facilitate
    from survey_app.participate import checks, paced  # noqa: F401 - add their routes
    from survey_app.participate.views import blueprint as participate
    from survey_app.vendor import blueprint as vendor

    register_access_guard(app)
    blueprints = (participate, auth, onboarding, account, admin, site_settings, facilitate, api)
    for blueprint in (*blueprints, vendor):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    """Answer errors with a page of our own, never a traceback."""
    from survey_app.errors import register

    register(app)


def register_security_headers(app: Flask) -> None:
    """Send CSP, nosniff, referrer and framing headers; trust configured proxies."""
    from survey_app.security import register

    register(app)


def register_follow_along(app: Flask) -> None:
    """Answer paced workshops' follow-along requests from the cache, before Flask."""
    from survey_app.participate.follow_along import FollowAlong
    from survey_app.participate.paced import DEFAULT_CACHE_SECONDS

    app.wsgi_app = FollowAlong(app.wsgi_app, app.config, DEFAULT_CACHE_SECONDS)  # type: ignore[method-assign]


def register_template_helpers(app: Flask) -> None:
    """Make text helpers available in templates."""
    from survey_app.i18n import template_filters, template_globals
    from survey_app.site_settings import address_warning

    app.jinja_env.globals.update(template_globals())
    app.jinja_env.globals["join_links_local"] = address_warning
    app.jinja_env.filters.update(template_filters())
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def register_commands(app: Flask) -> None:
    """Add the ``survey-app`` commands to ``flask --app survey_app``."""
    from survey_app.cli import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
