"""A real server and one headless Chromium per test process; screenshots as artifacts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.support import Translations

from tests.support.browser import chromium_path
from tests.support.live_server import ROOT, LiveServer

#: Where screenshots go (kept by CI as artifacts); ``SURVEY_TEST_ARTIFACTS`` overrides it.
ARTIFACTS = Path(os.environ.get("SURVEY_TEST_ARTIFACTS", ROOT / "build" / "test-artifacts"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without Chromium the browser tests skip locally, and fail in CI."""
    if chromium_path() is None and not os.environ.get("CI"):
        reason = "Chromium is not installed (scripts/system-packages.sh installs it)"
        for item in items:
            if "tests/browser/" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def server(live_servers) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """``survey-app serve`` with two workers on a fresh SQLite database."""
    with live_servers("sqlite", workers=2) as running:
        yield running


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder for screenshots."""
    folder = ARTIFACTS / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def interface_text(language: str, message: str) -> str:
    """``message`` as the interface catalogue of ``language`` translates it."""
    folder = ROOT / "survey_app" / "translations"
    return Translations.load(str(folder), [language]).gettext(message)
