"""Debian's Chromium driven by Playwright (no browser download), as the tests use it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from .timeouts import scaled_ms

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
#: Playwright's own default wait for a selector, a navigation or an action, in seconds.
ACTION_TIMEOUT = 30


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


class ScaledBrowser:
    """A Chromium whose new contexts wait ``scaled(ACTION_TIMEOUT)`` instead of a fixed 30 s.

    The load is read when a context is made, so a test started on a busy machine gets the
    longer waits; every other attribute is the browser's own (make pages through a context).
    """

    def __init__(self, browser: Browser) -> None:
        self._browser = browser

    def new_context(self, **options) -> BrowserContext:  # type: ignore[no-untyped-def]
        """``Browser.new_context`` with waits scaled to the machine's load."""
        context = self._browser.new_context(**options)
        context.set_default_timeout(scaled_ms(ACTION_TIMEOUT))
        context.set_default_navigation_timeout(scaled_ms(ACTION_TIMEOUT))
        return context

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._browser, name)
