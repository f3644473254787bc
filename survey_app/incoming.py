"""What a request may carry into the app: no NUL byte anywhere it is read.

PostgreSQL refuses a NUL byte in text, in a stored value as much as in a search (a
500 whenever a URL, query argument or form field held ``%00``); no page, export or
database needs it, and nobody types it. Query arguments and form fields lose it as
they are parsed (as stored text already does, ``models._text``); a URL part that
holds it is no route (404).
"""

from __future__ import annotations

from typing import Any

from flask import Request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Map, UnicodeConverter
from werkzeug.utils import cached_property


def _without_nul(values: MultiDict[str, str]) -> MultiDict[str, str]:
    if not any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
        return values
    cleaned = [(k.replace("\x00", ""), v.replace("\x00", "")) for k, v in values.items(multi=True)]
    return type(values)(cleaned)


class IncomingRequest(Request):
    """Flask's request, whose query arguments and form fields hold no NUL byte."""

    @cached_property
    def args(self) -> MultiDict[str, str]:  # type: ignore[override]
        """The query arguments, without NUL bytes."""
        return _without_nul(Request.args.fget(self))  # type: ignore[attr-defined]

    def _load_form_data(self) -> None:
        """Parse the form (once), then drop NUL bytes from its fields."""
        parsed = "form" in self.__dict__
        super()._load_form_data()
        if not parsed:
            self.__dict__["form"] = _without_nul(self.__dict__["form"])


class PathPart(UnicodeConverter):
    """A ``<name>`` part of a URL: any text but a slash or a NUL byte."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]")
