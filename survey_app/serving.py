"""Serving with gunicorn: an access log that keeps no participant secrets or addresses."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

#: The secret part of an edit link: /j/<CODE>/edit/<submission id>/<token>.
EDIT_LINK = re.compile(r"(/j/[^/\s]+/edit/)[^/\s?]+/[^/\s?]+")


def redact(text: str) -> str:
    """Cut the submission id and token out of edit links in a log field."""
    return EDIT_LINK.sub(r"\1…", text)


class RedactingLogger(Logger):
    """Gunicorn's logger, with client addresses and edit-link secrets removed."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any
    ) -> dict[str, Any]:
        """Return the access-log fields without address, user agent, referrer or secrets."""
        atoms = {
            key: value
            for key, value in super().atoms(resp, req, environ, request_time).items()
            if not key.endswith(("}i", "}o", "}e"))  # no request/response headers, no environ
        }
        for key in ("h", "a", "f"):
            atoms[key] = "-"
        for key in ("r", "U", "q"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
