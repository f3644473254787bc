"""Participant page weight through the real server: the form with its CSS and JS.

Asks ``/j/<CODE>?lang=de`` and ``?lang=ar`` of the kick-off questionnaire as a
phone does (``Accept-Encoding: br, gzip``; also gzip alone), follows every
``href``/``src`` of the page, and adds up the bytes transferred. Counts
references to other hosts (target: none) and checks the form has no ``<script>``
it needs (it must work without JavaScript). Target: < 30 KB in total.
Run: ``.venv/bin/python bench/page_weight.py``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, print_figures, timed_get  # noqa: E402

from tests.support.live_server import LiveServer, live_server  # noqa: E402

ASSET = re.compile(r'(?:href|src)="([^"]+)"')


def measure(server: LiveServer, code: str, language: str, encoding: str) -> tuple[int, int, int]:
    """Return (total bytes, page bytes, third-party references) for one language."""
    headers = {"Accept-Encoding": encoding}
    _, status, _, page = timed_get(server, f"/j/{code}?lang={language}", headers)
    assert status == 200, status
    _, _, _, plain = timed_get(server, f"/j/{code}?lang={language}", {})
    urls = ASSET.findall(plain.decode())
    external = [u for u in urls if not u.startswith(("/", "#", "data:"))]
    total = len(page)
    for url in sorted({u for u in urls if u.startswith("/static/") or u.startswith("/vendor/")}):
        _, status, _, body = timed_get(server, url, headers)
        assert status == 200, (url, status)
        total += len(body)
    return total, len(page), len(external)


def run(server: LiveServer | None = None) -> list[Figure]:
    """Measure on ``server`` (or a fresh SQLite one); return the figures."""
    if server is None:
        with live_server("sqlite", workers=1) as fresh:
            return run(fresh)
    code = server.open_workshop()
    figures = []
    for language in ("de", "ar"):
        for encoding in ("br, gzip", "gzip"):
            total, page, external = measure(server, code, language, encoding)
            name = f"participant page {language}, {encoding}: in total (page {page / 1024:.1f})"
            figures.append(Figure(name, total / 1024, "KiB", "< 30 KB", total < 30_000))
        figures.append(
            Figure(f"participant page {language}: third-party references", external, "",
                   "none", external == 0)  # fmt: skip
        )
    return figures


if __name__ == "__main__":
    print_figures("participant page", run())
