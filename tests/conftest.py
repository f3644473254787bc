"""Fixtures: an app on a fresh database (SQLite and PostgreSQL), clients, factories."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from playwright.sync_api import Browser
from sqlalchemy import create_engine, text

from survey_app import create_app
from survey_app.extensions import db
from survey_app.instruments.store import store_instrument_file
from survey_app.models import Workshop
from survey_app.workshops.operations import create_workshop, get_or_create_series, open_workshop

from .support.browser import chromium

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENTS = ROOT / "instruments"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTGRES_URL = os.environ.get(
    "SURVEY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = os.environ.get("SURVEY_TEST_DATABASES", "sqlite,postgresql").split(",")
TABLES = (
    "summary_part",
    "login_attempt",
    "answer_theme",
    "theme",
    "audit_entry",
    "text_review",
    "briefing",
    "api_token",
    "series_member",
    "user_account",
    "answer",
    "response",
    "workshop",
    "series",
    "instrument_version",
)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile the interface catalogues if ``make`` has not (pages are tested translated)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "survey_app" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source)
        temporary = mo_path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=True)
        temporary.replace(mo_path)


def _worker() -> str:
    return re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", "main"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return an SQLite file migrated to the newest schema, to copy per test."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    _migrate(f"sqlite:///{path}", folder)
    return path


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield a URL to a schema of our own on the PostgreSQL server, migrated; drop it after."""
    schema = f"test_{_worker()}_{os.getpid()}"
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no server"
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {POSTGRES_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} ({type(exc).__name__})")
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    _migrate(url, tmp_path_factory.mktemp("pg-instance"))
    yield url
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


def _migrate(url: str, instance: Path) -> None:
    from survey_app.migrate import upgrade_database

    app = create_app(_test_config(url, instance))
    with app.app_context():
        upgrade_database()
        db.engine.dispose()


def _test_config(url: str, instance: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTRUMENTS_PATH": str(INSTRUMENTS),
        "INSTANCE_PATH": str(instance),
    }


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield a fresh, migrated database: an SQLite copy or an emptied PG schema."""
    if request.param == "sqlite":
        path = tmp_path / "survey.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """Return an app on a fresh database with its own instance folder."""
    app = create_app(_test_config(database_url, tmp_path / "instance"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client of ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner of ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def make_workshop(app: Flask) -> Callable[..., Workshop]:
    """Return a factory: load an instrument file and create an open workshop."""

    def make(
        instrument: str | Path = "needs-expectations",
        state: str = "open",
        series: str | None = "s1",
    ) -> Workshop:
        path = Path(instrument)
        if not path.suffix:
            path = INSTRUMENTS / f"{instrument}.yaml"
        with app.app_context():
            snapshot, _ = store_instrument_file(str(path))
            group = get_or_create_series(series) if series else None
            workshop = create_workshop(snapshot, "Test workshop", group, "Teststadt")
            if state == "open":
                open_workshop(workshop)
            elif state == "closed":
                from survey_app.workshops.operations import close_workshop

                open_workshop(workshop)
                close_workshop(workshop)
            db.session.commit()
            db.session.refresh(workshop)
            db.session.expunge(workshop)
            return workshop

    return make


PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(app: Flask) -> Callable[..., int]:
    """Return a factory: create an account, optionally with access to a series."""
    from survey_app.accounts.operations import create_user, grant_series_access
    from survey_app.models import AccessLevel, Role

    def make(
        email: str, role: str = "facilitator", series_id: int | None = None, level: str = "manage"
    ) -> int:
        with app.app_context():
            user = create_user(email, PASSWORD, Role(role))
            if series_id is not None:
                grant_series_access(user, series_id, AccessLevel(level))
            db.session.commit()
            return user.id

    return make


def login(client: FlaskClient, email: str, password: str = PASSWORD):
    """Log ``client`` in through the real login form (CSRF token included)."""
    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"email": email, "password": password}
    if found:  # absent when a test turned CSRF off
        data["csrf_token"] = found.group(1)
    return client.post("/login", data=data)


from .hostile import hostile_sqlite  # noqa: E402,F401 - a session fixture of two modules


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test process (Playwright's sync API allows one at a time)."""
    with chromium() as (_, running):
        yield running
