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
    "SURVEY_SUMMARY_CACHE": "SUMMARY_CACHE",
}
#: Values of a yes/no variable that mean no.
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def default_config(instance_path: str) -> dict[str, Any]:
    """Return the defaults: an SQLite file in the instance folder and safe cookies."""
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(Path(instance_path) / "survey.sqlite3"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "INSTRUMENTS_PATH": "instruments",
        "MIN_GROUP_SIZE": 5,
        "BASE_URL": "",
        "BROWSER_PATH": "",
        # A participant may keep the form open for hours (long workshop, lunch
        # break); an expired token never loses answers, it only re-shows the form.
        "WTF_CSRF_TIME_LIMIT": 6 * 3600,
        # Participants behind a venue proxy may send no Referer; the token suffices.
        "WTF_CSRF_SSL_STRICT": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
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
        # Summaries add up per-workshop counts kept in the table summary_part.
        "SUMMARY_CACHE": True,
    }


def environment_config(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    """Return the settings given by ``SURVEY_*`` environment variables."""
    config: dict[str, Any] = {}
    for variable, key in ENVIRONMENT_KEYS.items():
        value = environ.get(variable)
        if value:
            if key == "MIN_GROUP_SIZE":
                config[key] = int(value)
            elif key == "SUMMARY_CACHE":
                config[key] = value.strip().lower() not in FALSE_WORDS
            else:
                config[key] = value
    return config


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
