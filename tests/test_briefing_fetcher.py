"""The locked URL fetcher: only data: URLs and files inside the template folder."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from survey_app.briefing.fetcher import FetchRefused, LockedFetcher
from survey_app.briefing.render import render_pdf

from .briefing_helpers import pdf_text


class Counting(http.server.BaseHTTPRequestHandler):
    """Answers everything with a redirect to /etc/passwd and counts the requests."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        Counting.hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    """Yield the base URL of a local HTTP server that only redirects (and counts)."""
    Counting.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a template folder with a style sheet, next to a file it must not read."""
    inside = tmp_path / "template"
    inside.mkdir()
    (inside / "style.css").write_text("p { color: #123456; }")
    (tmp_path / "secret.txt").write_text("outside secret")
    os.symlink(tmp_path / "secret.txt", inside / "link.txt")
    return inside


def test_serves_data_urls_and_files_inside_the_folder(folder):
    fetcher = LockedFetcher(folder)
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"
    assert fetcher.fetch("data:,caf%C3%A9").read() == "café".encode()
    response = fetcher.fetch((folder / "style.css").as_uri())
    assert response.read() == b"p { color: #123456; }"
    assert response.content_type == "text/css"
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "file://otherhost/etc/passwd",
        "ftp://127.0.0.1/file",
        "javascript:alert(1)",
        "gopher://example.org/",
    ],
)
def test_refuses_files_elsewhere_and_other_schemes(folder, url):
    fetcher = LockedFetcher(folder)
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_refuses_escapes_from_the_folder(folder):
    fetcher = LockedFetcher(folder)
    escapes = [
        folder.as_uri() + "/../secret.txt",
        folder.as_uri() + "/%2e%2e/secret.txt",
        (folder / "link.txt").as_uri(),  # a symbolic link pointing outside
        folder.as_uri() + "/missing.css",
    ]
    for url in escapes:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert fetcher.refused == escapes


def test_never_contacts_a_server_nor_follows_its_redirect(folder, server):
    fetcher = LockedFetcher(folder)
    for url in (f"{server}/style.css", f"{server}/redirect", server.replace("http", "https")):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert Counting.hits == []
    assert len(fetcher.refused) == 3


def test_rendering_fetches_nothing_outside_the_folder(folder, server):
    (folder / "briefing.html").write_text("unused")
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
    <link rel="stylesheet" href="style.css">
    <link rel="stylesheet" href="{server}/remote.css">
    <style>
      @import url("{server}/imported.css");
      @font-face {{ font-family: X; src: url("{server}/font.ttf"); }}
      body {{ background: url("file:///etc/passwd"); font-family: X, sans-serif; }}
    </style></head><body>
    <p>visible text</p>
    <img src="file:///etc/passwd" alt="a">
    <img src="../secret.txt" alt="b">
    <img src="link.txt" alt="c">
    <img src="{server}/redirect" alt="d">
    <iframe src="{server}/frame"></iframe>
    <object data="{server}/object"></object>
    <img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnIHdpZHRoPScxJyBoZWlnaHQ9JzEnLz4=" alt="e">
    </body></html>"""
    rendered = render_pdf(html, folder)
    assert Counting.hits == []
    refused = " ".join(rendered.refused)
    for part in ("remote.css", "imported.css", "font.ttf", "/etc/passwd", "secret.txt",
                 "link.txt", "/redirect"):  # fmt: skip
        assert part in refused, part
    text = pdf_text(rendered.pdf)
    assert "visible text" in text
    assert "outside secret" not in text and "root:" not in text
