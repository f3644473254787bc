"""The follow-along request of a paced workshop answered before Flask, from the cache.

A thousand phones ask ``GET /j/<CODE>/now`` every 2 s, most of them to hear "nothing
moved" (304). Flask's request handling (routing, the access check, the session,
security headers) costs about a millisecond of CPU per request, which on two cores
is most of what the room's answers need at the same time. So this WSGI middleware
answers the request itself when the position is in this process's cache and fresh
(``PositionCache.peek``; no database access), with exactly the headers Flask gave
the last answer it built for this route (security headers, ``Cache-Control``);
everything else, and every cache miss, goes on to Flask, which fills the cache.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from survey_app.workshops.operations import normalize_join_code
from survey_app.workshops.pacing import PacePosition, positions

#: The follow-along path (``participate.now``).
PATH = re.compile(r"/j/([A-Za-z0-9-]{1,40})/now")
#: Headers of Flask's answer that differ by answer and are set here afresh.
OWN_HEADERS = frozenset({"etag", "content-length", "content-type", "set-cookie", "date"})

StartResponse = Callable[..., Any]
Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class FollowAlong:
    """WSGI middleware: answer fresh cached follow-along requests without Flask."""

    def __init__(self, app: Wsgi, config: Mapping[str, Any], default_max_age: float) -> None:
        self.app = app
        #: The app's configuration: ``PACE_CACHE_SECONDS`` (read on every request).
        self.config = config
        self.default_max_age = default_max_age
        self._lock = threading.Lock()
        #: Headers of the last answer Flask built for the route (None: none seen yet).
        self._headers: list[tuple[str, str]] | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer ``GET /j/<CODE>/now`` from the cache if possible, else ask Flask."""
        found = PATH.fullmatch(environ.get("PATH_INFO", ""))
        max_age = float(self.config.get("PACE_CACHE_SECONDS", self.default_max_age))
        if found is None or environ.get("REQUEST_METHOD") != "GET" or max_age <= 0:
            return self.app(environ, start_response)
        position = positions.peek(normalize_join_code(found[1]), max_age)
        headers = self._headers
        if position is None or headers is None:
            return self.app(environ, self._recording(start_response))
        return _answer(position, headers, environ, start_response)

    def _recording(self, start_response: StartResponse) -> StartResponse:
        """Wrap ``start_response`` to keep the route's common headers of a 200 or 304."""

        def recorded(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            if status.startswith(("200", "304")):
                kept = [(n, v) for n, v in headers if n.lower() not in OWN_HEADERS]
                with self._lock:
                    self._headers = kept
            return start_response(status, headers, *rest)

        return recorded


def _answer(
    position: PacePosition,
    headers: list[tuple[str, str]],
    environ: dict[str, Any],
    start_response: StartResponse,
) -> Iterable[bytes]:
    """Send 304 if the phone has this position's ETag, else its JSON (as Flask would)."""
    etag = f'"{position.etag}"'
    tags = environ.get("HTTP_IF_NONE_MATCH", "").split(",")
    asked = {tag.strip().removeprefix("W/") for tag in tags}
    if etag in asked or "*" in asked:
        start_response("304 NOT MODIFIED", [*headers, ("ETag", etag)])
        return []
    body = (json.dumps(position.as_json(), separators=(",", ":"), sort_keys=True) + "\n").encode()
    start_response(
        "200 OK",
        [
            *headers,
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("ETag", etag),
        ],
    )
    return [body]
