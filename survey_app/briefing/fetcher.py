"""The only way WeasyPrint may read anything while it renders a briefing.

Allowed: ``data:`` URLs, and regular files inside the template folder (after
resolving symbolic links and ``..``). Everything else is refused: ``http:``,
``https:``, ``ftp:``, ``file:`` outside the folder, unknown schemes. Nothing is
ever opened over a network, so there is no redirect to follow either. Each
refusal is logged and remembered (``LockedFetcher.refused``) and raises
``FetchRefused``; WeasyPrint then leaves the resource out.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

LOGGER = logging.getLogger(__name__)
#: ``data:[<media type>][;base64],<data>``
DATA_URL = re.compile(r"^data:(?P<type>[^,]*?)(?P<base64>;base64)?,(?P<data>.*)$", re.DOTALL)


class FetchRefused(ValueError):
    """A briefing template asked for something outside what it may read."""


class LockedFetcher(URLFetcher):
    """Serve ``data:`` URLs and files inside ``root``; refuse and record everything else."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        #: The template folder, fully resolved.
        self.root = Path(root).resolve(strict=True)
        #: Every URL refused so far, in order.
        self.refused: list[str] = []
        #: Every URL served so far (``data:`` URLs shortened), in order.
        self.served: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at ``url`` if it is allowed; raise ``FetchRefused`` if not."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            response = self._data(url)
        elif scheme == "file":
            response = self._file(url)
        else:
            raise self._refuse(url, "only data: URLs and files of the template folder")
        self.served.append(url if scheme == "file" else url[:40])
        return response

    def _data(self, url: str) -> URLFetcherResponse:
        match = DATA_URL.match(url)
        if match is None:
            raise self._refuse(url, "malformed data: URL")
        media_type = match["type"] or "text/plain;charset=US-ASCII"
        if match["base64"]:
            try:
                body = base64.b64decode(unquote(match["data"]), validate=False)
            except ValueError:
                raise self._refuse(url, "malformed base64 in data: URL") from None
        else:
            body = unquote_to_bytes(match["data"])
        return URLFetcherResponse(url, body, {"Content-Type": media_type})

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, "file URL on another host")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root):
            raise self._refuse(url, f"outside the template folder {self.root}")
        if not path.is_file():
            raise self._refuse(url, "no such file in the template folder")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": media_type})

    def _refuse(self, url: str, reason: str) -> FetchRefused:
        self.refused.append(url)
        shown = url if len(url) < 200 else url[:200] + "..."
        LOGGER.warning("briefing: refused to fetch %s (%s)", shown, reason)
        return FetchRefused(f"refused to fetch {shown}: {reason}")
