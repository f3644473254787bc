"""Default settings and the ``SURVEY_*`` environment variables that override them."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Any

#: Environment variables read at start-up, mapped to the config keys they set.
ENVIRONMENT_KEYS = {
    "SURVEY_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SURVEY_SECRET_KEY": "SECRET_KEY",
    "SURVEY_BROWSER_PATH": "BROWSER_PATH",
    "SURVEY_MIN_GROUP_SIZE": "MIN_GROUP_SIZE",
    "SURVEY_BASE_URL": "BASE_URL",
    "SURVEY_INSTRUMENTS_PATH": "INSTRUMENTS_PATH",
    "SURVEY_TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "SURVEY_SUMMARY_CACHE": "SUMMARY_CACHE",
    "SURVEY_REDIS_URL": "REDIS_URL",
    "SURVEY_BUILD_WORKERS": "BUILD_WORKERS",
    "SURVEY_BUILD_AHEAD": "BUILD_AHEAD",
    "SURVEY_JOBS_CONSUMER": "JOBS_CONSUMER",
    "SURVEY_SMTP_HOST": "SMTP_HOST",
    "SURVEY_SMTP_PORT": "SMTP_PORT",
    "SURVEY_SMTP_SECURITY": "SMTP_SECURITY",
    "SURVEY_SMTP_USERNAME": "SMTP_USERNAME",
    "SURVEY_SMTP_PASSWORD": "SMTP_PASSWORD",
    "SURVEY_MAIL_FROM": "MAIL_FROM",
    "SURVEY_MAIL_FROM_NAME": "MAIL_FROM_NAME",
    "SURVEY_OIDC_ISSUER": "OIDC_ISSUER",
    "SURVEY_OIDC_CLIENT_ID": "OIDC_CLIENT_ID",
    "SURVEY_OIDC_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
    "SURVEY_OIDC_LABEL": "OIDC_LABEL",
    "SURVEY_RESPONSES_PER_MINUTE": "RESPONSES_PER_MINUTE",
    "SURVEY_JOIN_LOOKUPS_PER_MINUTE": "JOIN_LOOKUPS_PER_MINUTE",
    "SURVEY_JOIN_MISSES_PER_10_MINUTES": "JOIN_MISSES_PER_10_MINUTES",
    "SURVEY_LOGIN_FAILURES_PER_ADDRESS": "LOGIN_FAILURES_PER_ADDRESS",
}
#: k when ``SURVEY_MIN_GROUP_SIZE`` is not set: the server's floor and the k of new series.
DEFAULT_MIN_GROUP_SIZE = 5
#: Settings read from the environment as whole numbers.
INTEGER_KEYS = frozenset(
    {
        "MIN_GROUP_SIZE",
        "TRUSTED_PROXIES",
        "BUILD_WORKERS",
        "RESPONSES_PER_MINUTE",
        "JOIN_LOOKUPS_PER_MINUTE",
        "JOIN_MISSES_PER_10_MINUTES",
        "LOGIN_FAILURES_PER_ADDRESS",
        "SMTP_PORT",
    }
)
#: Settings read as yes/no, and the values of such a variable that mean no.
BOOLEAN_KEYS = frozenset({"SUMMARY_CACHE", "BUILD_AHEAD", "JOBS_CONSUMER"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def default_config(instance_path: str) -> dict[str, Any]:
    """Return the defaults: an SQLite file in the instance folder and safe cookies."""
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(Path(instance_path) / "survey.sqlite3"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "INSTRUMENTS_PATH": "instruments",
        # The floor of small-group protection: no series publishes with a smaller k,
        # and new series start with it (see workshops.thresholds).
        "MIN_GROUP_SIZE": DEFAULT_MIN_GROUP_SIZE,
        "BASE_URL": "",
        "BROWSER_PATH": "",
        # A participant may keep the form open for hours (long workshop, lunch
        # break); an expired token never loses answers, it only re-shows the form.
        "WTF_CSRF_TIME_LIMIT": 6 * 3600,
        # Staff forms over HTTPS also need a same-origin Referer (Flask-WTF's
        # default). The participant form checks its token itself and never the
        # Referer: phones behind venue proxies may send none.
        "WTF_CSRF_SSL_STRICT": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure when SURVEY_BASE_URL is https (see https_settings) and on every
        # request that arrived over HTTPS (survey_app.security.SessionInterface).
        "SESSION_COOKIE_SECURE": False,
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host
        # headers are believed (0: none; the app is reached directly or gunicorn
        # already trusts a proxy on the same host).
        "TRUSTED_PROXIES": 0,
        # Never the debugger or tracebacks in pages, whatever FLASK_DEBUG says;
        # only a test configuration may turn this on.
        "DEBUG": False,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "en",
        # Phones on venue Wi-Fi: compress pages, CSS and JS (brotli, else gzip).
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_BR_LEVEL": 4,
        "COMPRESS_STREAMS": False,
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],
        "SUPPORTED_UI_LANGUAGES": ["de", "en", "tr", "ar", "uk"],
        # The languages the switch in the staff header offers (staff pages are complete
        # in these; the others show staff-only texts in English).
        "STAFF_UI_LANGUAGES": ["de", "en"],
        # Summaries add up per-workshop counts kept in the table summary_part.
        "SUMMARY_CACHE": True,
        # Briefings are built in the background (survey_app.jobs): the queue is an
        # SQLite file in the instance folder, or Redis where several machines serve.
        "REDIS_URL": "",
        # Builds at once across all servers; the others wait in the queue.
        "BUILD_WORKERS": 2,
        # Build the briefings of a workshop and its series when the workshop closes.
        "BUILD_AHEAD": True,
        # Seconds a script (not a browser) waits for a briefing being built before it
        # gets 202 and Retry-After. A waiting request holds one of the server's threads:
        # eight scripts waiting 20 s held all threads of two workers, and a participant's
        # answer waited 18.5 s (bench/briefing_jobs.py).
        "BUILD_WAIT": 0,
        # Whether this server runs jobs (threads of its own) or only queues them.
        "JOBS_CONSUMER": True,
        # Run jobs at once in the request (tests): no queue, no consumer threads.
        "JOBS_IMMEDIATE": False,
        # Invitations and password resets by e-mail (survey_app.mail); no host: the
        # admin hands the link on instead.
        "SMTP_HOST": "",
        "SMTP_PORT": 587,
        "SMTP_SECURITY": "starttls",
        "MAIL_FROM": "",
        "MAIL_FROM_NAME": "",
        # Single sign-on for staff with OpenID Connect (survey_app.accounts.sso): on when
        # issuer, client id and secret are all set. The label is the login button's text.
        "OIDC_ISSUER": "",
        "OIDC_CLIENT_ID": "",
        "OIDC_CLIENT_SECRET": "",
        "OIDC_LABEL": "",
    }


def environment_config(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    """Return the settings given by ``SURVEY_*`` environment variables."""
    config: dict[str, Any] = {}
    for variable, key in ENVIRONMENT_KEYS.items():
        value = environ.get(variable)
        if value:
            if key in INTEGER_KEYS:
                config[key] = int(value)
            elif key in BOOLEAN_KEYS:
                config[key] = value.strip().lower() not in FALSE_WORDS
            else:
                config[key] = value
    return config


def https_settings(base_url: str) -> dict[str, Any]:
    """Return the cookie and URL settings for a site published at ``base_url``."""
    if base_url.lower().startswith("https://"):
        return {"SESSION_COOKIE_SECURE": True, "PREFERRED_URL_SCHEME": "https"}
    return {}


def load_or_create_secret_key(instance_path: str) -> str:
    """Read the secret key from the instance folder, generating it on first use."""
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return _read_written_key(key_file)
    key = secrets.token_hex(32)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # Create exclusively so that two workers starting at once agree on one key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_written_key(key_file)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _read_written_key(key_file: Path) -> str:
    """Read a key file, waiting briefly if another process is still writing it."""
    for _ in range(50):
        key = key_file.read_text().strip()
        if key:
            return key
        time.sleep(0.02)
    raise RuntimeError(f"{key_file} is empty; delete it to generate a new secret key")
