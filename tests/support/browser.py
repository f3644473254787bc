"""Debian's Chromium driven by Playwright (no browser download), as the tests use it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Playwright, sync_playwright

#: Flags that keep Chromium from calling home on a machine without internet access.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Phone viewports the participant pages are tested at.
PHONES = {"360x740": {"width": 360, "height": 740}, "390x844": {"width": 390, "height": 844}}


def chromium_path() -> str | None:
    """The Chromium executable (``SURVEY_CHROMIUM`` or Debian's), or None if absent."""
    candidates = [os.environ.get("SURVEY_CHROMIUM"), "/usr/bin/chromium", "chromium"]
    for candidate in candidates:
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@contextmanager
def chromium() -> Iterator[tuple[Playwright, Browser]]:
    """A headless Chromium for the duration of the block."""
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("Chromium not found: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield playwright, browser
        finally:
            browser.close()
